/**
 * dialogs/: the multi-turn conversations (botbuilder-dialogs waterfalls), one per file, started with the typed
 * options of interaction/dialogs.ts; galleryFlow.ts holds what they share (proposal, confirm, end with a message).
 */
import type { StatePropertyAccessor } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import { attachDialog } from './attachDialog';
import { createGalleryDialog } from './createDialog';
import { detachDialog } from './detachDialog';
import type { GalleryDialogDeps } from './galleryFlow';
import { replicateDialog } from './replicateDialog';

export type { GalleryDialogDeps } from './galleryFlow';

/** The attach, create-and-attach, detach and replicate conversations: gather what is missing, preflight, propose, confirm. */
export function createGalleryDialogs(dialogState: StatePropertyAccessor<DialogState>, deps: GalleryDialogDeps): DialogSet {
  return new DialogSet(dialogState).add(attachDialog(deps)).add(createGalleryDialog(deps)).add(detachDialog(deps)).add(replicateDialog(deps));
}
