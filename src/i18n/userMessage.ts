import { isMessageKey } from './catalog';
import { UserError, type MessageParams, type UserMessage } from '../kernel';

/** The one logger method used here; i18n/ sits below ports/ and may import the kernel only. */
interface ErrorLog {
  error(obj: object, msg?: string): void;
}

/** For a failure that says nothing the user can act on (the reference is in the logs, not the message). */
export const apology: UserMessage = { key: 'error.apology', params: { correlationId: '-' } };

/**
 * The one way a failure becomes words for the user. A UserError, or a `{ key, params }` read back from data
 * (the journal's error, a toggle failure), says its catalog entry when the catalog has that key; anything
 * else says `fallback`. Never the error's own text. A key the catalog lacks is a programming error: logged
 * when a logger is given. It lives beside the catalog so that the operations' reports use it too; interaction/
 * re-exports it for the handlers.
 */
export function userMessageOf(error: unknown, fallback: UserMessage, log?: ErrorLog): UserMessage {
  const said = error instanceof UserError ? error : keyed(error);
  if (!said) return fallback;
  if (isMessageKey(said.key)) return { key: said.key, params: said.params ?? {} };
  log?.error({ key: said.key }, 'user error without a catalog entry');
  return fallback;
}

function keyed(value: unknown): { key: string; params?: MessageParams } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (typeof key !== 'string') return undefined;
  return typeof params === 'object' && params !== null ? { key, params: params as MessageParams } : { key };
}
