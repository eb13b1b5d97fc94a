import type { HostDirectory } from '../core/hostDirectory';
import type { ImageService } from '../core/imageService';
import type { LabCreationService } from '../core/labCreationService';
import type { ConfirmationService } from '../core/confirmationService';
import type { FileShelf } from '../core/fileShelf';
import type { OperationPosts } from '../operations/operationPosts';
import type { Clock } from '../ports/clock';
import type { GalleryGateway } from '../ports/galleryGateway';
import type { ReplicationWatchStore } from '../ports/replicationWatches';
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
  locations: LocationGateway;
  images: ImageService;
  labs: LabCreationService;
  /** The bot identity's own Azure permissions (`doctor`). */
  permissions: PermissionGateway;
  /**
   * Gallery reads, uncached (they must see Azure as it is): conversations bound to a gallery alone (`bind gallery`,
   * `status`, `images`, `doctor`), `inventory` and the retry of failed regions.
   */
  galleries: GalleryGateway;
  /** What the replication tracker knows of each version (inventory's replication state, without ARM reads). */
  replicationWatches: Pick<ReplicationWatchStore, 'get'>;
  /** Files made for someone (inventory CSVs), until fetched or expired. */
  files: FileShelf;
  /** Proposals waiting for their proposer's answer (a card button that changes Azure proposes first). */
  confirmations: ConfirmationService;
  /** Where an operation's card is recorded (before it is launched), so that its outcome updates that card. */
  posts: OperationPosts;
  /** Runs a journaled operation in the background; never rejects (OperationRunner.launch). */
  launch(operationId: string): void;
}
