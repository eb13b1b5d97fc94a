import type { Activity } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { BUILT_IN_ROLES, DEMO_IDS, DEMO_SERVICE_PRINCIPALS } from '../../src/emulator';
import { SqliteConfirmationStore } from '../../src/storage/sqlite';
import { ACCOUNT_ID, ADMIN, PLAN_ID } from '../support/identities';
import { visibleText } from '../support/visibleText';
import {
  CONVERSATION_ID,
  createDialogHarness,
  submitData,
  teamsMessage,
  turn,
  type DialogHarness,
  type FlowName,
  type Speaker,
} from '../support/dialogHarness';

const ADMIN2 = '00000000-0000-0000-0000-00000000ad02';
const SHARED = DEMO_IDS.sharedImagesGalleryId.toLowerCase();
const PHYSICS = DEMO_IDS.physicsGalleryId.toLowerCase();
const CHEM = `${DEMO_IDS.resourceGroupId}/providers/Microsoft.Compute/galleries/chem_gallery`.toLowerCase();
const { waiting, complete } = DialogTurnStatus;

/** What a reply must show: a string it contains, or a pattern its visible text matches. */
type Shows = string | RegExp;

const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

interface Step {
  /** Done before the turn (time passing, an ARM fault). */
  before?: (h: DialogHarness) => void;
  /** Typed text, or the data of a card button taken from the previous turn's replies. */
  send: string | ((previous: Partial<Activity>[]) => Record<string, unknown>);
  as?: Speaker;
  /** Every reply of the turn, in order. */
  replies: Shows[];
  status: DialogTurnStatus;
}

/** The ARM state the rows assert, read from the emulator. */
interface World {
  account: string | undefined;
  plan: string | undefined;
  /** Owner assignments of the lab-plan principal exactly at each gallery. */
  ownerOnPhysics: number;
  ownerOnShared: number;
  galleries: string[];
}

const UNCHANGED: World = { account: undefined, plan: PHYSICS, ownerOnPhysics: 1, ownerOnShared: 0, galleries: ['physics_gallery', 'shared_images'] };

interface Row {
  title: string;
  flow: FlowName;
  hostId: string;
  args: string;
  setup?: (h: DialogHarness) => void;
  steps: Step[];
  world: World;
  /** Proactive reports, in order, once operations have settled. */
  reports: Shows[];
  /** No ARM write at all (the emulator's request log holds reads only). */
  nothingWritten?: boolean;
  more?: (h: DialogHarness, transcript: Partial<Activity>[][]) => Promise<void>;
}

const ownerAt = (h: DialogHarness, galleryId: string) =>
  h.azure.emulator.state
    .roles.at(galleryId)
    .filter((a) => a.principalId === DEMO_SERVICE_PRINCIPALS.labPlan.objectId && a.roleDefinitionGuid === BUILT_IN_ROLES.owner.guid).length;

function world(h: DialogHarness): World {
  const { state } = h.azure.emulator;
  return {
    account: state.labAccounts.get(ACCOUNT_ID)?.sharedGallery?.galleryId.toLowerCase(),
    plan: state.labPlans.get(PLAN_ID)?.sharedGalleryId?.toLowerCase(),
    ownerOnPhysics: ownerAt(h, DEMO_IDS.physicsGalleryId),
    ownerOnShared: ownerAt(h, DEMO_IDS.sharedImagesGalleryId),
    galleries: state.galleries
      .listGalleries()
      .map((g) => g.name)
      .sort(),
  };
}

const armWrites = (h: DialogHarness) => h.azure.emulator.requestLog.filter((e) => e.method !== 'GET');

function expectShown(replies: Partial<Activity>[], expected: Shows[]): void {
  const texts = replies.map(visibleText);
  expect(texts).toHaveLength(expected.length);
  expected.forEach((shows, i) => {
    if (typeof shows === 'string') expect(texts[i]).toContain(shows);
    else expect(texts[i]).toMatch(shows);
  });
}

const proposal = (gallery: string, host: string): Step => ({ send: `attach ${gallery}`, replies: [`Attach ${gallery} to ${host}?`], status: waiting });
const confirmed = (gallery: string, host: string): Step => ({ send: 'yes', replies: [new RegExp(`^⏳ Attaching \\*\\*${gallery}\\*\\* to \\*\\*${host}\\*\\*…`)], status: complete });
const ATTACHED_ACCOUNT = /^✅ \*\*shared_images\*\* is now attached to \*\*chemistry-account\*\*\. It has \d+ images, \d+ enabled\.$/;
const ASK_NAME = 'What should the new gallery be called? Letters, digits, underscores (_) and periods (.), up to 80 characters, no spaces.';
const CANCELLED = exactly('Cancelled. Nothing was changed.');
/** A card answered by a click or a typed answer, replaced in place by what became of it. */
const CARD_CANCELLED = /^Cancelled: nothing was changed\.\nCancelled by /;
const PICKED = (gallery: string) => new RegExp(`^Gallery \\*\\*${gallery}\\*\\* chosen\\.\\nChosen by `);

const attachRows: Row[] = [
  {
    title: 'named gallery: proposal card, yes, attached in the background, one report',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    steps: [proposal('shared_images', 'chemistry-account'), confirmed('shared_images', 'chemistry-account')],
    world: { ...UNCHANGED, account: SHARED },
    reports: [ATTACHED_ACCOUNT],
  },
  {
    title: 'no gallery named: choice card, pickGallery submit, proposal, yes, attached',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: '',
    steps: [
      { send: 'attach', replies: [/Choose a gallery to attach[\s\S]*physics_gallery[\s\S]*shared_images/], status: waiting },
      {
        send: ([choice]) => submitData(choice, 'pickGallery', (d) => String(d.galleryId).toLowerCase() === SHARED),
        replies: ['Attach shared_images to chemistry-account?', PICKED('shared_images')],
        status: waiting,
      },
      confirmed('shared_images', 'chemistry-account'),
    ],
    world: { ...UNCHANGED, account: SHARED },
    reports: [ATTACHED_ACCOUNT],
  },
  {
    title: 'choice card Cancel button: cancelled, nothing changed',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: '',
    steps: [
      { send: 'attach', replies: ['Choose a gallery to attach'], status: waiting },
      { send: ([choice]) => submitData(choice, 'cancelDialog'), replies: [CANCELLED, CARD_CANCELLED], status: complete },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'unknown gallery: says which, nothing changed',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'no_such_gallery',
    steps: [{ send: 'attach no_such_gallery', replies: [exactly('No Azure Compute Gallery named "no_such_gallery" was found in this subscription.')], status: complete }],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'invalid gallery id: says so, nothing changed',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: '/subscriptions/x/not-a-gallery',
    steps: [
      {
        send: 'attach /subscriptions/x/not-a-gallery',
        replies: [exactly('"/subscriptions/x/not-a-gallery" is not the resource id of an Azure Compute Gallery.')],
        status: complete,
      },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'lab plan that already has a gallery: refused, nothing changed',
    flow: 'attach',
    hostId: PLAN_ID,
    args: 'shared_images',
    steps: [
      {
        send: 'attach shared_images',
        replies: [exactly('**physics-plan** already has the gallery **physics_gallery** attached. Only one gallery can be attached at a time: detach it first.')],
        status: complete,
      },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'an unrecognised answer re-asks; no cancels and changes nothing',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    steps: [
      proposal('shared_images', 'chemistry-account'),
      { send: 'maybe', replies: [exactly('Answer with the card buttons, or type yes or no.')], status: waiting },
      { send: 'no', replies: [CARD_CANCELLED], status: complete },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'yes after the 10-minute TTL: expired, nothing changed',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    steps: [
      proposal('shared_images', 'chemistry-account'),
      {
        before: (h) => h.clock.advance(10 * 60_000 + 1),
        send: 'yes',
        replies: [exactly('This confirmation expired after 10 minutes. Nothing was changed; run **attach** again.')],
        status: complete,
      },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'ARM refuses the attach write (lab account): failure report, nothing attached',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    setup: (h) => h.azure.emulator.faults.add({ method: 'PUT', path: /sharedGalleries/i, status: 403, code: 'AuthorizationFailed' }),
    steps: [proposal('shared_images', 'chemistry-account'), confirmed('shared_images', 'chemistry-account')],
    world: UNCHANGED,
    reports: [/^❌ Attaching \*\*shared_images\*\* to \*\*chemistry-account\*\* failed\. Azure refused: the bot is not authorized .*\(Reference: turn-2\)$/],
  },
  {
    title: 'half-way on a lab plan: Owner granted, then the attach write fails: failure report, nothing attached',
    flow: 'attach',
    hostId: PLAN_ID,
    args: 'shared_images',
    setup: (h) => {
      h.azure.emulator.state.labPlans.setGallery(PLAN_ID, undefined);
      h.azure.emulator.faults.add({ method: 'PATCH', path: /\/labPlans\/physics-plan$/i, status: 403, code: 'AuthorizationFailed' });
    },
    steps: [
      { send: 'attach shared_images', replies: [/Attach shared_images to physics-plan\?[\s\S]*first give the Azure Lab Services service the Owner role/], status: waiting },
      confirmed('shared_images', 'physics-plan'),
    ],
    // The granted Owner is left in place: a retried attach finds it and goes straight to the attach write.
    world: { ...UNCHANGED, plan: undefined, ownerOnShared: 1 },
    reports: [
      /^❌ Attaching \*\*shared_images\*\* to \*\*physics-plan\*\* failed\. Azure refused: the bot is not authorized .* The Owner role given to Azure Lab Services on the gallery was left in place .*\(Reference: turn-2\)$/,
    ],
  },
  {
    title: 'throttled five times (429, Retry-After 0): still attached, one report',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    setup: (h) =>
      h.azure.emulator.faults.add({ method: 'PUT', path: /sharedGalleries/i, status: 429, code: 'TooManyRequests', times: 5, retryAfterSeconds: 0 }),
    steps: [proposal('shared_images', 'chemistry-account'), confirmed('shared_images', 'chemistry-account')],
    world: { ...UNCHANGED, account: SHARED },
    reports: [ATTACHED_ACCOUNT],
    more: async (h) => {
      expect(h.azure.emulator.requestLog.filter((e) => e.status === 429)).toHaveLength(5);
    },
  },
  {
    title: 'in French: oui attaches, and the report is in French',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    steps: [
      { send: 'attach shared_images', as: { aadObjectId: ADMIN, locale: 'fr-FR' }, replies: ['Attacher shared_images à chemistry-account ?'], status: waiting },
      { send: 'oui', as: { aadObjectId: ADMIN, locale: 'fr-FR' }, replies: [/^⏳ Attachement de \*\*shared_images\*\* à \*\*chemistry-account\*\*…/], status: complete },
    ],
    world: { ...UNCHANGED, account: SHARED },
    reports: [/^✅ \*\*shared_images\*\* est maintenant attachée à \*\*chemistry-account\*\*\./],
  },
  {
    title: 'another admin types yes: refused as not the requester, nothing runs',
    flow: 'attach',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    steps: [
      proposal('shared_images', 'chemistry-account'),
      { send: 'yes', as: { aadObjectId: ADMIN2 }, replies: [exactly('Only the admin who asked can answer this. Nothing was changed.')], status: complete },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
    more: async (h, transcript) => {
      expect(await h.services.audit.recent(10)).toEqual([]);
      // The refusal does not use the proposal up: it is still the requester's to answer (with the card).
      const card = transcript[0]?.[0];
      const stored = await new SqliteConfirmationStore(h.db).get(String(submitData(card, 'confirm').confirmationId));
      expect(stored).toMatchObject({ requestedBy: ADMIN });
      expect(stored?.usedAt).toBeUndefined();
    },
  },
];

const createRows: Row[] = [
  {
    title: 'name missing: asks; an invalid name gets the exact problem and the question again; a valid one is created once and attached',
    flow: 'create',
    hostId: ACCOUNT_ID,
    args: '',
    steps: [
      { send: 'create', replies: [exactly(ASK_NAME)], status: waiting },
      {
        send: 'bad-name!',
        replies: [exactly('"bad-name!" cannot be a gallery name. Use only letters, digits, underscores (_) and periods (.), with no spaces. These signs are not allowed: "-" "!"'), exactly(ASK_NAME)],
        status: waiting,
      },
      { send: 'chem_gallery', replies: [/Create chem_gallery and attach it to chemistry-account\?[\s\S]*West Europe/], status: waiting },
      { send: 'yes', replies: [/^⏳ Creating \*\*chem_gallery\*\* and attaching it to \*\*chemistry-account\*\*…/], status: complete },
    ],
    world: { ...UNCHANGED, account: CHEM, galleries: ['chem_gallery', 'physics_gallery', 'shared_images'] },
    reports: [/^✅ \*\*chem_gallery\*\* was created and attached to \*\*chemistry-account\*\*\./],
    more: async (h) => {
      expect(armWrites(h).filter((e) => e.method === 'PUT' && /\/galleries\/chem_gallery$/i.test(e.path))).toHaveLength(1);
    },
  },
  {
    title: 'a gallery of that name exists: says so and how to attach it, nothing changed',
    flow: 'create',
    hostId: ACCOUNT_ID,
    args: 'shared_images',
    steps: [
      {
        send: 'create shared_images',
        replies: [exactly('A gallery named **shared_images** already exists in rg-labs. To use it, run **attach shared_images**.')],
        status: complete,
      },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
];

const detachRows: Row[] = [
  {
    title: 'lab plan: impact card, no: nothing changed',
    flow: 'detach',
    hostId: PLAN_ID,
    args: '',
    steps: [
      { send: 'detach', replies: [/Detach physics_gallery from physics-plan\?[\s\S]*Mechanics 101[\s\S]*Also remove the Owner role/], status: waiting },
      { send: 'no', replies: [CARD_CANCELLED], status: complete },
    ],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
  {
    title: 'lab plan: typed yes detaches and keeps the Owner role',
    flow: 'detach',
    hostId: PLAN_ID,
    args: '',
    steps: [
      { send: 'detach', replies: ['Detach physics_gallery from physics-plan?'], status: waiting },
      { send: 'yes', replies: [/^⏳ Detaching \*\*physics_gallery\*\* from \*\*physics-plan\*\*…/], status: complete },
    ],
    world: { ...UNCHANGED, plan: undefined },
    reports: [exactly('✅ **physics_gallery** was detached from **physics-plan**.')],
  },
  {
    title: 'lab account with nothing attached: says so, nothing changed',
    flow: 'detach',
    hostId: ACCOUNT_ID,
    args: '',
    steps: [{ send: 'detach', replies: [exactly('**chemistry-account** has no gallery attached; nothing to detach.')], status: complete }],
    world: UNCHANGED,
    reports: [],
    nothingWritten: true,
  },
];

describe("gallery dialogs on their own (DialogTestClient('msteams'), SQLite, ARM emulator)", () => {
  let h: DialogHarness;
  beforeEach(async () => {
    h = await createDialogHarness({ access: { adminIds: [ADMIN2] } });
  });
  afterEach(() => h.close());

  const play = async (row: Row): Promise<void> => {
    row.setup?.(h);
    const client = h.client(row.flow, { hostId: row.hostId, requestedBy: ADMIN, args: row.args });
    const transcript: Partial<Activity>[][] = [];
    for (const step of row.steps) {
      step.before?.(h);
      const previous = transcript[transcript.length - 1] ?? [];
      const input = typeof step.send === 'string' ? step.send : step.send(previous);
      const before = h.updated.length;
      // What the turn shows: new messages, then cards it replaced in place (an answered proposal or picker).
      const replies = [...(await turn(client, teamsMessage(input, step.as ?? { aadObjectId: ADMIN }))), ...h.updated.slice(before)];
      expectShown(replies, step.replies);
      expect(client.dialogTurnResult.status).toBe(step.status);
      transcript.push(replies);
    }
    await h.settle();
    expect(world(h)).toEqual(row.world);
    // Each report is what its message says in the end: an operation's card, updated in place, or a text.
    expectShown(
      // A card's headline (its first line; the footer says who confirmed it).
      h.notifier.outcomes().map((text) => ({ text: text.split('\n')[0] })),
      row.reports,
    );
    expect([...h.notifier.sent, ...h.notifier.adopted].every((s) => s.conversationId === CONVERSATION_ID)).toBe(true);
    if (row.nothingWritten) expect(armWrites(h)).toEqual([]);
    await row.more?.(h, transcript);
  };

  describe('attach', () => {
    it.each(attachRows.map((row) => [row.title, row] as const))('%s', (_title, row) => play(row));
  });

  describe('create', () => {
    it.each(createRows.map((row) => [row.title, row] as const))('%s', (_title, row) => play(row));
  });

  describe('detach', () => {
    it.each(detachRows.map((row) => [row.title, row] as const))('%s', (_title, row) => play(row));
  });
});
