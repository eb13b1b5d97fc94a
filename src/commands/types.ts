import type { UserError } from '../kernel';
import type { MessageKey, Translator } from '../i18n/catalog';
import type { Role } from '../ports/accessPolicy';
import type { Logger } from '../ports/logger';
import type { BoundTarget, HostBinding } from '../ports/stores';
import type { DialogStart, FileReply, Reply, Request } from '../interaction';

export type CommandResult = Reply | DialogStart | FileReply;

export type CommandGroup = 'everyday' | 'setup';

export interface CommandContext<S> {
  request: Request;
  t: Translator;
  /** The caller's role on the bound host or gallery (or when unbound, from configuration alone). */
  role: Role;
  /** The lab host binding; absent when the conversation is bound to a gallery alone (see `bound`). */
  binding?: HostBinding;
  /** What the conversation is bound to, of either kind: how a command that works on galleries too tells which. */
  bound?: BoundTarget;
  /** Role of the caller on another host or gallery (bind checks the target). */
  roleOn(scopeId: string): Promise<Role>;
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
  /** Where help lists it: day-to-day work, or setting the conversation up (binding, attaching). Default everyday. */
  group?: CommandGroup;
  /** False keeps it out of help (greetings). Default true. */
  listed?: boolean;
  /**
   * The handler checks the role on the host named in its arguments. In a conversation bound to no host
   * the dispatcher then lets anyone reach the handler (there is no host to check against yet).
   */
  authorizesTarget?: boolean;
  /**
   * It needs a lab plan or lab account: in a conversation bound to a gallery alone, the dispatcher answers in one
   * line that it needs one, and help leaves it out. Default true (a new command must say that it works there).
   */
  needsHost?: boolean;
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
  readonly group: CommandGroup;
  readonly listed: boolean;
  readonly authorizesTarget: boolean;
  readonly needsHost: boolean;
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
    group: spec.group ?? 'everyday',
    listed: spec.listed ?? true,
    authorizesTarget: spec.authorizesTarget ?? false,
    needsHost: spec.needsHost ?? true,
    async run(ctx, args) {
      const parsed = spec.parse(args);
      if (!parsed.ok) throw parsed.error;
      return spec.handle(ctx, parsed.value);
    },
  };
}

export const noArgs = (): ParseResult<void> => ({ ok: true, value: undefined });
