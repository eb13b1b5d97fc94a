import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIALOG_CHOICE_VERBS, SUBMIT_VERBS } from '../../src/interaction';
import { routeTurn, type MessageTurn, type ReadDialog, type Route } from '../../src/bot/routeTurn';

const READ: ReadDialog = { kind: 'readDialog' };
const COMMAND: Route = { kind: 'command' };
const CONTINUE: Route = { kind: 'continueDialog' };
const OTHERS: Route = { kind: 'refuse', message: 'proposal.othersDialog' };
const EXPIRED: Route = { kind: 'refuse', message: 'proposal.choiceExpired' };
const confirm = (answer: 'yes' | 'no', endOwnDialog: boolean, more: Partial<{ confirmationId: string; removeRole: boolean }> = {}): Route => ({
  kind: 'confirm',
  confirmationId: 'c-1',
  answer,
  removeRole: false,
  endOwnDialog,
  ...more,
});

const typed = (text: string, isCommand: boolean, dialog: MessageTurn['dialog']): MessageTurn => ({ text, isCommand, dialog });
const submit = (value: Record<string, unknown>, dialog: MessageTurn['dialog'], text = '', isCommand = false): MessageTurn => ({ text, value, isCommand, dialog });

describe('routeTurn', () => {
  it.each<[string, MessageTurn, Route | ReadDialog]>([
    // Typed commands: never a dialog answer, routed without reading dialog state.
    ['typed command', typed('help', true, 'unread'), COMMAND],
    ['typed command while my dialog waits (it replaces it)', typed('detach', true, 'mine'), COMMAND],
    ["typed command while someone else's dialog waits", typed('status', true, 'others'), COMMAND],
    // Mention alone (empty text): help, whatever dialog waits.
    ['mention only', typed('', false, 'unread'), COMMAND],
    ['mention only, my dialog waiting', typed('', false, 'mine'), COMMAND],
    // Other typed text: an answer to the pending dialog, if any.
    ['other text: needs the dialog', typed('yes', false, 'unread'), READ],
    ['other text, no dialog: dispatched (unknown word)', typed('please detach', false, 'none'), COMMAND],
    ['other text, my dialog: continues it', typed('physics_gallery', false, 'mine'), CONTINUE],
    ["other text, someone else's dialog: refused", typed('yes', false, 'others'), OTHERS],
    // Proposal card buttons: the proposal answers, whatever dialog waits; the sender's own dialog ends.
    ['confirm: needs the dialog', submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'yes' }, 'unread'), READ],
    ['confirm yes, my dialog', submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'yes' }, 'mine'), confirm('yes', true)],
    ['confirm no, no dialog', submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'no' }, 'none'), confirm('no', false)],
    ["confirm yes, someone else's dialog (stays)", submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'yes' }, 'others'), confirm('yes', false)],
    ['confirm, odd answer is no', submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'YES' }, 'none'), confirm('no', false)],
    ['confirm with the remove-role toggle on', submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'yes', removeRole: 'true' }, 'none'), confirm('yes', false, { removeRole: true })],
    ['confirm without an id', submit({ verb: 'confirm', answer: 'yes' }, 'none'), confirm('yes', false, { confirmationId: '' })],
    // Crafted values (found by the fuzz test, seed 96806168): String() of such an object threw and broke the turn.
    ['a verb that is an object with a toString that is not a function', submit({ verb: { toString: 1 } }, 'none'), COMMAND],
    ['confirm whose id is an object', submit({ verb: 'confirm', confirmationId: { toString: 1 }, answer: 'yes' }, 'none'), confirm('yes', false, { confirmationId: '' })],
    ['confirm with typed text beside it', submit({ verb: 'confirm', confirmationId: 'c-1', answer: 'yes' }, 'none', 'help', true), confirm('yes', false)],
    // Choice-card buttons: only the dialog's starter; with no dialog, the card has expired.
    ['pickGallery: needs the dialog', submit({ verb: 'pickGallery', galleryId: 'g' }, 'unread'), READ],
    ['pickGallery, my dialog', submit({ verb: 'pickGallery', galleryId: 'g' }, 'mine'), CONTINUE],
    ['galleryPage, my dialog', submit({ verb: 'galleryPage', page: '1' }, 'mine'), CONTINUE],
    ['cancelDialog, my dialog', submit({ verb: 'cancelDialog' }, 'mine'), CONTINUE],
    ["pickGallery, someone else's dialog", submit({ verb: 'pickGallery', galleryId: 'g' }, 'others'), OTHERS],
    ['galleryPage, no dialog', submit({ verb: 'galleryPage', page: '1' }, 'none'), EXPIRED],
    ['cancelDialog, no dialog', submit({ verb: 'cancelDialog' }, 'none'), EXPIRED],
    // A submit of any other verb (or none) is not a dialog answer: its text, if any, is dispatched.
    ['submit of an unknown verb', submit({ verb: 'images.page' }, 'unread'), COMMAND],
    ['submit without a verb', submit({ page: 2 }, 'unread'), COMMAND],
    ['submit with a non-string confirm verb', submit({ verb: ['confirm'] }, 'unread'), COMMAND],
    ['submit of an unknown verb with other text: needs the dialog', submit({ verb: 'x' }, 'unread', 'yes'), READ],
    ['submit of an unknown verb with other text, my dialog', submit({ verb: 'x' }, 'mine', 'yes'), CONTINUE],
  ])('%s', (_title, turn, route) => {
    expect(routeTurn(turn)).toEqual(route);
  });

  it('never asks for the dialog once it is known', () => {
    const verbs = [undefined, 'confirm', 'pickGallery', 'galleryPage', 'cancelDialog', 'other'];
    for (const dialog of ['none', 'mine', 'others'] as const) {
      for (const verb of verbs) {
        for (const [text, isCommand] of [['', false], ['yes', false], ['help', true]] as const) {
          const turn: MessageTurn = { text, isCommand, dialog, ...(verb ? { value: { verb } } : {}) };
          expect(routeTurn(turn).kind).not.toBe('readDialog');
        }
      }
    }
  });
});

describe('Submit verbs', () => {
  const cardsDir = path.join(__dirname, '..', '..', 'cards');
  const templateVerbs = (file: string): string[] =>
    [...fs.readFileSync(path.join(cardsDir, file), 'utf8').matchAll(/"verb":\s*"([^"]+)"/g)].map((m) => m[1] ?? '');

  it('are the ones the templates emit', () => {
    expect(new Set(templateVerbs('proposal.json'))).toEqual(new Set([SUBMIT_VERBS.confirm]));
    expect(new Set(templateVerbs('galleryChoice.json'))).toEqual(DIALOG_CHOICE_VERBS);
  });
});
