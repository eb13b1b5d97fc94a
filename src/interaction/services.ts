import type { HostDirectory } from '../core/hostDirectory';
import type { ImageService } from '../core/imageService';
import type { LabCreationService } from '../core/labCreationService';
import type { Clock } from '../ports/clock';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { LabHostGateway } from '../ports/labHostGateway';
import type { LocationGateway } from '../ports/locationGateway';
import type { PermissionGateway } from '../ports/permissionGateway';
import type { AuditLog, BindingStore } from '../ports/stores';

/** What command and card-action handlers may use. Built once in the composition root. */
export interface CommandServices {
  bindings: BindingStore;
  audit: AuditLog;
  clock: Clock;
  hosts: HostDirectory;
  labHosts: LabHostGateway;
  /** Reads of galleries, for conversations bound to a gallery alone (`bind gallery`, `status`, `images`, `doctor`). */
  galleries: Pick<GalleryGateway, 'getGallery' | 'listGalleries' | 'listImageDefinitions' | 'listVersions'>;
  locations: LocationGateway;
  images: ImageService;
  labs: LabCreationService;
  /** The bot identity's own Azure permissions (`doctor`). */
  permissions: PermissionGateway;
  /** Runs a journaled operation in the background; never rejects (OperationRunner.launch). */
  launch(operationId: string): void;
}
