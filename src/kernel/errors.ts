import type { MessageKey, MessageParams } from './messages';
import { fixingRole, resourceOfScope, scopeKindOf } from './permissions';

/**
 * Errors that carry a message-catalog key instead of user-facing text.
 * The bot edge turns them into a localized message; `message` is for logs only.
 */
export class UserError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    options?: { cause?: unknown },
  ) {
    super(key, options);
    this.name = 'UserError';
  }
}

/** What a user can act on when Azure refuses; each kind has a catalog entry `azure.<kind>`. */
export type AzureErrorKind =
  | 'notAuthorized'
  | 'notFound'
  | 'throttled'
  | 'conflict'
  | 'badRequest'
  | 'unavailable'
  | 'operationFailed';

export class AzureError extends UserError {
  constructor(
    readonly kind: AzureErrorKind,
    readonly detail: {
      armCode?: string;
      status?: number;
      correlationId?: string;
      target?: string;
      retryAfterSeconds?: number;
      armMessage?: string;
      /** What a 403 says the bot's identity lacks, read from ARM's message; the user is told it in plain words. */
      missingPermission?: { action: string; scope: string };
    } = {},
    options?: { cause?: unknown },
  ) {
    const missing = detail.missingPermission;
    super(
      missing ? `azure.missingPermission.${scopeKindOf(missing.scope)}` : `azure.${kind}`,
      missing ? missingPermissionParams(missing, detail.target) : { target: detail.target ?? '' },
      options,
    );
    this.name = 'AzureError';
  }
}

function missingPermissionParams(missing: { action: string; scope: string }, target: string | undefined): MessageParams {
  const resource = resourceOfScope(missing.scope).replace(/\/+$/, '');
  return { target: target ?? '', action: missing.action, name: resource.split('/').pop() || '/', role: fixingRole(missing.action) };
}

/**
 * A resource is in the middle of another change (provisioningState not final, or ARM's 409
 * AnotherOperationInProgress). Transient: the step is tried again once the resource has settled.
 */
export class ResourceBusyError extends Error {
  constructor(readonly resource: string) {
    super(`${resource} is busy with another operation`);
    this.name = 'ResourceBusyError';
  }
}

export function isBusy(error: unknown): boolean {
  return (
    error instanceof ResourceBusyError ||
    (error instanceof AzureError && error.kind === 'conflict' && /AnotherOperationInProgress/i.test(error.detail.armCode ?? ''))
  );
}
