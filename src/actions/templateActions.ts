import { renderCard } from '../cards/renderCard';
import { labFormCard, type LabFormCardData, type LabFormTextInput } from '../cards/templates';
import { actingUserId, apology, displayNameOf, type CommandServices, type Reply, TEMPLATE_PICK_VERB, textReply, userMessageOf } from '../interaction';
import { UserError } from '../kernel';
import { outcomeCard, runningCard } from '../operations/statusCards';
import { LAB_FORM_DEFAULTS, LAB_FORM_RULES, LAB_FORM_VERBS, LabFormError, vmSizesFor, type FieldError, type LabFormEcho, type LabFormErrors } from '../core/labForm';
import type { Translator } from '../i18n/catalog';
import { regionName, vmSizeName } from '../i18n/azureNames';
import type { LabHost } from '../ports/labHostGateway';
import type { Logger } from '../ports/logger';
import type { OperationRecordOf } from '../ports/operations';
import { invalidData, readString } from './cardData';
import { defineCardAction, type ActionContext, type ActionParseResult, type CardAction, type CardData } from './types';

interface PickData {
  image: string;
}

interface CreateData extends PickData {
  /** The card data as submitted, inputs and all: LabCreationService.start validates it again. */
  form: CardData;
}

function parseImage(data: CardData): ActionParseResult<PickData> {
  const image = readString(data, 'image');
  return image === undefined ? invalidData() : { ok: true, value: { image } };
}

/** "Use as template": the image must still be enabled and eligible; then a fresh form. */
const templatePickAction = defineCardAction<PickData, CommandServices>({
  verb: TEMPLATE_PICK_VERB,
  role: 'teacher',
  sideEffects: false,
  parse: parseImage,
  images: (data) => [data.image],
  handle: async (ctx, { image }) => {
    const offer = await ctx.services.labs.offer(ctx.binding.hostId, image);
    return labFormReply(ctx.t, ctx.log, { host: offer.host, imageName: offer.image.name });
  },
});

/**
 * "Create lab": journals the operation and launches it, answering at once; the runner posts the outcome.
 * Invalid values bring the form back with what was typed, except the password.
 */
const templateCreateAction = defineCardAction<CreateData, CommandServices>({
  verb: LAB_FORM_VERBS.create,
  role: 'teacher',
  sideEffects: true,
  parse: (data) => {
    const parsed = parseImage(data);
    return parsed.ok ? { ok: true, value: { ...parsed.value, form: data } } : parsed;
  },
  images: (data) => [data.image],
  handle: async (ctx, data) => {
    if (await becameLabCard(ctx)) return textReply(ctx.t('opcard.lab.alreadyRequested'));
    const work = startLab(ctx, data);
    const settled = await ctx.withinDeadline(work);
    if (settled.done) return settled.value;
    // Checking the name against every lab plan can outlast the invoke: whatever start says is posted instead.
    ctx.later(
      work.catch((error: unknown) => {
        if (error instanceof UserError) return textReply(ctx.t(userMessageOf(error, apology, ctx.log)));
        throw error;
      }),
    );
    return textReply(ctx.t('lab.stillChecking'));
  },
});

const templateCancelAction = defineCardAction<CardData, CommandServices>({
  verb: LAB_FORM_VERBS.cancel,
  role: 'teacher',
  sideEffects: false,
  parse: (data) => ({ ok: true, value: data }),
  // The form is replaced by what became of it: none of its inputs or buttons are left to use.
  handle: async (ctx) => {
    if (await becameLabCard(ctx)) return textReply(ctx.t('opcard.lab.alreadyRequested'));
    return outcomeCard(ctx.t, ctx.t('lab.cancelled'), { key: 'opcard.by.cancelled', ...(ctx.request.user.name ? { name: ctx.request.user.name } : {}), at: ctx.services.clock.now() });
  },
});

/**
 * Whether the pressed form already became its lab's status card (a client that had not redrawn it yet): then
 * nothing is started or cancelled again, and the card, kept current by the outbox, stays as it is.
 */
async function becameLabCard(ctx: ActionContext<CommandServices>): Promise<boolean> {
  const { cardActivityId } = ctx.request;
  if (!cardActivityId) return false;
  try {
    return (await ctx.services.posts.operationOfCard(ctx.request.conversation.id, cardActivityId)) !== undefined;
  } catch (error) {
    // The store cannot say: the press goes on as a first one would (a taken lab name is refused then).
    ctx.log.warn({ err: error }, 'lab card not looked up');
    return false;
  }
}

/** The lab form's actions: pick (on the image list), then create or cancel (on the form). */
export const templateActions: readonly CardAction<CommandServices>[] = [templatePickAction, templateCreateAction, templateCancelAction];

async function startLab(ctx: ActionContext<CommandServices>, { image, form }: CreateData): Promise<Reply> {
  const { services, binding, request, t, log } = ctx;
  let op: OperationRecordOf<'createLab'>;
  try {
    op = await services.labs.start(binding.hostId, image, form, {
      requestedBy: actingUserId(request.user),
      requestedByName: displayNameOf(request.user),
      conversationId: request.conversation.id,
      locale: request.locale ?? 'en-US',
      correlationId: request.correlationId,
    });
  } catch (error) {
    if (!(error instanceof LabFormError)) throw error;
    const host = await services.labHosts.getHost(binding.hostId);
    return labFormReply(t, log, { host, imageName: image, echo: error.echo, errors: error.errors, formError: t(userMessageOf(error, apology, log)) });
  }
  // The form becomes the lab's status card (the invoke's answer replaces it), which the outcome updates in place.
  const card = runningCard(op, t, { key: 'opcard.by.requested', ...(request.user.name ? { name: request.user.name } : {}), at: services.clock.now() });
  if (request.cardActivityId) {
    const post = {
      conversationId: request.conversation.id,
      activityId: request.cardActivityId,
      ...(request.conversation.thread ? { thread: request.conversation.thread } : {}),
      user: { id: request.user.id, ...(request.user.name ? { name: request.user.name } : {}) },
    };
    try {
      await services.posts.record(op.id, post, card);
    } catch (error) {
      // The outcome is then posted as a message of its own.
      log.warn({ err: error, operationId: op.id }, 'lab card not recorded');
    }
  }
  services.launch(op.id);
  return card;
}

interface LabFormView {
  host: LabHost;
  imageName: string;
  /** What was typed, to show again; none for a fresh form (defaults instead). */
  echo?: LabFormEcho;
  errors?: LabFormErrors;
  formError?: string;
}

/** The lab form: fresh with the defaults, or again with what was typed and an error under each wrong field. */
function labFormReply(t: Translator, log: Logger, { host, imageName, echo, errors = {}, formError = '' }: LabFormView): Reply {
  const vmSizes = vmSizesFor(host.kind);
  const error = (e: FieldError | undefined) => (e ? t(userMessageOf(e, apology, log)) : '');
  const text = (field: 'labName' | 'title' | 'adminUser'): LabFormTextInput => ({ label: t(`labForm.${field}`), value: echo?.[field] ?? '', error: error(errors[field]) });
  // The range is in the label and checked here: the card sets no min/max, whose clients clamp silently (−1 → 0).
  const number = (field: 'quotaHours' | 'capacity') => ({ label: t(`labForm.${field}`, LAB_FORM_RULES[field]), value: numberOf(echo?.[field]) ?? LAB_FORM_DEFAULTS[field], error: error(errors[field]) });
  const data: LabFormCardData = {
    heading: t('labForm.heading', { image: imageName }),
    intro: t('labForm.intro', { host: host.name, kind: t(`kind.${host.kind}`), region: regionName(host.location, t.language) }),
    formError,
    requiredMessage: t('labForm.missing'),
    imageName,
    labName: text('labName'),
    title: text('title'),
    vmSize: {
      label: t('labForm.vmSize'),
      value: echo ? sizeOf(echo.vmSize ?? '', vmSizes) : (vmSizes[0] ?? ''),
      error: error(errors.vmSize),
      choices: vmSizes.map((size) => ({ title: vmSizeName(size, t), value: size })),
    },
    quotaHours: number('quotaHours'),
    capacity: number('capacity'),
    adminUser: text('adminUser'),
    password: { label: t('labForm.password'), error: error(errors.password) },
    createLabel: t('labForm.create'),
    cancelLabel: t('labForm.cancel'),
    verbs: LAB_FORM_VERBS,
  };
  return { kind: 'card', card: renderCard(labFormCard, data), summary: data.heading };
}

/** An echoed number input as a number: Input.Number cannot show anything else. */
function numberOf(echo: string | undefined): number | undefined {
  if (echo === undefined || !/^\s*[-+]?\d+(\.\d+)?\s*$/.test(echo)) return undefined;
  const n = Number(echo);
  return Number.isFinite(n) ? n : undefined;
}

/** A typed size as the choice it names (any case), so the choice set shows it selected; otherwise as typed. */
function sizeOf(typed: string, sizes: readonly string[]): string {
  return sizes.find((size) => size.toLowerCase() === typed.trim().toLowerCase()) ?? typed;
}
