import type { UserError } from '../kernel';
import type { Reply } from '../interaction';
import type { Translator } from '../i18n/catalog';
import type { Role } from '../ports/accessPolicy';
import type { Logger } from '../ports/logger';
import type { HostBinding } from '../ports/stores';

/** What the bot edge makes of an `adaptiveCard/action` invoke: no Bot Framework types beyond this point. */
export interface ActionRequest {
  verb: string;
  /** The action's data merged with the card's inputs, exactly as the client sent it: untrusted. */
  data: unknown;
  locale?: string;
  user: { id: string; aadObjectId?: string; name?: string };
  conversation: { id: string; tenantId?: string; thread?: string };
  correlationId: string;
  /** The id of the message whose card was clicked (the invoke's replyToId): what a later update replaces. */
  cardActivityId?: string;
}

/** Card data once the router has checked its shape: a flat object of short strings, numbers and booleans. */
export type CardValue = string | number | boolean;
export type CardData = Readonly<Record<string, CardValue>>;

/**
 * What an invoke is answered with: a reply (a replacement card, or a message Teams shows under the card), or a
 * request that is not for this bot at all (an unknown verb), answered with an error status.
 */
export type ActionAnswer = Reply | { kind: 'badRequest'; text: string };

export type Settled<T> = { done: true; value: T } | { done: false };

export interface ActionContext<S> {
  request: ActionRequest;
  t: Translator;
  /** The caller's role on the conversation's bound host, looked up for this invoke. */
  role: Role;
  binding: HostBinding;
  services: S;
  log: Logger;
  /** Waits for the work as long as the invoke deadline allows; the work goes on either way. */
  withinDeadline<T>(work: Promise<T>): Promise<Settled<T>>;
  /** Work that outlived the deadline: what it resolves to is posted to the conversation when it ends. */
  later(work: Promise<Reply | undefined>): void;
}

export type ActionParseResult<D> = { ok: true; value: D } | { ok: false; error: UserError };

export interface CardActionSpec<D, S> {
  verb: string;
  /** Least role that may use it, checked on the conversation's bound host at every invoke. */
  role: Role;
  /** Whether it changes anything (audited, refusals included). */
  sideEffects: boolean;
  /** False when it works on a gallery alone too (a conversation bound with `bind gallery`); default true. */
  needsHost?: boolean;
  /** Reads the untrusted data; missing or wrong-typed fields are a refusal. */
  parse(data: CardData): ActionParseResult<D>;
  /** Image names the data refers to: the router refuses the invoke unless each is an image of the host's attached gallery. */
  images?(data: D): readonly string[];
  handle(ctx: ActionContext<S>, data: D): Promise<Reply>;
}

/** A parsed invoke, ready to run once the router has checked the images it names. */
export interface PreparedAction<S> {
  images: readonly string[];
  run(ctx: ActionContext<S>): Promise<Reply>;
}

/** A spec with its data type erased, as the router stores it. */
export interface CardAction<S> {
  readonly verb: string;
  readonly role: Role;
  readonly sideEffects: boolean;
  readonly needsHost: boolean;
  prepare(data: CardData): ActionParseResult<PreparedAction<S>>;
}

export function defineCardAction<D, S>(spec: CardActionSpec<D, S>): CardAction<S> {
  return {
    verb: spec.verb,
    role: spec.role,
    sideEffects: spec.sideEffects,
    needsHost: spec.needsHost ?? true,
    prepare(data) {
      const parsed = spec.parse(data);
      if (!parsed.ok) return parsed;
      const value = parsed.value;
      return { ok: true, value: { images: spec.images?.(value) ?? [], run: (ctx) => spec.handle(ctx, value) } };
    },
  };
}
