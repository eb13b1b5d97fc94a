import fc from 'fast-check';
import type { Activity, InvokeResponse } from 'botbuilder';
import { createCommandRegistry } from '../../src/commands';
import { LAB_FORM_VERBS } from '../../src/core/labForm';
import { SqliteOperationStore } from '../../src/storage/sqlite';
import { IMAGE_TOGGLE_PREFIX, IMAGE_VERBS, SUBMIT_VERBS, TEMPLATE_PICK_VERB } from '../../src/interaction';
import { ACCOUNT_ID, ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, type BotHarness } from '../support/botHarness';
import { labFormInput } from '../support/labFormInput';

/**
 * Property-based fuzzing of the bot edge: generated and mutated messages, card submits, invokes and other
 * activities, sent as each role through the same TestAdapter path real turns take. One bot and one emulator
 * serve every run (state carries over, as in a real chat); each run checks its own effects.
 * Replay a failure with FUZZ_SEED=<seed printed in the title> (and FUZZ_RUNS to change the count).
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 0x7fffffff);
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 10_000;

type Role = 'admin' | 'teacher' | 'member' | 'anonymous' | 'foreign';
const ROLES: readonly Role[] = ['admin', 'teacher', 'member', 'anonymous', 'foreign'];
const WRITES = new Set(['PUT', 'PATCH', 'POST', 'DELETE']);
/** Unique enough to grep for; seeded into texts, card data and lab-form passwords. */
const SECRET = 'Fz9!Secret-Tok3n';

const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
const ODD_TEXT = ['👩🏽‍🔬', '🧪🔥', 'مختبر', 'מעבדה', 'ℌ𝔢𝔩𝔭', 'é', 'ﬁ', '\u0000', '\t', '\n', '<at>Lab Gallery</at>', '&nbsp;', '<p>', '</div>', '&amp;lt;', '%s', '${x}', '{{x}}', '__proto__', 'constructor', '..', '/', '\\'];
const NAMES = ['physics-win11', 'physics-ubuntu', 'optics-sim', 'quantum-gpu', 'win11-office', 'shared_images', 'physics_gallery', 'physics-plan', 'chemistry-account', PLAN_ID, ACCOUNT_ID, '1.0.0', 'westeurope'];

const registry = createCommandRegistry();
const COMMAND_WORDS = registry.commands.flatMap((c) => [c.id, ...c.aliases]);

/**
 * fc.string({ unit: 'binary' })'s characters (every code point but the surrogates, in the same order, so the same
 * seeds give the same values), with an unmapper that computes instead of looking up: fast-check builds its lookup
 * table over all 1.1 million code points when the arbitrary is made, which cost ~2 s of CPU per run of this file.
 */
const SURROGATES = 0xe000 - 0xd800;
const binaryChar = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (index) => String.fromCodePoint(index < 0xd800 ? index : index + SURROGATES),
  (value) => {
    const code = typeof value === 'string' ? value.codePointAt(0) : undefined;
    if (code === undefined || String.fromCodePoint(code) !== value || (code >= 0xd800 && code < 0xe000)) throw new Error('not a binary-unit character');
    return code < 0xd800 ? code : code - SURROGATES;
  },
);

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_TEXT, ...INVISIBLE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: binaryChar, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(SECRET, `password=${SECRET}`) },
  { weight: 1, arbitrary: fc.constantFrom('yes', 'no', 'oui', 'non', 'cancel', '0', '-1', '1e309', 'true') },
);

/** Sprinkles invisible and odd characters into a string. */
const mutated = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE, ...ODD_TEXT)), { maxLength: 3 }), fc.boolean()).map(([text, inserts, upper]) => {
    let out = upper ? text.toUpperCase() : text;
    for (const [at, what] of inserts) {
      const i = out.length ? at % (out.length + 1) : 0;
      out = out.slice(0, i) + what + out.slice(i);
    }
    return out;
  });

const messageText = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...COMMAND_WORDS), fc.array(token, { maxLength: 5 })).map(([word, args]) => [word, ...args].join(' ')) },
  { weight: 2, arbitrary: fc.array(token, { maxLength: 6 }).map((words) => words.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...COMMAND_WORDS), fc.integer({ min: 200, max: 6000 })).map(([word, n]) => `${word} ${'x'.repeat(n)} ${SECRET}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
);

const cardString = mutated(fc.oneof(fc.constantFrom(...NAMES, SECRET, ''), fc.string({ maxLength: 30 })));
const cardScalar = fc.oneof(cardString, fc.integer({ min: -2, max: 20_000 }), fc.double(), fc.boolean(), fc.constant(null));

/** Card data: the shapes our cards send, then mutated (fields dropped, retyped, added, oversized). */
const cardData = fc.oneof(
  { weight: 3, arbitrary: fc.record({ page: fc.oneof(fc.nat(3), cardScalar), filter: fc.oneof(cardString, cardScalar) }, { requiredKeys: [] }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(3), cardString, fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), cardString), fc.constantFrom('true', 'false', true, 'yes')), { maxLength: 5 }))
      .map(([page, filter, toggles]) => ({ page, filter, ...Object.fromEntries(toggles.map(([name, on]) => [`${IMAGE_TOGGLE_PREFIX}${name}`, on])) })),
  },
  { weight: 2, arbitrary: fc.record({ image: fc.oneof(fc.constantFrom(...NAMES), cardString) }, { requiredKeys: [] }) },
  {
    weight: 3,
    arbitrary: fc
      .record({ image: fc.constantFrom('physics-win11', 'win11-office', SECRET), labName: cardString, quotaHours: fc.oneof(fc.constant('12'), cardScalar), capacity: fc.oneof(fc.constant('5'), cardScalar), password: fc.constantFrom(SECRET, `${SECRET}${SECRET}`, '') }, { requiredKeys: ['password'] })
      .map((over) => ({ ...labFormInput(), ...over })),
  },
  { weight: 1, arbitrary: fc.dictionary(cardString, cardScalar, { maxKeys: 8 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'x', 42, [], { __proto__: { polluted: true } }, { page: 'x'.repeat(10_000) }) },
);

const VERBS = [...Object.values(IMAGE_VERBS), TEMPLATE_PICK_VERB, ...Object.values(LAB_FORM_VERBS)];
const verb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...VERBS) }, { weight: 2, arbitrary: mutated(fc.constantFrom(...VERBS, 'images.delete', SECRET, '')) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });

const submitValue = fc.oneof(
  fc.record({ verb: fc.constant(SUBMIT_VERBS.confirm), confirmationId: fc.oneof(fc.uuid(), cardString), answer: fc.constantFrom('yes', 'no', 'maybe'), removeRole: fc.constantFrom('true', 'false', true) }, { requiredKeys: ['verb'] }),
  fc.record({ verb: fc.constantFrom(SUBMIT_VERBS.pickGallery, SUBMIT_VERBS.galleryPage, SUBMIT_VERBS.cancelDialog), galleryId: fc.oneof(fc.constantFrom(...NAMES), cardString), page: cardScalar, dialogId: cardString }, { requiredKeys: ['verb'] }),
  fc.record({ verb: fc.oneof(verb, cardString) }).chain((v) => cardData.map((data) => (data && typeof data === 'object' && !Array.isArray(data) ? { ...v, ...data } : v))),
);

const invokeValue = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(verb, cardData).map(([v, data]) => ({ action: { type: 'Action.Execute', verb: v, data } })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Action.Submit', 'Action.Http', ''), verb, cardData).map(([type, v, data]) => ({ action: { type, verb: v, data } })) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, {}, { action: null }, { action: 'x' }, { action: [] }, 'text', 7, { action: { type: 'Action.Execute' } }) },
);

interface Sent {
  role: Role;
  activity: Partial<Activity>;
}

const sender = (role: Role, id: string): Partial<Activity>['from'] => {
  switch (role) {
    case 'admin':
    case 'foreign':
      return { id, name: 'Ada', aadObjectId: ADMIN };
    case 'teacher':
      return { id, name: 'Tom', aadObjectId: TEACHER };
    case 'member':
      return { id, name: 'Meg', aadObjectId: MEMBER };
    case 'anonymous':
      // A forged channel id: an admin's object id where the channel account id goes.
      return { id: id === 'u-1' ? ADMIN : id, name: 'Eve' };
  }
};

const activity: fc.Arbitrary<Sent> = fc
  .record({
    role: fc.constantFrom(...ROLES),
    fromId: fc.constantFrom('u-1', 'u-2', '29:abc'),
    conversation: fc.constantFrom('conversation-1', 'conversation-2', 'conversation-3'),
    channel: fc.boolean(),
    locale: fc.constantFrom('en-US', 'fr-FR', 'fr', 'ar-SA', 'he-IL', 'xx', ''),
    // Typed text costs the most (most commands read Azure and render a card): a fifth of the runs, to keep the
    // suite's time modest; card submits and invokes, where forged data comes in, get the most.
    kind: fc.constantFrom('text', 'text', 'submit', 'submit', 'invoke', 'invoke', 'invoke', 'invoke', 'other', 'other'),
    text: messageText,
    submit: submitValue,
    invokeName: fc.oneof({ weight: 9, arbitrary: fc.constant('adaptiveCard/action') }, { weight: 1, arbitrary: fc.constantFrom('task/fetch', 'composeExtension/query', 'signin/verifyState', 'config/fetch', 'x') }),
    invoke: invokeValue,
    otherType: fc.constantFrom('conversationUpdate', 'installationUpdate', 'messageReaction', 'event', 'typing', 'endOfConversation', 'x'),
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 20 })),
  })
  .map((r) => {
    const base: Partial<Activity> = {
      id: r.id,
      locale: r.locale,
      from: sender(r.role, r.fromId),
      conversation: { id: r.conversation, isGroup: r.channel, conversationType: r.channel ? 'channel' : 'personal', name: '' },
      channelData: { tenant: { id: r.role === 'foreign' ? 'tenant-elsewhere' : 'tenant-1' } },
    };
    switch (r.kind) {
      case 'text':
        return { role: r.role, activity: { ...base, type: 'message', text: r.channel ? `<at>Lab Gallery</at> ${r.text}` : r.text } };
      case 'submit':
        return { role: r.role, activity: { ...base, type: 'message', value: r.submit } };
      case 'invoke':
        return { role: r.role, activity: { ...base, type: 'invoke', name: r.invokeName, value: r.invoke } };
      default:
        return {
          role: r.role,
          activity: { ...base, type: r.otherType, action: 'add', membersAdded: [{ id: 'bot-1', name: 'Lab Gallery' }], ...(r.otherType === 'x' ? { value: r.invoke } : {}) },
        };
    }
  });

describe('fuzzing the bot edge', () => {
  let h: BotHarness;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  let journal: SqliteOperationStore;
  /** h.settle(), with one store for all runs (a store per call prepares its statements each time). */
  const settle = async () => {
    for (let waited = 0; (await journal.listUnfinished()).length > 0; waited += 5) {
      if (waited > 10_000) throw new Error('operations still unfinished after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  beforeAll(async () => {
    // Throttling off: the emulator's token buckets would otherwise answer some of the many reads with 429s.
    h = await createBotHarness({ allowedTenantIds: ['tenant-1'], emulator: { throttle: false } });
    journal = new SqliteOperationStore(h.db);
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.close();
  });

  const binding = { 'conversation-1': PLAN_ID, 'conversation-2': ACCOUNT_ID } as const;
  /** Admin runs may unbind or rebind: put the bindings back, so that every run meets bound and unbound conversations. */
  const rebind = async () => {
    for (const [conversationId, hostId] of Object.entries(binding)) {
      const current = await h.services.bindings.get(conversationId);
      if (current?.hostId !== hostId) await h.services.bindings.put({ conversationId, hostId, boundBy: ADMIN, boundAt: 0 }, current ? { ifMatch: current.eTag } : { ifNoneMatch: '*' });
    }
  };

  let counts: Record<string, number> = {};
  const spent: Record<string, number> = {};

  it(`survives ${RUNS} generated activities and invokes as every role (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, async () => {
    process.stderr.write(`activities.fuzz: seed ${SEED}, ${RUNS} runs (replay with FUZZ_SEED=${SEED})\n`);
    const started = Date.now();
    await rebind();
    counts = {};
    await fc.assert(
      fc.asyncProperty(activity, async ({ role, activity: sent }) => {
        const key = `${role}/${sent.type}`;
        counts[key] = (counts[key] ?? 0) + 1;
        const t0 = performance.now();
        h.azure.emulator.clearRequestLog();
        // Only this run's lines are looked at: the rest need not be kept (10,000 runs' worth weighed on the GC).
        h.log.lines.length = 0;
        const replies = await h.send(sent);
        // Operations an admin (or a teacher's lab) started run in the background: their writes belong to this run.
        if (role === 'admin' || role === 'teacher') await settle();

        for (const response of replies.filter((r) => r.type === 'invokeResponse')) {
          const { status } = response.value as InvokeResponse;
          // 501 is the protocol's answer to an invoke name the bot does not implement.
          const allowed = status < 500 || (status === 501 && sent.name !== 'adaptiveCard/action');
          if (!allowed) throw new Error(`invoke answered ${status}: ${JSON.stringify(response.value).slice(0, 300)}`);
        }
        const shown = JSON.stringify(replies);
        if (/something went wrong|un problème est survenu|could not complete that action/i.test(shown)) throw new Error(`turn failed: ${shown.slice(0, 300)}`);
        const newLines = h.log.lines;
        const failed = newLines.find((l) => l.level === 'error');
        if (failed) throw new Error(`error logged: ${JSON.stringify(failed, errorFields).slice(0, 500)}`);
        if (JSON.stringify(newLines, errorFields).includes('Secret-Tok3n')) throw new Error('the seeded password reached the log');

        const writes = h.azure.emulator.requestLog.filter((e) => WRITES.has(e.method));
        // A teacher may create a lab from a template (a PUT of the lab); nothing else writes to Azure but an admin.
        const forbidden = role === 'admin' ? [] : role === 'teacher' ? writes.filter((w) => !(w.method === 'PUT' && /\/labs\/[^/]+$/i.test(w.path))) : writes;
        if (forbidden.length) throw new Error(`${role} caused ARM writes: ${forbidden.map((w) => `${w.method} ${w.path}`).join(', ')}`);
        if (role === 'admin') await rebind();
        spent[key] = (spent[key] ?? 0) + performance.now() - t0;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(unhandled).toEqual([]);
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`activities.fuzz: ${RUNS} runs in ${seconds.toFixed(1)} s; ${JSON.stringify(counts)}\n`);
    process.stderr.write(`ms: ${JSON.stringify(Object.fromEntries(Object.entries(spent).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)])))}\n`);
  }, 600_000);
});

/** Errors as their message and stack, so that a secret inside one would be seen. */
function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}
