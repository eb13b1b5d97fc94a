/** Ids of the dialogs commands start; the dialogs module registers them under the same ids. */
export const DialogIds = {
  attach: 'attach',
  createGallery: 'createGallery',
  detach: 'detach',
  replicate: 'replicate',
} as const;

/** What every dialog is started with: the host it acts on and who asked (only they may answer). */
export interface DialogRequest {
  /** The bound lab host; for replicate in a conversation bound to a gallery alone, that gallery. */
  hostId: string;
  requestedBy: string;
}

/** `attach [<gallery name or id>]`: without a gallery the dialog offers a choice card. */
export interface AttachArgs {
  gallery?: string;
}

/** `create [gallery] <name> [in <resource group>] [at <region>]`: without a valid name the dialog asks for one. */
export interface CreateGalleryArgs {
  name?: string;
  resourceGroup?: string;
  location?: string;
}

/** `replicate [<image> [<version>]]`: the newest version when none is named; without an image, a picker. */
export interface ReplicateArgs {
  image: string;
  version?: string;
}

export type AttachOptions = DialogRequest & AttachArgs;
export type CreateGalleryOptions = DialogRequest & CreateGalleryArgs;
export type DetachOptions = DialogRequest;
export type ReplicateOptions = DialogRequest & ReplicateArgs;

/** Each dialog's options, by dialog id. */
export interface DialogOptions {
  [DialogIds.attach]: AttachOptions;
  [DialogIds.createGallery]: CreateGalleryOptions;
  [DialogIds.detach]: DetachOptions;
  [DialogIds.replicate]: ReplicateOptions;
}

export type DialogId = keyof DialogOptions;

/** A command that needs a conversation (prompts, a confirmation) asks the edge to start a dialog. */
export type DialogStart = { [K in DialogId]: { kind: 'dialog'; dialogId: K; options: DialogOptions[K] } }[DialogId];
