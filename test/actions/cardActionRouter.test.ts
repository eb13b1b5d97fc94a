import { checkCardData, readString } from '../../src/actions/cardData';
import { CardActionRouter } from '../../src/actions/cardActionRouter';
import { imageActions } from '../../src/actions/imageActions';
import { defineCardAction, type ActionAnswer, type ActionRequest } from '../../src/actions/types';
import { type CommandServices, IMAGE_VERBS, TEMPLATE_PICK_VERB, textReply } from '../../src/interaction';
import { UserError } from '../../src/kernel';
import { RbacAccessPolicy } from '../../src/core/rbacAccessPolicy';
import { namesDigest } from '../../src/views';
import { ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';
import { RecordingNotifier } from '../support/recordingNotifier';
import { timerArmed } from '../support/manualTime';

const request = (verb: string, data: unknown, aadObjectId?: string, locale = 'en-US'): ActionRequest => ({
  verb,
  data,
  locale,
  user: { id: `user-${aadObjectId ?? 'anon'}`, ...(aadObjectId ? { aadObjectId } : {}) },
  conversation: { id: 'conversation-1' },
  correlationId: 'corr-1',
});

const textOf = (answer: ActionAnswer): string => {
  if (answer.kind === 'card') return visibleText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: answer.card }] });
  return answer.text;
};

/** What the lab-creation flow will register: the router checks role and image before it runs. */
function recordingPickAction(picked: string[]) {
  return defineCardAction<{ image: string }, CommandServices>({
    verb: TEMPLATE_PICK_VERB,
    role: 'teacher',
    sideEffects: false,
    parse: (data) => {
      const image = readString(data, 'image');
      return image === undefined ? { ok: false, error: new UserError('actions.invalid') } : { ok: true, value: { image } };
    },
    images: (data) => [data.image],
    handle: async (_ctx, data) => {
      picked.push(data.image);
      return textReply(`form for ${data.image}`);
    },
  });
}

describe('CardActionRouter', () => {
  let h: BotHarness;
  let notifier: RecordingNotifier;
  const router = (actions = imageActions, deadlineMs?: number) =>
    new CardActionRouter([...actions], {
      services: h.services,
      policy: new RbacAccessPolicy(h.azure.setup.gateways.roles, h.clock),
      notifier,
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    });
  const armWrites = () => h.azure.emulator.requestLog.filter((e) => e.method === 'PATCH' || e.method === 'PUT');

  beforeEach(async () => {
    h = await createBotHarness();
    notifier = new RecordingNotifier();
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    h.azure.emulator.clearRequestLog();
  });
  afterEach(() => h.close());

  it('is built from a list of actions, each verb once, shaped area.action', () => {
    expect(router().verbs).toEqual([
      IMAGE_VERBS.apply,
      IMAGE_VERBS.enableAll,
      IMAGE_VERBS.disableAll,
      IMAGE_VERBS.confirmEnableAll,
      IMAGE_VERBS.confirmDisableAll,
      IMAGE_VERBS.page,
      IMAGE_VERBS.refresh,
      IMAGE_VERBS.mine,
    ]);
    expect(() => router([...imageActions, imageActions[0]!])).toThrow(/registered twice/);
    expect(() => router([{ ...imageActions[0]!, verb: 'apply' }])).toThrow(/area\.action/);
  });

  describe('an action registered from outside (template.pick)', () => {
    let picked: string[];
    beforeEach(() => {
      picked = [];
    });

    it('runs for a teacher with an image of the attached gallery', async () => {
      const answer = await router([...imageActions, recordingPickAction(picked)]).handle(request(TEMPLATE_PICK_VERB, { image: 'PHYSICS-WIN11' }, TEACHER), h.log);
      expect(answer).toEqual(textReply('form for PHYSICS-WIN11'));
      expect(picked).toEqual(['PHYSICS-WIN11']);
    });

    it.each([
      ['an image of another gallery', { image: 'win11-office' }, TEACHER, 'win11-office is not an image of the attached gallery. Nothing was changed.'],
      ['a member', { image: 'physics-win11' }, MEMBER, 'Only a lab teacher can do that. Your role here is member. Nothing was changed.'],
      ['no image', {}, TEACHER, 'That card action was not valid. Nothing was changed; run **images** again.'],
      ['a 10 KB image', { image: 'x'.repeat(10_240) }, TEACHER, 'That card action was not valid. Nothing was changed; run **images** again.'],
    ])('is refused for %s before its handler runs', async (_case, data, user, expected) => {
      const answer = await router([...imageActions, recordingPickAction(picked)]).handle(request(TEMPLATE_PICK_VERB, data, user), h.log);
      expect(answer).toEqual(textReply(expected));
      expect(picked).toEqual([]);
    });

    it('is an unknown verb until registered', async () => {
      const answer = await router().handle(request(TEMPLATE_PICK_VERB, { image: 'physics-win11' }, TEACHER, 'fr-FR'), h.log);
      expect(answer).toEqual({ kind: 'badRequest', text: "Ce bouton n'est pas (ou plus) pris en charge par ce bot. Rien n'a été modifié." });
    });
  });

  it('answers before the invoke deadline when Azure is slow, and posts the outcome when the writes end', async () => {
    h.azure.emulator.faults.add({ method: 'PATCH', path: /images\//i, latencyMs: 300 });
    const r = router(imageActions, 50);
    // The yes to "Enable all 2 disabled images?": its count and the digest of the names it asked about.
    const yes = { page: 0, filter: '', count: 2, digest: namesDigest(['optics-sim', 'quantum-gpu']) };
    const answering = r.handle(request(IMAGE_VERBS.confirmEnableAll, yes, ADMIN), h.log);
    // The deadline is on the bot's clock: once armed, move past it while the writes are still held.
    await timerArmed(h.clock);
    h.clock.advance(50);
    const answer = await answering;
    expect(answer.kind).toBe('card');
    expect(textOf(answer)).toContain('Still saving in Azure. I will post the result here; press Refresh to see it.');
    expect(await h.services.audit.recent(10)).toEqual([]);

    await r.drain();
    expect(notifier.sent).toEqual([{ conversationId: 'conversation-1', key: expect.any(String), message: textReply('Saved: 2 enabled, 0 disabled.') }]);
    expect(armWrites()).toHaveLength(2);
    expect((await h.services.audit.recent(10)).map((a) => [a.command, a.outcome, a.detail])).toEqual([[IMAGE_VERBS.enableAll, 'succeeded', 'changed=2 unchanged=2 failed=0 images=optics-sim,quantum-gpu']]);
  });

  it('posts a late failure in the user words', async () => {
    h.azure.emulator.faults.add({ method: 'PATCH', path: /images\/optics-sim$/i, latencyMs: 200, status: 409, code: 'Conflict' });
    const r = router(imageActions, 20);
    const answering = r.handle(request(IMAGE_VERBS.apply, { page: 0, filter: '', 'image:optics-sim': 'true' }, ADMIN, 'fr-FR'), h.log);
    await timerArmed(h.clock);
    h.clock.advance(20);
    await answering;
    await r.drain();
    expect(notifier.texts()).toEqual([
      'Enregistré en partie : 0 activée, 0 désactivée, 1 non modifiée (voir plus bas).\n\nNon modifiée : **optics-sim**. Azure signale un conflit sur optics-sim : quelqu’un d’autre le modifie peut-être. Réessayez dans un instant.',
    ]);
  });
});

describe('checkCardData', () => {
  it('keeps a flat object of short values, a __proto__ key as a plain key', () => {
    const data = checkCardData(JSON.parse('{"page":1,"filter":"","__proto__":"x","on":true}'));
    expect(data).toEqual(Object.fromEntries([['page', 1], ['filter', ''], ['__proto__', 'x'], ['on', true]]));
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(checkCardData(undefined)).toEqual({});
  });

  it.each([
    ['a string', 'page=1'],
    ['an array', [1]],
    ['a nested object', { a: { b: 1 } }],
    ['a null value', { a: null }],
    ['an infinite number', { a: Number.POSITIVE_INFINITY }],
    ['a 201-character string', { a: 'x'.repeat(201) }],
    ['too many fields', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]))],
  ])('refuses %s', (_case, data) => {
    expect(checkCardData(data)).toBeUndefined();
  });
});
