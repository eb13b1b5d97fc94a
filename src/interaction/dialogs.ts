/** Ids of the dialogs commands start (through a DialogStart the edge runs); the dialogs register under the same ids. */
export const DialogIds = {
  attach: 'attach',
  createGallery: 'createGallery',
  detach: 'detach',
  replicate: 'replicate',
} as const;

/** A command that needs a conversation (prompts, a confirmation) asks the edge to start a dialog. */
export interface DialogStart {
  kind: 'dialog';
  dialogId: string;
  options: DialogRequest;
}

/** What every dialog is started with. */
export interface DialogRequest {
  hostId: string;
  requestedBy: string;
  args: string;
}
