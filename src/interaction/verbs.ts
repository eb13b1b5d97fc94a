export { RETRY_REGIONS_VERB } from '../cards/templates';

/**
 * Card verbs: the one spelling shared by the card models that emit them and the action router that accepts
 * them. A verb no registered action has is refused.
 */
export const IMAGE_VERBS = {
  page: 'images.page',
  refresh: 'images.refresh',
  apply: 'images.apply',
  enableAll: 'images.enableAll',
  disableAll: 'images.disableAll',
  /** Enable all / Disable all ask first; these carry the admin's yes. */
  confirmEnableAll: 'images.confirmEnableAll',
  confirmDisableAll: 'images.confirmDisableAll',
  /** A shared card's "My options": the caller's own view. */
  mine: 'images.mine',
} as const;

/** Teacher's "Use as template" on the image list; data `{ image: <image name> }`. Its action is registered by the lab-creation flow. */
export const TEMPLATE_PICK_VERB = 'template.pick';

/**
 * Prefix of the image list's Input.Toggle ids. Teams merges inputs into the action data by id, so the prefix
 * keeps an image name from colliding with the card's own fields (`page`, `filter`).
 */
export const IMAGE_TOGGLE_PREFIX = 'image:';

export function imageToggleId(imageName: string): string {
  return `${IMAGE_TOGGLE_PREFIX}${imageName}`;
}

/**
 * Action.Submit verbs: buttons that come back as a message whose value carries `verb`. The templates that emit
 * them spell them too (cards/proposal.json, cards/galleryChoice.json); test/bot/routeTurn.test.ts checks both agree.
 */
export const SUBMIT_VERBS = {
  /** Proposal card's Confirm/Cancel; data `{ confirmationId, answer: 'yes' | 'no', removeRole? }`. */
  confirm: 'confirm',
  /** The attach dialog's gallery choice card: pick one, turn a page, or give up. */
  pickGallery: 'pickGallery',
  galleryPage: 'galleryPage',
  cancelDialog: 'cancelDialog',
  /**
   * A command button (welcome, help, "did you mean"): data `{ command }`, read as if the command had been typed.
   * Not Teams' imBack: the Agents Playground ignores imBack, and a plain Submit works in both clients.
   */
  command: 'command',
} as const;

/** The Submit verbs that answer a dialog's pending choice (only its starter may). */
export const DIALOG_CHOICE_VERBS: ReadonlySet<string> = new Set([SUBMIT_VERBS.pickGallery, SUBMIT_VERBS.galleryPage, SUBMIT_VERBS.cancelDialog]);
