import { renderCard } from '../cards/renderCard';
import { proposalCard } from '../cards/templates';
import { regionName } from '../i18n/azureNames';
import { actingUserId, boundGalleryId, type CommandServices, RETRY_REGIONS_VERB, textReply } from '../interaction';
import { invalidData, readString } from './cardData';
import { defineCardAction } from './types';

/** Names as Azure allows them for image definitions and versions: anything else on a card is forged. */
const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const VERSION_NAME = /^\d{1,9}\.\d{1,9}\.\d{1,9}$/;

/**
 * The failure announcement's "Retry failed regions": reads the version as it is now (the card's data names it,
 * never which regions failed), then proposes the retry, with what it costs, to the admin who pressed it. Their
 * Confirm journals a `retryRegions` operation like any other proposal.
 */
export const retryRegionsAction = defineCardAction<{ image: string; version: string }, CommandServices>({
  verb: RETRY_REGIONS_VERB,
  role: 'admin',
  sideEffects: true,
  needsHost: false,
  parse(data) {
    const image = readString(data, 'image');
    const version = readString(data, 'version');
    if (!image || !version || !IMAGE_NAME.test(image) || !VERSION_NAME.test(version)) return invalidData();
    return { ok: true, value: { image, version } };
  },
  async handle({ request, t, binding, services, later }, { image, version }) {
    const galleryId = await boundGalleryId(services, binding);
    const found = await services.galleries.getVersion(`${galleryId}/images/${image}/versions/${version}`, { withReplication: true });
    const failed = new Set((found.replication?.regions ?? []).filter((r) => r.state === 'Failed').map((r) => r.region));
    const retried = found.targetRegions.filter((r) => failed.has(r.name));
    const kept = found.targetRegions.filter((r) => !failed.has(r.name));
    if (retried.length === 0) return textReply(t('retryRegions.nothingFailed', { image, version }));
    if (kept.length === 0) return textReply(t('retryRegions.nothingLeft', { version }));
    const regions = await services.locations.listRegions();
    const display = (name: string) => regionName(name, t.language, regions.find((r) => r.name === name)?.displayName);
    const replicas = retried.reduce((n, r) => n + r.replicaCount, 0);
    const sizeGB = found.osDiskSizeGB ?? 0;
    const confirmation = await services.confirmations.propose({
      conversationId: request.conversation.id,
      requestedBy: actingUserId(request.user),
      action: 'retryRegions',
      target: found.id,
      // A lab host, or the gallery itself in a conversation bound to it alone (journaled against it, as replicate).
      params: { hostId: binding.hostId, regions: retried.map((r) => r.name), image, version, sizeGB },
    });
    const title = t('retryRegions.proposalTitle', { image, version });
    const card = renderCard(proposalCard, {
      title,
      facts: [
        { title: t('retryRegions.fact.regions'), value: retried.map((r) => display(r.name)).join(', ') },
        { title: t('retryRegions.fact.kept'), value: kept.map((r) => display(r.name)).join(', ') },
        { title: t('retryRegions.fact.cost'), value: t('retryRegions.cost', { size: sizeGB * replicas, count: retried.length, replicas }) },
      ],
      notes: [{ text: t('retryRegions.note.steps') }, { text: t('replicate.note.billed') }, { text: t('retryRegions.note.tracked') }],
      warning: '',
      toggleLabel: '',
      footer: t('proposal.footer'),
      confirmationId: confirmation.id,
      confirmLabel: t('common.confirm'),
      cancelLabel: t('common.cancel'),
    });
    // Posted as a message of its own: the announcement it answers stays as everyone saw it.
    later(Promise.resolve({ kind: 'card', card, summary: title }));
    return textReply(t('retryRegions.proposed'));
  },
});
