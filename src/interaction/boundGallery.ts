import { lastSegment, UserError } from '../kernel';
import type { HostBinding } from '../ports/stores';
import type { CommandServices } from './services';

/**
 * The gallery a conversation works on: the gallery it is bound to alone, else the one attached to its bound lab
 * host. The one place that says so, for the commands and actions that need a gallery and no host (inventory, retry
 * of failed regions).
 */
export async function boundGalleryId(services: Pick<CommandServices, 'labHosts'>, binding: HostBinding): Promise<string> {
  if (binding.kind === 'gallery') return binding.hostId;
  const host = await services.labHosts.getHost(binding.hostId);
  if (!host.sharedGalleryId) throw new UserError('inventory.noGallery', { host: host.name || lastSegment(binding.hostId) });
  return host.sharedGalleryId;
}
