import { renderCard } from '../cards/renderCard';
import { statusCard } from '../cards/templates';
import { AzureError, lastSegment } from '../kernel';
import type { Translator } from '../i18n/catalog';
import { regionName as displayRegion } from '../i18n/azureNames';
import type { HostImage, LabHost } from '../ports/labHostGateway';
import { type CommandServices, textReply } from '../interaction';
import { defineCommand, noArgs } from './types';

export const statusCommand = defineCommand<void, CommandServices>({
  id: 'status',
  aliases: ['etat', 'info'],
  summary: 'status.summary',
  usage: 'status.usage',
  role: 'member',
  sideEffects: false,
  parse: noArgs,
  async handle({ t, role, binding, services, log }) {
    if (!binding) return textReply(t('status.unbound'));
    const roleFact = { title: t('status.role'), value: t(`role.${role}`) };
    let host: LabHost;
    let images: HostImage[];
    try {
      host = await services.labHosts.getHost(binding.hostId);
      // One list call (paged by the SDK); nothing per image.
      images = host.sharedGalleryId ? await services.labHosts.listImages(host.id) : [];
    } catch (error) {
      if (!(error instanceof AzureError)) throw error;
      log.warn({ err: error, hostId: binding.hostId }, 'status could not read the lab host');
      const facts = [{ title: t('status.host'), value: lastSegment(binding.hostId) }, roleFact];
      const warning = t('status.hostUnreachable', { reason: t(`azure.${error.kind}`, { target: lastSegment(binding.hostId) }) });
      return { kind: 'card', card: renderCard(statusCard, { title: t('status.title'), facts, warning }), summary: warning };
    }
    const enabled = images.filter((i) => i.enabled).length;
    const facts = [
      // "Lab plan: physics-plan" says both what and which: no separate kind row, no "lab host".
      { title: t(host.kind === 'labPlan' ? 'status.labPlan' : 'status.labAccount'), value: host.name },
      { title: t('status.region'), value: await regionName(services, host.location) },
      { title: t('status.gallery'), value: host.sharedGalleryId ? lastSegment(host.sharedGalleryId) : t('status.noGallery') },
      ...(host.sharedGalleryId
        ? [{ title: t('status.images'), value: t('status.imageCounts', { enabled, disabled: images.length - enabled }) }]
        : []),
      roleFact,
    ];
    const card = renderCard(statusCard, { title: t('status.title'), facts, warning: '' });
    return { kind: 'card', card, summary: summaryOf(t, host) };
  },
});

/** "West US 2": the subscription's display name, else the known one, never the bare code when it can be helped. */
async function regionName(services: CommandServices, location: string): Promise<string> {
  const region = (await services.locations.listRegions().catch(() => [])).find((r) => r.name === location);
  return displayRegion(location, region?.displayName);
}

function summaryOf(t: Translator, host: LabHost): string {
  return `${t('status.title')}: ${host.name}`;
}
