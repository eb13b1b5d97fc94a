import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { DialogEdge, DialogTurn } from '../dialogs/galleryFlow';
import type { Logger } from '../ports/logger';
import { conversationKey, threadOf } from './conversationKey';
import { toActivity } from './replies';
import { requesterOf } from './requester';

/** What the edge keeps for one turn: its correlation id and a logger bound to it. */
export interface TurnInfo {
  correlationId: string;
  log: Logger;
}

const TURN_INFO = Symbol('turnInfo');

/** Starts the turn's state (once; later calls return it). The bot calls it first thing in `run`. */
export function beginTurn(context: TurnContext, root: Logger, correlationId: string = randomUUID(), extra?: Record<string, unknown>): TurnInfo {
  const existing = context.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (existing) return existing;
  const { activity } = context;
  const info: TurnInfo = {
    correlationId,
    log: lazyChild(root, {
      correlationId,
      activityId: activity.id,
      conversationId: activity.conversation?.id,
      aadObjectId: activity.from?.aadObjectId,
      ...extra,
    }),
  };
  context.turnState.set(TURN_INFO, info);
  return info;
}

export function turnInfo(context: TurnContext): TurnInfo {
  const info = context.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (!info) throw new Error('turn info read before the turn started');
  return info;
}

/** The channel's tenant: Teams puts it in channelData, other channels on the conversation. */
export function tenantOf(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: unknown } } | undefined;
  // Activity fields are sender input: anything but a non-empty string is no tenant.
  const fromChannel = channelData?.tenant?.id;
  if (typeof fromChannel === 'string' && fromChannel !== '') return fromChannel;
  const fromConversation: unknown = context.activity.conversation.tenantId;
  return typeof fromConversation === 'string' && fromConversation !== '' ? fromConversation : undefined;
}

/** Who acts in this turn, where, in which language and under which correlation id: everything of a Request but its text. */
export function describeTurn(context: TurnContext): DialogTurn {
  const { activity } = context;
  const tenantId = tenantOf(context);
  const thread = threadOf(activity.conversation.id);
  const info = context.turnState.get(TURN_INFO) as TurnInfo | undefined;
  return {
    ...(activity.locale ? { locale: activity.locale } : {}),
    ...timeZoneOf(activity),
    user: requesterOf(activity.from),
    conversation: {
      id: conversationKey(activity.conversation.id),
      ...(tenantId ? { tenantId } : {}),
      ...(activity.conversation.conversationType ? { type: activity.conversation.conversationType } : {}),
      ...(thread ? { thread } : {}),
    },
    correlationId: info?.correlationId ?? 'none',
  };
}

/**
 * The reader's IANA time zone: Teams sends it as `localTimezone` and in the clientInfo entity. Sender input,
 * so only a zone Intl knows is kept; without one, times are shown in UTC and say so.
 */
export function timeZoneOf(activity: TurnContext['activity']): { timeZone?: string } {
  const fromEntity = activity.entities?.find((e) => e.type === 'clientInfo')?.['timezone'] as unknown;
  for (const candidate of [activity.localTimezone as unknown, fromEntity]) {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 64) continue;
    try {
      new Intl.DateTimeFormat('en', { timeZone: candidate });
      return { timeZone: candidate };
    } catch {
      // Not a zone Intl knows: try the next source.
    }
  }
  return {};
}

/** What the dialogs get of the edge: the turn described, and replies as activities. */
export const dialogEdge: DialogEdge = { turn: describeTurn, activity: toActivity };

type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * root.child(bindings), made when first written to at an enabled level: most turns log nothing, and a pino
 * child costs on every turn (its bindings go through redaction).
 */
function lazyChild(root: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = (): Logger => (child ??= root.child(bindings));
  const at =
    (level: LogLevel) =>
    (...args: [obj: object | string, msg?: string]): void => {
      if (root.isLevelEnabled?.(level) === false) return;
      // Passed on as given: pino tells log(obj) from log(obj, undefined) by the argument count.
      real()[level](...args);
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => real().child(more),
    isLevelEnabled: (level) => root.isLevelEnabled?.(level) ?? true,
  };
}
