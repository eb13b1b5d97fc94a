import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { armCall, toAzureError } from '../../src/azure/armErrors';
import { AzureError } from '../../src/kernel';

function restError(status: number | undefined, code?: string, headers: Record<string, string> = {}, body?: unknown): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.test/subscriptions/s' });
  return new RestError('boom', {
    statusCode: status,
    code,
    request,
    ...(status === undefined
      ? {}
      : { response: { status, headers: createHttpHeaders(headers), request, ...(body === undefined ? {} : { bodyAsText: JSON.stringify(body) }) } }),
  });
}

describe('toAzureError', () => {
  it.each([
    [401, undefined, 'notAuthorized'],
    [403, 'AuthorizationFailed', 'notAuthorized'],
    [400, 'AuthorizationFailed', 'notAuthorized'],
    [404, 'ResourceNotFound', 'notFound'],
    [404, undefined, 'notFound'],
    [400, 'NotFound', 'notFound'],
    [429, undefined, 'throttled'],
    [409, 'Conflict', 'conflict'],
    [400, 'Conflict', 'conflict'],
    [409, 'RoleAssignmentExists', 'conflict'],
    [400, 'InvalidParameter', 'badRequest'],
    [422, undefined, 'badRequest'],
    [500, 'InternalServerError', 'unavailable'],
    [503, undefined, 'unavailable'],
  ] as const)('HTTP %s %s → %s', (status, code, kind) => {
    expect(toAzureError(restError(status, code), 'physics')?.kind).toBe(kind);
  });

  it('reads Lab Services\' problem+json 404 (no error object) as the same notFound, its traceId as the correlation id', () => {
    const body = { type: 'https://tools.ietf.org/html/rfc7231#section-6.5.4', title: 'Not Found', status: 404, traceId: '00-63b6e9bd-c054a2c1-01' };
    const error = toAzureError(restError(404, undefined, { 'content-type': 'application/problem+json; charset=utf-8' }, body), 'physics-plan');
    expect(error).toMatchObject({ kind: 'notFound', detail: { status: 404, armCode: 'NotFound', armMessage: 'Not Found', correlationId: '00-63b6e9bd-c054a2c1-01', target: 'physics-plan' } });
  });

  it('keeps the ARM correlation id, code, status, target and message', () => {
    const error = toAzureError(
      restError(404, 'ResourceNotFound', { 'x-ms-correlation-request-id': 'corr-1', 'x-ms-request-id': 'req-1' }, { error: { code: 'ResourceNotFound', message: 'gone' } }),
      'physics',
    );
    expect(error).toBeInstanceOf(AzureError);
    expect(error?.key).toBe('azure.notFound');
    expect(error?.params).toEqual({ target: 'physics' });
    expect(error?.detail).toMatchObject({ armCode: 'ResourceNotFound', status: 404, correlationId: 'corr-1', target: 'physics', armMessage: 'gone' });
  });

  it('falls back to the request id, and reads the code from the body when the SDK did not', () => {
    const error = toAzureError(restError(403, undefined, { 'x-ms-request-id': 'req-1' }, { error: { code: 'AuthorizationFailed', message: 'no' } }));
    expect(error?.kind).toBe('notAuthorized');
    expect(error?.detail).toMatchObject({ armCode: 'AuthorizationFailed', correlationId: 'req-1' });
  });

  it('carries Retry-After on throttling', () => {
    expect(toAzureError(restError(429, 'TooManyRequests', { 'retry-after': '17' }))?.detail.retryAfterSeconds).toBe(17);
    expect(toAzureError(restError(429, undefined, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }))?.detail.retryAfterSeconds).toBeUndefined();
  });

  it('maps network failures to unavailable', () => {
    expect(toAzureError(restError(undefined, RestError.REQUEST_SEND_ERROR))?.kind).toBe('unavailable');
    expect(toAzureError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))?.kind).toBe('unavailable');
  });

  it('passes AzureErrors through and leaves other errors alone', () => {
    const azure = new AzureError('conflict');
    expect(toAzureError(azure)).toBe(azure);
    expect(toAzureError(new TypeError('bug'))).toBeUndefined();
  });
});

describe('armCall', () => {
  it('maps HTTP failures and rethrows bugs untouched', async () => {
    await expect(armCall('g', () => Promise.reject(restError(409, 'Conflict')))).rejects.toMatchObject({ kind: 'conflict' });
    const bug = new TypeError('bug');
    await expect(armCall('g', () => Promise.reject(bug))).rejects.toBe(bug);
    await expect(armCall('g', async () => 42)).resolves.toBe(42);
  });
});
