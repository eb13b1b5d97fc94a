import { renderCard } from '../cards/renderCard';
import { statusCard, type StatusCardData } from '../cards/templates';
import { LAB_SERVICES_RETIREMENT, LAB_SERVICES_RETIREMENT_GUIDE, retirementDaysLeft } from '../core/labServicesRetirement';
import { AzureError, lastSegment } from '../kernel';
import type { Translator } from '../i18n/catalog';
import type { Gallery } from '../ports/galleryGateway';
import { regionName as displayRegion } from '../i18n/azureNames';
import { longDate } from '../i18n/timeFormat';
import type { HostImage, LabHost } from '../ports/labHostGateway';
import { type CommandServices, type Reply, textReply } from '../interaction';
import { defineCommand, noArgs, type CommandContext } from './types';

type Fact = StatusCardData['facts'][number];

export const statusCommand = defineCommand<void, CommandServices>({
  id: 'status',
  aliases: ['etat', 'info'],
  summary: 'status.summary',
  usage: 'status.usage',
  role: 'member',
  sideEffects: false,
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  parse: noArgs,
  async handle(ctx) {
    const { t, bound } = ctx;
    if (!bound) return textReply(t('status.unbound'));
    return bound.kind === 'gallery' ? galleryStatus(ctx, bound.galleryId) : hostStatus(ctx, bound.hostId);
  },
});

async function hostStatus({ t, role, services, log }: CommandContext<CommandServices>, hostId: string): Promise<Reply> {
  const roleFact = { title: t('status.role'), value: t(`role.${role}`) };
  let host: LabHost;
  let images: HostImage[];
  try {
    host = await services.labHosts.getHost(hostId);
    // One list call (paged by the SDK); nothing per image.
    images = host.sharedGalleryId ? await services.labHosts.listImages(host.id) : [];
  } catch (error) {
    if (!(error instanceof AzureError)) throw error;
    log.warn({ err: error, hostId }, 'status could not read the lab host');
    const facts = [{ title: t('status.host'), value: lastSegment(hostId) }, roleFact];
    const warning = t('status.hostUnreachable', { reason: t(`azure.${error.kind}`, { target: lastSegment(hostId) }) });
    return statusReply(t, facts, warning, sunsetNotice(t, services.clock.now()), warning);
  }
  const enabled = images.filter((i) => i.enabled).length;
  const facts = [
    // "Lab plan: physics-plan" says both what and which: no separate kind row, no "lab host".
    { title: t(host.kind === 'labPlan' ? 'status.labPlan' : 'status.labAccount'), value: host.name },
    { title: t('status.region'), value: await regionName(t, services, host.location) },
    { title: t('status.gallery'), value: host.sharedGalleryId ? lastSegment(host.sharedGalleryId) : t('status.noGallery') },
    ...(host.sharedGalleryId
      ? [{ title: t('status.images'), value: t('status.imageCounts', { enabled, disabled: images.length - enabled }) }]
      : []),
    roleFact,
  ];
  return statusReply(t, facts, '', sunsetNotice(t, services.clock.now()), `${t('status.title')}: ${host.name}`);
}

/** A gallery alone: its place and its number of images (one read each); nothing about lab hosts, no retirement notice. */
async function galleryStatus({ t, role, services, log }: CommandContext<CommandServices>, galleryId: string): Promise<Reply> {
  const boundFact = { title: t('status.boundTo'), value: t('status.galleryOnly') };
  const roleFact = { title: t('status.role'), value: t(`role.${role}`) };
  let gallery: Gallery;
  let imageCount: number;
  try {
    [gallery, imageCount] = await Promise.all([services.galleries.getGallery(galleryId), services.galleries.listImageDefinitions(galleryId).then((d) => d.length)]);
  } catch (error) {
    if (!(error instanceof AzureError)) throw error;
    log.warn({ err: error, galleryId }, 'status could not read the gallery');
    const facts = [{ title: t('status.galleryName'), value: lastSegment(galleryId) }, boundFact, roleFact];
    const warning = t('status.galleryUnreachable', { reason: t(`azure.${error.kind}`, { target: lastSegment(galleryId) }) });
    return statusReply(t, facts, warning, undefined, warning);
  }
  const facts = [
    { title: t('status.galleryName'), value: gallery.name },
    boundFact,
    { title: t('status.resourceGroup'), value: gallery.resourceGroup },
    { title: t('status.region'), value: await regionName(t, services, gallery.location) },
    { title: t('status.images'), value: t('status.imageTotal', { count: imageCount }) },
    roleFact,
  ];
  return statusReply(t, facts, '', undefined, `${t('status.title')}: ${gallery.name}`);
}

function statusReply(t: Translator, facts: Fact[], warning: string, notice: string | undefined, summary: string): Reply {
  const card = renderCard(statusCard, {
    title: t('status.title'),
    facts,
    warning,
    notice: notice ?? '',
    noticeUrl: notice ? LAB_SERVICES_RETIREMENT_GUIDE : '',
    noticeLinkLabel: notice ? t('status.sunsetLink') : '',
  });
  return { kind: 'card', card, summary };
}

/** Within a year of Lab Services' retirement: the date and the days left, in the reader's language. */
function sunsetNotice(t: Translator, now: number): string | undefined {
  const days = retirementDaysLeft(now);
  if (days === undefined) return undefined;
  return t('status.sunset', { date: longDate(LAB_SERVICES_RETIREMENT, t), days: Math.max(0, days) });
}

/** "West US 2": the subscription's display name, else the known one, never the bare code when it can be helped. */
async function regionName(t: Translator, services: CommandServices, location: string): Promise<string> {
  const region = (await services.locations.listRegions().catch(() => [])).find((r) => r.name === location);
  return displayRegion(location, t.language, region?.displayName);
}
