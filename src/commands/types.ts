import type { UserError } from '../core/errors';
import type { MessageKey, Translator } from '../i18n/catalog';
import type { Role } from '../ports/accessPolicy';
import type { Logger } from '../ports/logger';
import type { OutgoingMessage } from '../ports/notifier';
import type { HostBinding } from '../ports/stores';
import type { DialogStart } from './dialogIds';

export type { DialogRequest, DialogStart } from './dialogIds';

/** What the bot edge makes of a turn: no Bot Framework types beyond this point. */
export interface Request {
  /** Mention stripped, trimmed, whitespace collapsed. */
  text: string;
  locale?: string;
  user: { id: string; aadObjectId?: string; name?: string };
  conversation: { id: string; tenantId?: string; type?: string };
  correlationId: string;
}

/** A text or a card; `summary` is what notifications and clients that cannot render cards show. */
export type Reply = OutgoingMessage;

export const textReply = (text: string): Reply => ({ kind: 'text', text });

export type CommandResult = Reply | DialogStart;

export interface CommandContext<S> {
  request: Request;
  t: Translator;
  /** The caller's role on the bound host (or with no host, from configuration alone). */
  role: Role;
  binding?: HostBinding;
  /** Role of the caller on another host (bind checks the target). */
  roleOn(hostId: string): Promise<Role>;
  /** Commands the caller may run here, in registry order. */
  available: readonly Command<S>[];
  services: S;
  log: Logger;
}

export type ParseResult<A> = { ok: true; value: A } | { ok: false; error: UserError };

export interface CommandSpec<A, S> {
  id: string;
  aliases: readonly string[];
  summary: MessageKey;
  usage: MessageKey;
  /** Least role that may run it, checked on the bound host before parse. */
  role: Role;
  /** Whether it changes anything (mutations are audited, refusals included). */
  sideEffects: boolean;
  /**
   * The handler checks the role on the host named in its arguments. In a conversation bound to no host
   * the dispatcher then lets anyone reach the handler (there is no host to check against yet).
   */
  authorizesTarget?: boolean;
  parse(args: string): ParseResult<A>;
  handle(ctx: CommandContext<S>, args: A): Promise<CommandResult>;
}

/** A spec with its argument type erased, as the registry stores it. */
export interface Command<S> {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: MessageKey;
  readonly usage: MessageKey;
  readonly role: Role;
  readonly sideEffects: boolean;
  readonly authorizesTarget: boolean;
  run(ctx: CommandContext<S>, args: string): Promise<CommandResult>;
}

export function defineCommand<A, S>(spec: CommandSpec<A, S>): Command<S> {
  return {
    id: spec.id,
    aliases: spec.aliases,
    summary: spec.summary,
    usage: spec.usage,
    role: spec.role,
    sideEffects: spec.sideEffects,
    authorizesTarget: spec.authorizesTarget ?? false,
    async run(ctx, args) {
      const parsed = spec.parse(args);
      if (!parsed.ok) throw parsed.error;
      return spec.handle(ctx, parsed.value);
    },
  };
}

export const noArgs = (): ParseResult<void> => ({ ok: true, value: undefined });
