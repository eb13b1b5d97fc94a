/** Ids of the dialogs commands start; the dialogs module registers them under the same ids. */
export const DialogIds = {
  attach: 'attach',
  createGallery: 'createGallery',
  detach: 'detach',
  replicate: 'replicate',
} as const;
