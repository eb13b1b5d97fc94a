import { AzureError, checkFeatures, fixingRole, isPermitted, lastSegment, parseLabHostId, requiredPermissions, type FeatureCheck, type PermissionBlock } from '../kernel';
import type { Logger } from '../ports/logger';
import type { Translator } from '../i18n/catalog';
import { type CommandServices, textReply, userMessageOf } from '../interaction';
import { defineCommand, noArgs } from './types';

/**
 * `doctor`: what the bot's own Azure identity may do on the bound host and its gallery, per feature, read from
 * ARM's permissions API (two reads), with the built-in role that fixes each missing permission. Without an
 * attached gallery, the gallery's side is read on the host's resource group, where attach and create look.
 */
export const doctorCommand = defineCommand<void, CommandServices>({
  id: 'doctor',
  aliases: ['docteur'],
  summary: 'doctor.summary',
  usage: 'doctor.usage',
  role: 'admin',
  sideEffects: false,
  group: 'setup',
  // Works in a conversation bound to a gallery alone too.
  needsHost: false,
  parse: noArgs,
  async handle({ t, binding, bound, services, log }) {
    if (bound?.kind === 'gallery') return galleryDoctor(t, bound.galleryId, services, log);
    if (!binding) return textReply(t('status.unbound'));
    const ref = parseLabHostId(binding.hostId);
    if (!ref) return textReply(t('doctor.unreadable', { reason: t('azure.notFound', { target: lastSegment(binding.hostId) }) }));
    let checks: FeatureCheck[];
    let scopeLine: string;
    try {
      const host = await services.labHosts.getHost(binding.hostId);
      const galleryScope = host.sharedGalleryId ?? `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}`;
      const [onHost, onGallery]: [PermissionBlock[], PermissionBlock[]] = await Promise.all([services.permissions.listForScope(host.id || binding.hostId), services.permissions.listForScope(galleryScope)]);
      checks = checkFeatures(ref.kind, onHost, onGallery);
      scopeLine = host.sharedGalleryId ? t('doctor.galleryChecked', { gallery: lastSegment(host.sharedGalleryId) }) : t('doctor.noGallery', { resourceGroup: ref.resourceGroup });
    } catch (error) {
      if (!(error instanceof AzureError)) throw error;
      log.warn({ err: error, hostId: binding.hostId }, 'doctor could not read the bot identity permissions');
      return textReply(t('doctor.unreadable', { reason: t(userMessageOf(error, { key: 'azure.unavailable', params: {} })) }));
    }
    return textReply(report(t, ref.name, scopeLine, checks));
  },
});

/** What a conversation bound to a gallery alone does there: list its images and versions, and replicate them. */
const GALLERY_FEATURES = [
  { feature: 'listImages', actions: ['Microsoft.Compute/galleries/read', 'Microsoft.Compute/galleries/images/read', 'Microsoft.Compute/galleries/images/versions/read'] },
  { feature: 'replicate', actions: requiredPermissions('labPlan', 'replicate').map((p) => p.action) },
] as const;

/** One permissions read, on the gallery's own scope. */
async function galleryDoctor(t: Translator, galleryId: string, services: CommandServices, log: Logger) {
  let blocks: PermissionBlock[];
  try {
    blocks = await services.permissions.listForScope(galleryId);
  } catch (error) {
    if (!(error instanceof AzureError)) throw error;
    log.warn({ err: error, galleryId }, 'doctor could not read the bot identity permissions on the gallery');
    return textReply(t('doctor.unreadable', { reason: t(userMessageOf(error, { key: 'azure.unavailable', params: {} })) }));
  }
  const checks = GALLERY_FEATURES.map(({ feature, actions }) => ({ label: t(`doctor.feature.${feature}`), missing: actions.filter((action) => !isPermitted(blocks, action)) }));
  const lines = checks.map(({ label, missing }) =>
    missing.length === 0
      ? `- ${t('doctor.works', { feature: label })}`
      : `- ${t('doctor.lacks', { feature: label, missing: missing.map((action) => t('doctor.missingOnGallery', { action, role: fixingRole(action) })).join('; ') })}`,
  );
  const lacking = checks.filter((c) => c.missing.length > 0).length;
  const footer = lacking === 0 ? t('doctor.allGood') : t('doctor.someMissing', { count: lacking, total: checks.length });
  return textReply([t('doctor.galleryTitle', { gallery: lastSegment(galleryId) }), t('doctor.galleryOnly'), '', ...lines, '', footer].join('\n'));
}

function report(t: Translator, host: string, scopeLine: string, checks: readonly FeatureCheck[]): string {
  const lines = checks.map((c) => {
    const feature = t(`doctor.feature.${c.feature}`);
    if (c.missing.length === 0) return `- ${t('doctor.works', { feature })}`;
    const missing = c.missing.map((m) => t(m.on === 'host' ? 'doctor.missingOnHost' : 'doctor.missingOnGallery', { action: m.action, role: m.role })).join('; ');
    return `- ${t('doctor.lacks', { feature, missing })}`;
  });
  const lacking = checks.filter((c) => c.missing.length > 0).length;
  const footer = lacking === 0 ? t('doctor.allGood') : t('doctor.someMissing', { count: lacking, total: checks.length });
  return [t('doctor.title', { host }), scopeLine, '', ...lines, '', footer].join('\n');
}
