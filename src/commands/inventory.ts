import { renderCard } from '../cards/renderCard';
import { inventorySummaryCard } from '../cards/templates';
import { writeInventory, type InventorySummary } from '../core/galleryInventory';
import type { Translator } from '../i18n/catalog';
import { regionNames } from '../i18n/azureNames';
import { longDate, shortTime } from '../i18n/timeFormat';
import { actingUserId, boundGalleryId, textReply, type CommandServices, type FileReply } from '../interaction';
import { lastSegment } from '../kernel';
import { defineCommand, noArgs } from './types';

/**
 * `inventory`: every image definition and version of the conversation's gallery as a CSV file for the requester
 * (OS, state, sizes, target regions and replicas, replication state, where it is enabled, labs built from it),
 * with a summary card where it was asked. Written as a stream to a temporary file: a gallery of thousands of
 * versions costs a definition list and one version list per definition, and one definition's versions of memory.
 */
export const inventoryCommand = defineCommand<void, CommandServices>({
  id: 'inventory',
  aliases: ['inventaire'],
  summary: 'inventory.summary',
  usage: 'inventory.usage',
  role: 'admin',
  sideEffects: false,
  needsHost: false,
  parse: noArgs,
  async handle({ t, request, bound, services, log }) {
    if (!bound) return textReply(t('status.unbound'));
    const galleryId = await boundGalleryId(services, bound.binding);
    const now = services.clock.now();
    const stamp = new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const name = `${lastSegment(galleryId)}-inventory-${stamp}.csv`;
    const { file, result: summary } = await services.files.store(name, actingUserId(request.user), async (write) =>
      writeInventory({ galleries: services.galleries, labHosts: services.labHosts, watches: services.replicationWatches }, galleryId, { write }),
    );
    log.info({ rows: summary.rows, bytes: file.sizeInBytes }, 'inventory written');
    const reply: FileReply = {
      kind: 'file',
      summary: summaryCard(t, summary, now, request.timeZone),
      file: { fileId: file.id, name, sizeInBytes: file.sizeInBytes, description: t('inventory.fileDescription', { gallery: summary.galleryName, versions: summary.versions }) },
    };
    return reply;
  },
});

function summaryCard(t: Translator, s: InventorySummary, now: number, timeZone: string | undefined): FileReply['summary'] {
  const title = t('inventory.title', { gallery: s.galleryName });
  const facts = [
    { title: t('inventory.fact.images'), value: String(s.definitions) },
    { title: t('inventory.fact.versions'), value: String(s.versions) },
    { title: t('inventory.fact.stored'), value: t('inventory.gb', { size: Math.round(s.storedGB) }) },
    { title: t('inventory.fact.regions'), value: regionNames(s.regions, t.language) || t('replication.none') },
    { title: t('inventory.fact.hosts'), value: s.hosts.join(', ') || t('replication.none') },
    { title: t('inventory.fact.enabled'), value: String(s.enabledDefinitions) },
    { title: t('inventory.fact.labs'), value: String(s.labs) },
    { title: t('inventory.fact.lastPublished'), value: s.lastPublishedAt === undefined ? '-' : longDate(s.lastPublishedAt, t, timeZone) },
  ];
  const card = renderCard(inventorySummaryCard, {
    title,
    facts,
    warning: s.failedVersions ? t('inventory.failedVersions', { count: s.failedVersions }) : '',
    footer: t('inventory.footer', { time: shortTime(now, t, { now, ...(timeZone ? { timeZone } : {}) }), zone: timeZone ? '' : ' UTC' }),
  });
  return { kind: 'card', card, summary: `${title}: ${t('inventory.shortSummary', { images: s.definitions, versions: s.versions })}` };
}
