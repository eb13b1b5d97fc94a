import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Activity, AdaptiveCardInvokeResponse, InvokeResponse } from 'botbuilder';
import { TEMPLATE_PICK_VERB } from '../../src/interaction';
import type { AdaptiveCard } from '../../src/ports/notifier';
import { LAB_FORM_VERBS, vmSizesFor } from '../../src/core/labForm';
import { labIdOf, parseLabHostId } from '../../src/kernel';
import { DEMO_IDS, DEMO_NAMES } from '../../src/emulator';
import { SqliteOperationStore } from '../../src/storage/sqlite';
import { ADMIN, createBotHarness, MEMBER, PLAN_ID, TEACHER, visibleText, type BotHarness } from '../support/botHarness';
import { LAB_PASSWORD, labFormInput } from '../support/labFormInput';
import { timerArmed } from '../support/manualTime';

type As = { aadObjectId?: string; locale?: string };

const PASSWORD = LAB_PASSWORD;
const PLAN_SIZES = vmSizesFor('labPlan');
const PHYSICS_WIN11_DEFINITION = `${DEMO_IDS.physicsGalleryId}/images/physics-win11`;
const labId = (name: string) => labIdOf(parseLabHostId(PLAN_ID)!, name);

/** What Teams sends on "Create lab": the card's inputs (strings, as Adaptive Cards submit them) and its data. */
function submitted(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { image: 'physics-win11', ...labFormInput(overrides) };
}

type Node = Record<string, unknown>;

function nodes(node: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((n) => nodes(n, found));
  else if (node && typeof node === 'object') {
    found.push(node as Node);
    Object.values(node).forEach((v) => nodes(v, found));
  }
  return found;
}

const input = (card: AdaptiveCard, id: string) => nodes(card.body).find((n) => typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id);
const attention = (card: AdaptiveCard) => nodes(card.body).filter((n) => n.type === 'TextBlock' && n.color === 'Attention').map((n) => n.text);
const labels = (card: AdaptiveCard) => nodes(card.body).filter((n) => typeof n.type === 'string' && n.type.startsWith('Input.')).map((n) => [n.id, n.label]);
const cardText = (card: AdaptiveCard) => visibleText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });

describe('creating a lab from a template image (TestAdapter, msteams)', () => {
  let h: BotHarness;
  /** Every activity the bot answered invokes with, for "the password is never sent back". */
  let answered: Partial<Activity>[];

  const state = () => h.azure.emulator.state;
  const armWrites = () => h.azure.emulator.requestLog.filter((e) => e.method === 'PUT' || e.method === 'POST' || e.method === 'PATCH');
  const journal = () => new SqliteOperationStore(h.db).listUnfinished();

  /** An Action.Execute as Teams sends it; the status and body of the invoke response the bot queued. */
  const invoke = async (verb: string, data: unknown, as: As = { aadObjectId: TEACHER }, extra: Partial<Activity> = {}) => {
    const replies = await h.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      locale: as.locale ?? 'en-US',
      from: { id: `user-${as.aadObjectId ?? 'anon'}`, name: 'User', ...(as.aadObjectId ? { aadObjectId: as.aadObjectId } : {}) },
      value: { action: { type: 'Action.Execute', verb, data } },
      ...extra,
    });
    answered.push(...replies);
    expect(replies).toHaveLength(1);
    const { status, body } = replies[0]!.value as InvokeResponse<AdaptiveCardInvokeResponse>;
    return { status, body: body! };
  };
  const invokeCard = async (verb: string, data: unknown, as?: As, extra?: Partial<Activity>) => {
    const { status, body } = await invoke(verb, data, as, extra);
    expect([status, body.statusCode, body.type]).toEqual([200, 200, 'application/vnd.microsoft.card.adaptive']);
    return body.value as AdaptiveCard;
  };
  const invokeMessage = async (verb: string, data: unknown, as?: As) => {
    const { status, body } = await invoke(verb, data, as);
    expect([status, body.statusCode, body.type]).toEqual([200, 200, 'application/vnd.microsoft.activity.message']);
    return body.value as unknown as string;
  };

  /** Everything the bot kept or said: logs, invoke answers, proactive messages, and the SQLite files as bytes. */
  const everythingKept = () => {
    const dir = path.dirname(h.db.filePath);
    const files = readdirSync(dir)
      .map((f) => path.join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f));
    return { text: [JSON.stringify(h.log.lines), JSON.stringify(answered), JSON.stringify(h.notifier.sent)].join('\n'), files };
  };
  const expectPasswordNowhere = () => {
    const { text, files } = everythingKept();
    expect(text).not.toContain(PASSWORD);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.includes(Buffer.from(PASSWORD, 'utf8'))).toBe(false);
  };

  beforeEach(async () => {
    h = await createBotHarness();
    answered = [];
    await h.services.bindings.put({ conversationId: 'conversation-1', hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
    h.azure.emulator.clearRequestLog();
  });
  afterEach(() => h.close());

  describe('Use as template', () => {
    it('answers a teacher with a fresh lab form: labels, the VM sizes of a lab plan, the defaults, no password', async () => {
      const card = await invokeCard(TEMPLATE_PICK_VERB, { image: 'physics-win11' });
      const text = cardText(card);
      expect(text).toContain('Create a lab from physics-win11');
      expect(text).toContain('On **physics-plan** (lab plan, West US 2). The admin password is used once, to create the lab, and is never stored.');
      expect(labels(card)).toEqual([
        ['labName', 'Lab name (letters, digits, hyphens and underscores)'],
        ['title', 'Title students see'],
        ['vmSize', 'VM size'],
        ['quotaHours', 'Hours of use per student (0 to 1000)'],
        ['capacity', 'Number of students (1 to 400)'],
        ['adminUser', 'Admin user name of the VMs'],
        ['password', 'Admin password (12 characters or more)'],
      ]);
      expect((input(card, 'vmSize')?.choices as Node[]).map((c) => c.value)).toEqual([...PLAN_SIZES]);
      expect([input(card, 'vmSize')?.value, input(card, 'quotaHours')?.value, input(card, 'capacity')?.value]).toEqual([PLAN_SIZES[0], 10, 20]);
      expect([input(card, 'labName')?.value, input(card, 'title')?.value, input(card, 'adminUser')?.value]).toEqual(['', '', '']);
      expect(input(card, 'password')).toMatchObject({ type: 'Input.Text', style: 'Password' });
      expect(input(card, 'password')).not.toHaveProperty('value');
      expect(attention(card)).toEqual([]);
      expect(card.actions).toEqual([
        expect.objectContaining({ verb: LAB_FORM_VERBS.create, title: 'Create lab', data: { image: 'physics-win11' } }),
        expect.objectContaining({ verb: LAB_FORM_VERBS.cancel, title: 'Cancel', data: { image: 'physics-win11' } }),
      ]);
      expect(armWrites()).toEqual([]);
      expect(await journal()).toEqual([]);
    });

    it('gives an admin the form too (an admin ranks above a teacher), with the name as the host spells it', async () => {
      const card = await invokeCard(TEMPLATE_PICK_VERB, { image: 'PHYSICS-WIN11' }, { aadObjectId: ADMIN });
      expect(cardText(card)).toContain('Create a lab from physics-win11');
      expect(card.actions).toEqual([expect.objectContaining({ data: { image: 'physics-win11' } }), expect.objectContaining({ data: { image: 'physics-win11' } })]);
    });

    it('speaks French to a French teacher', async () => {
      const card = await invokeCard(TEMPLATE_PICK_VERB, { image: 'physics-win11' }, { aadObjectId: TEACHER, locale: 'fr-FR' });
      expect(cardText(card)).toContain('Créer un labo à partir de physics-win11');
      expect(cardText(card)).toContain('Sur **physics-plan** (plan de labo, Ouest des États-Unis 2)');
      expect(labels(card).map(([, label]) => label)).toEqual([
        'Nom du labo (lettres, chiffres, traits d’union et tirets bas)',
        'Titre vu par les étudiants',
        'Taille des VM',
        "Heures d'utilisation par étudiant (0 à 1000)",
        "Nombre d'étudiants (1 à 400)",
        "Nom de l'administrateur des VM",
        'Mot de passe administrateur (12 caractères ou plus)',
      ]);
      expect(card.actions).toEqual([expect.objectContaining({ title: 'Créer le labo' }), expect.objectContaining({ title: 'Annuler' })]);
    });

    it.each([
      ['a disabled image', 'optics-sim', () => undefined, 'optics-sim is disabled on physics-plan: an admin must enable it before labs can be created from it.'],
      [
        'an enabled image with no replica in the plan region',
        'quantum-gpu',
        () => state().labPlans.setImageEnabled(PLAN_ID, 'quantum-gpu', 'Enabled'),
        'quantum-gpu is not replicated to West US 2, the region of physics-plan: replicate a version there first.',
      ],
    ])('refuses %s with a message and no form', async (_case, image, arrange, expected) => {
      arrange();
      expect(await invokeMessage(TEMPLATE_PICK_VERB, { image })).toBe(expected);
      expect(armWrites()).toEqual([]);
    });
  });

  describe('Create lab', () => {
    it('replaces the form in place with the lab’s card, updates it to Ready with the next step, and @mentions the teacher in their thread', async () => {
      const CHANNEL = '19:physics-team@thread.tacv2';
      await h.services.bindings.put({ conversationId: CHANNEL, hostId: PLAN_ID, boundBy: ADMIN, boundAt: 0 });
      // Teams names the clicked card's message in replyToId, and the thread in the conversation id.
      const where: Partial<Activity> = {
        replyToId: 'form-message-1',
        from: { id: '29:ada', name: 'Ada Teacher', aadObjectId: TEACHER },
        conversation: { id: `${CHANNEL};messageid=777`, isGroup: true, conversationType: 'channel', name: 'General' },
      };
      const status = await invokeCard(LAB_FORM_VERBS.create, submitted(), { aadObjectId: TEACHER }, where);
      expect(cardText(status)).toMatch(/^⏳ Creating lab \*\*thermo-301\*\* from \*\*physics-win11\*\* on \*\*physics-plan\*\*…\nAzure takes a few minutes[\s\S]*Requested by Ada Teacher · \{\{TIME\(/);
      // No input or button of the form is left: nothing to submit twice, no stale error.
      expect(nodes(status).filter((n) => typeof n.type === 'string' && /^(Input|Action\.(Execute|Submit))/.test(n.type))).toEqual([]);

      await h.settle();
      const lab = state().labs.get(labId('thermo-301'));
      expect(lab).toMatchObject({ hostId: PLAN_ID, provisioningState: 'Succeeded' });
      expect(lab?.properties).toMatchObject({
        title: 'Thermodynamics 301',
        virtualMachineProfile: {
          imageReference: { id: PHYSICS_WIN11_DEFINITION },
          sku: { name: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 25 },
          usageQuota: 'PT12H',
          // The runner got the password from the vault LabCreationService put it in.
          adminUser: { username: 'labteacher', password: PASSWORD },
        },
      });
      expect(h.azure.emulator.requestLog.filter((e) => e.operation === 'labs.createOrUpdate')).toHaveLength(1);
      // The card the invoke answered with is the one updated: the form's message.
      expect(h.notifier.adopted).toEqual([expect.objectContaining({ conversationId: CHANNEL, activityId: 'form-message-1', key: expect.stringMatching(/^operation:.*:card$/) })]);
      const key = h.notifier.adopted[0]!.key;
      expect(h.notifier.updates.map((u) => u.key)).toEqual([key]);
      const ready = h.notifier.latest(key);
      expect(ready?.kind === 'card' && ready.card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open Azure Lab Services', url: 'https://labs.azure.com' }]);
      expect(h.notifier.outcomes()[0]).toMatch(
        /^✅ Lab \*\*Thermodynamics 301\*\* \(thermo-301\) is ready on \*\*physics-plan\*\*, built from \*\*physics-win11\*\*[\s\S]*\nNext: open the lab in Azure Lab Services, set up its template VM, then publish it/,
      );
      // One new message: the teacher, @mentioned, in the thread where they asked.
      expect(h.notifier.sent).toEqual([
        {
          conversationId: CHANNEL,
          key: expect.stringMatching(/^operation:.*:ready$/),
          message: {
            kind: 'text',
            text: '<at>Ada Teacher</at>, your lab **Thermodynamics 301** (thermo-301) is ready.',
            mentions: [{ id: '29:ada', name: 'Ada Teacher' }],
            thread: '777',
          },
        },
      ]);
      const audit = await h.services.audit.recent(10);
      expect(audit.map((a) => [a.command, a.outcome, a.userId, a.target, a.detail])).toEqual([
        ['createLab', 'succeeded', TEACHER, labId('thermo-301'), 'image=physics-win11 size=Classic_Fsv2_2_4GB_128_S_SSD'],
      ]);
      // The search does see what the journal keeps.
      expect(everythingKept().files.some((file) => file.includes(Buffer.from(labId('thermo-301'), 'utf8')))).toBe(true);
      expectPasswordNowhere();
    });

    it('shows the form again for invalid values: an error under each, what was typed, never the password, nothing written', async () => {
      const card = await invokeCard(LAB_FORM_VERBS.create, submitted({ labName: 'my lab!', password: 'Sh0rt!pass', quotaHours: '9000' }));
      expect(attention(card)).toEqual([
        'Some fields of the form need fixing (3).',
        'Use only letters, digits, hyphens (-) and underscores (_), with no spaces. This sign is not allowed: !',
        'Must be between 0 and 1000.',
        'Must be 12 to 123 characters long.',
      ]);
      expect([input(card, 'labName')?.value, input(card, 'title')?.value, input(card, 'vmSize')?.value, input(card, 'quotaHours')?.value, input(card, 'capacity')?.value, input(card, 'adminUser')?.value]).toEqual([
        'my lab!',
        'Thermodynamics 301',
        'Classic_Fsv2_2_4GB_128_S_SSD',
        9000,
        25,
        'labteacher',
      ]);
      expect(input(card, 'password')).not.toHaveProperty('value');
      // No min/max on the inputs: a client would clamp 9000 to 1000 without a word; the range is in the label.
      expect([input(card, 'quotaHours'), input(card, 'capacity')].map((i) => [i?.min, i?.max])).toEqual([[undefined, undefined], [undefined, undefined]]);
      expect(JSON.stringify(answered)).not.toContain('Sh0rt!pass');
      expect(h.azure.emulator.requestLog.filter((e) => e.method === 'PUT' || e.method === 'POST')).toEqual([]);
      expect(await journal()).toEqual([]);
      expect(await h.services.audit.recent(10)).toEqual([]);

      // A valid password with another field wrong is not sent back either.
      const again = await invokeCard(LAB_FORM_VERBS.create, submitted({ adminUser: 'root', vmSize: 'classic_fsv2_4_8gb_128_s_ssd' }));
      expect(attention(again)).toEqual(['Some fields of the form need fixing (1).', '"root" is reserved by Azure: pick another user name.']);
      expect(input(again, 'vmSize')?.value).toBe('Classic_Fsv2_4_8GB_128_S_SSD');
      expect(armWrites()).toEqual([]);
      expectPasswordNowhere();
    });

    it('shows the form again when the lab name is already taken on the plan', async () => {
      const taken = DEMO_NAMES.planLabs[0]!;
      const card = await invokeCard(LAB_FORM_VERBS.create, submitted({ labName: taken }));
      expect(attention(card)).toEqual(['Some fields of the form need fixing (1).', `**physics-plan** already has a lab named **${taken}**: pick another name.`]);
      expect(input(card, 'labName')?.value).toBe(taken);
      expect(armWrites()).toEqual([]);
      expectPasswordNowhere();
    });

    it('speaks French to a French teacher, in the form errors and in the report', async () => {
      const fr = { aadObjectId: TEACHER, locale: 'fr-FR' };
      const card = await invokeCard(LAB_FORM_VERBS.create, submitted({ password: 'Sh0rt!pass' }), fr);
      expect(attention(card)).toEqual(['Certains champs du formulaire sont à corriger (1).', 'Doit compter de 12 à 123 caractères.']);
      expect(card.actions).toEqual([expect.objectContaining({ title: 'Créer le labo' }), expect.objectContaining({ title: 'Annuler' })]);

      // Without the clicked message's id the card cannot be updated later: the outcome comes as a message.
      expect(cardText(await invokeCard(LAB_FORM_VERBS.create, submitted(), fr))).toMatch(/^⏳ Création du labo \*\*thermo-301\*\* à partir de \*\*physics-win11\*\* sur \*\*physics-plan\*\*…/);
      await h.settle();
      expect(h.notifier.texts()).toEqual([expect.stringMatching(/^✅ Le labo \*\*Thermodynamics 301\*\* \(thermo-301\) est prêt sur \*\*physics-plan\*\*/)]);
      expectPasswordNowhere();
    });

    it('answers before the invoke deadline when Azure is slow, and posts what start said once it has', async () => {
      h.azure.emulator.faults.add({ method: 'GET', path: /\/providers\/Microsoft\.LabServices\/labs$/i, latencyMs: 200, times: 1 });
      const answer = invokeMessage(LAB_FORM_VERBS.create, submitted());
      // The 4 s invoke deadline is on the bot's clock: pass it while Azure still holds the lab list.
      await timerArmed(h.clock);
      h.clock.advance(4_000);
      expect(await answer).toBe('Still checking the form with Azure. I will post the answer here.');
      for (let waited = 0; h.notifier.sent.length === 0; waited += 20) {
        if (waited > 5_000) throw new Error('nothing posted');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await h.settle();
      expect(h.notifier.texts()).toEqual([
        '⏳ Creating lab thermo-301 from physics-win11 on physics-plan…',
        expect.stringMatching(/^✅ Lab \*\*Thermodynamics 301\*\* \(thermo-301\) is ready/),
      ]);
      expect(state().labs.get(labId('thermo-301'))).toBeDefined();
      expectPasswordNowhere();
    }, 20_000);
  });

  describe('Cancel', () => {
    it('says nothing was created, and nothing is', async () => {
      // The form is replaced by its outcome: no input or button left on it.
      const cancelled = await invokeCard(LAB_FORM_VERBS.cancel, { image: 'physics-win11' });
      expect(cardText(cancelled)).toMatch(/^Cancelled; no lab was created\.\nCancelled by User · /);
      expect(nodes(cancelled).filter((n) => typeof n.type === 'string' && /^(Input|Action)/.test(n.type))).toEqual([]);
      expect(cardText(await invokeCard(LAB_FORM_VERBS.cancel, { image: 'physics-win11' }, { aadObjectId: TEACHER, locale: 'fr-FR' }))).toMatch(/^Annulé ; aucun labo n’a été créé\.\nAnnulé par User/);
      expect(armWrites()).toEqual([]);
      expect(await journal()).toEqual([]);
      expect(await h.services.audit.recent(10)).toEqual([]);
    });
  });

  describe('forged invokes', () => {
    it.each<[string, string, Record<string, unknown>, As, string, string | undefined]>([
      ['a member picking', TEMPLATE_PICK_VERB, { image: 'physics-win11' }, { aadObjectId: MEMBER }, 'Only a lab teacher can do that. Your role here is member. Nothing was changed.', undefined],
      ['a member creating', LAB_FORM_VERBS.create, submitted(), { aadObjectId: MEMBER }, 'Only a lab teacher can do that. Your role here is member. Nothing was changed.', 'role=member'],
      // The one identity rule: no Entra object id, nobody; refused at the edge, before any role or audit.
      ['someone with no Entra id creating', LAB_FORM_VERBS.create, submitted(), {}, "I can't tell who you are: this message came without a Microsoft Entra identity. I can only answer help and status.", undefined],
      ['a pick of another gallery\'s image', TEMPLATE_PICK_VERB, { image: 'win11-office' }, { aadObjectId: TEACHER }, 'win11-office is not an image of the attached gallery. Nothing was changed.', undefined],
      ['a create from another gallery\'s image', LAB_FORM_VERBS.create, submitted({ image: 'win11-office' }), { aadObjectId: TEACHER }, 'win11-office is not an image of the attached gallery. Nothing was changed.', 'unknownImage'],
      ['a create with no image', LAB_FORM_VERBS.create, submitted({ image: undefined }), { aadObjectId: TEACHER }, 'That card action was not valid. Nothing was changed; run images again.', 'invalidData'],
    ])('refuses %s: a message, no ARM write, no operation, refused side effects audited', async (_case, verb, data, as, expected, auditDetail) => {
      expect(await invokeMessage(verb, data, as)).toBe(expected);
      expect(armWrites()).toEqual([]);
      expect(await journal()).toEqual([]);
      expect(state().labs.get(labId('thermo-301'))).toBeUndefined();
      const audit = await h.services.audit.recent(10);
      expect(audit.map((a) => [a.command, a.outcome, a.detail])).toEqual(auditDetail ? [[verb, 'refused', auditDetail]] : []);
      expectPasswordNowhere();
    });
  });
});
