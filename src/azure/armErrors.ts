import { isRestError, type PipelineResponse, type RestError } from '@azure/core-rest-pipeline';
import { AzureError, type AzureErrorKind } from '../kernel';
import { missingPermissionOf } from './authorizationFailure';

const kindByCode: Readonly<Record<string, AzureErrorKind>> = {
  authorizationfailed: 'notAuthorized',
  linkedauthorizationfailed: 'notAuthorized',
  invalidauthenticationtoken: 'notAuthorized',
  expiredauthenticationtoken: 'notAuthorized',
  authenticationfailed: 'notAuthorized',
  forbidden: 'notAuthorized',
  resourcenotfound: 'notFound',
  notfound: 'notFound',
  resourcegroupnotfound: 'notFound',
  parentresourcenotfound: 'notFound',
  subscriptionnotfound: 'notFound',
  request_resourcenotfound: 'notFound',
  toomanyrequests: 'throttled',
  conflict: 'conflict',
  roleassignmentexists: 'conflict',
  anotheroperationinprogress: 'conflict',
};

const networkCodes = new Set(['REQUEST_SEND_ERROR', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * The one place where ARM / Graph failures become `AzureError`s. An `AzureError` passes through;
 * errors that are neither HTTP nor network failures (bugs) are rethrown untouched by `armCall`.
 */
export function toAzureError(error: unknown, target?: string): AzureError | undefined {
  if (error instanceof AzureError) return error;
  if (isRestError(error)) return fromRestError(error, target);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && networkCodes.has(code)) {
    return new AzureError('unavailable', { armCode: code, target }, { cause: error });
  }
  return undefined;
}

function fromRestError(error: RestError, target: string | undefined): AzureError {
  const status = error.statusCode ?? error.response?.status;
  const body = errorBody(error.response);
  const armCode = error.code && !networkCodes.has(error.code) ? error.code : body?.code;
  const kind = kindOf(status, error.code, armCode);
  const headers = error.response?.headers;
  const correlationId =
    headers?.get('x-ms-correlation-request-id') ?? headers?.get('x-ms-request-id') ?? headers?.get('request-id') ?? body?.traceId ?? undefined;
  const retryAfterSeconds = kind === 'throttled' ? parseRetryAfter(headers?.get('retry-after')) : undefined;
  const missingPermission = kind === 'notAuthorized' ? missingPermissionOf(armCode, body?.message ?? error.message) : undefined;
  return new AzureError(
    kind,
    {
      armCode,
      status,
      correlationId,
      target,
      retryAfterSeconds,
      armMessage: body?.message ?? error.message,
      ...(missingPermission ? { missingPermission } : {}),
    },
    { cause: error },
  );
}

function kindOf(status: number | undefined, errorCode: string | undefined, armCode: string | undefined): AzureErrorKind {
  if (errorCode && networkCodes.has(errorCode)) return 'unavailable';
  const byCode = armCode ? kindByCode[armCode.toLowerCase()] : undefined;
  if (byCode) return byCode;
  if (status === undefined) return 'unavailable';
  if (status === 401 || status === 403) return 'notAuthorized';
  if (status === 404) return 'notFound';
  if (status === 429) return 'throttled';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'unavailable';
  return 'badRequest';
}

/**
 * The code and message of an error answer: ARM's `{error:{code,message}}`, or the RFC 7807
 * `application/problem+json` `{type,title,status,traceId}` Lab Services answers its 404s with (labplan-crud
 * recording), which has no code: one is derived from the title ("Not Found" → `NotFound`).
 */
function errorBody(response: PipelineResponse | undefined): { code?: string; message?: string; traceId?: string } | undefined {
  const text = response?.bodyAsText;
  if (!text) return undefined;
  let parsed: { error?: { code?: unknown; message?: unknown }; title?: unknown; status?: unknown; traceId?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return undefined; // not JSON: the status code is all there is
  }
  const e = parsed.error;
  if (e && typeof e === 'object') {
    return {
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : undefined,
    };
  }
  if (typeof parsed.title === 'string' && typeof parsed.status === 'number') {
    const traceId = typeof parsed.traceId === 'string' ? parsed.traceId : undefined;
    return { code: parsed.title.replace(/[^A-Za-z0-9]/g, ''), message: parsed.title, ...(traceId ? { traceId } : {}) };
  }
  return undefined;
}

/** ARM sends delta-seconds; an HTTP-date is left out rather than read against the wall clock. */
function parseRetryAfter(value: string | undefined | null): number | undefined {
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : undefined;
}

/** Runs one ARM call and maps its failure. */
export async function armCall<T>(target: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAzureError(error, target) ?? error;
  }
}

export function isAzureError(error: unknown, kind: AzureErrorKind): error is AzureError {
  return error instanceof AzureError && error.kind === kind;
}
