import { DIALOG_CHOICE_VERBS, SUBMIT_VERBS } from '../interaction';
import type { MessageKey } from '../i18n/catalog';

/** The conversation's pending dialog as seen by this turn's sender. */
export type DialogStanding = 'none' | 'mine' | 'others';

/** A message turn, reduced to what routing looks at. */
export interface MessageTurn {
  /** Normalised text (mention stripped); empty for a mention alone or a card submit. */
  text: string;
  /** An Action.Submit's data, when the message is one. */
  value?: Readonly<Record<string, unknown>>;
  /** Whether `text` starts with a command word. */
  isCommand: boolean;
  /**
   * The pending dialog, or 'unread': reading it costs a state read, so the edge reads it only when
   * routeTurn answers `readDialog`.
   */
  dialog: DialogStanding | 'unread';
}

export type Route =
  /** Dispatch the text as a command (empty text is help); a dialog it starts replaces any pending one. */
  | { kind: 'command' }
  /** A proposal card's button: answer that proposal; the sender's own pending dialog ends with it. */
  | { kind: 'confirm'; confirmationId: string; answer: 'yes' | 'no'; removeRole: boolean; endOwnDialog: boolean }
  /** The pending dialog's starter answered it (a typed answer or a choice-card button). */
  | { kind: 'continueDialog' }
  /** Someone else's dialog, or a choice card with no dialog behind it any more: say so, change nothing. */
  | { kind: 'refuse'; message: MessageKey };

/** The route depends on the pending dialog: read it and route again. */
export interface ReadDialog {
  kind: 'readDialog';
}

/**
 * Where a message turn goes. A typed command never continues a dialog (and is routed without reading dialog
 * state); a proposal's confirm button goes to the proposal whatever dialog is pending; choice buttons and
 * typed answers continue the pending dialog, but only for the person who started it; anything else — a
 * mention alone, an unknown word, a submit of another verb — is dispatched as a command.
 * Action.Execute buttons are not messages: they arrive as `adaptiveCard/action` invokes, answered by the
 * card action router.
 */
export function routeTurn(turn: MessageTurn & { dialog: DialogStanding }): Route;
export function routeTurn(turn: MessageTurn): Route | ReadDialog;
export function routeTurn(turn: MessageTurn): Route | ReadDialog {
  const { value, isCommand, dialog } = turn;
  if (!value && isCommand) return { kind: 'command' };
  const confirm = value?.verb === SUBMIT_VERBS.confirm;
  // A verb is a string or nothing we know: String() of a crafted object would run its own toString.
  const choice = value !== undefined && typeof value.verb === 'string' && DIALOG_CHOICE_VERBS.has(value.verb);
  const answer = !isCommand && turn.text !== '';
  if ((confirm || choice || answer) && dialog === 'unread') return { kind: 'readDialog' };
  const mine = dialog === 'mine';

  if (value && confirm) {
    return {
      kind: 'confirm',
      confirmationId: typeof value.confirmationId === 'string' ? value.confirmationId : '',
      answer: value.answer === 'yes' ? 'yes' : 'no',
      removeRole: value.removeRole === 'true',
      endOwnDialog: mine,
    };
  }
  if (choice) {
    if (mine) return { kind: 'continueDialog' };
    return { kind: 'refuse', message: dialog === 'others' ? 'proposal.othersDialog' : 'proposal.choiceExpired' };
  }
  if (answer && (dialog === 'mine' || dialog === 'others')) {
    return mine ? { kind: 'continueDialog' } : { kind: 'refuse', message: 'proposal.othersDialog' };
  }
  return { kind: 'command' };
}
