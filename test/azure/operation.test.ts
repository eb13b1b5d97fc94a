import { createHttpHeaders, createPipelineRequest, RestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import { classifyState, preferSignedPollUrlPolicy, runOperation } from '../../src/azure/operation';

const settle = { intervalMs: 1, attempts: 5 };

/** A resource whose provisioningState walks through `states`, one per read (the last one sticks). */
function resource(...states: (string | undefined)[]) {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    reread: async () => ({ state: states[Math.min(reads++, states.length - 1)] }),
    stateOf: (r: { state: string | undefined }) => r.state,
  };
}

const poller = (outcome: () => Promise<unknown>) => async () => ({ pollUntilDone: outcome });

describe('runOperation', () => {
  it('classifies provisioning states', () => {
    expect([undefined, 'Succeeded', 'failed', 'Canceled', 'Updating', 'Locked'].map(classifyState)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'failed',
      'pending',
      'pending',
    ]);
  });

  it('keeps re-reading when the SDK poller stopped early (200 {"status":"InProgress"})', async () => {
    const r = resource('Updating', 'Updating', 'Succeeded');
    await expect(runOperation({ target: 'p', start: poller(async () => ({ status: 'InProgress' })), ...r, settle })).resolves.toEqual({ state: 'Succeeded' });
    expect(r.reads).toBe(3);
  });

  it('fails when the re-read resource says Failed, whatever the poller said', async () => {
    const r = resource('Failed');
    await expect(runOperation({ target: 'p', start: poller(async () => ({})), ...r, settle })).rejects.toMatchObject({
      kind: 'operationFailed',
      detail: { target: 'p', armMessage: 'provisioningState Failed' },
    });
  });

  it('fails when the poller reports the operation failed, even if the resource looks fine', async () => {
    const r = resource('Succeeded');
    await expect(
      runOperation({ target: 'p', start: poller(() => Promise.reject(new Error('The long-running operation has failed. Boom.'))), ...r, settle }),
    ).rejects.toMatchObject({ kind: 'operationFailed', detail: { armMessage: 'The long-running operation has failed. Boom.' } });
  });

  it('trusts the resource when only polling hit an HTTP error', async () => {
    const warnings: unknown[] = [];
    const r = resource('Succeeded');
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (o: unknown) => warnings.push(o) };
    await expect(
      runOperation({ target: 'p', start: poller(() => Promise.reject(new RestError('bad gateway', { statusCode: 502 }))), ...r, settle, logger }),
    ).resolves.toEqual({ state: 'Succeeded' });
    expect(warnings).toHaveLength(1);
  });

  it('maps a refused initial request and does not re-read', async () => {
    const r = resource('Succeeded');
    await expect(runOperation({ target: 'p', start: () => Promise.reject(new RestError('no', { statusCode: 409, code: 'Conflict' })), ...r, settle })).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect(r.reads).toBe(0);
  });

  it('returns a still-pending resource once the settle window is spent', async () => {
    const r = resource('Creating');
    await expect(runOperation({ target: 'p', start: async () => undefined, ...r, settle })).resolves.toEqual({ state: 'Creating' });
    expect(r.reads).toBe(settle.attempts);
  });

  it('carries Azure\'s code and message of a failed operation (core-lro\'s "failed. <code>. <message>")', async () => {
    const r = resource('Failed');
    const failed = () => Promise.reject(new Error('The long-running operation has failed. LabCreationFailed. The template VM could not be created.'));
    await expect(runOperation({ target: 'p', start: poller(failed), ...r, settle })).rejects.toMatchObject({
      kind: 'operationFailed',
      detail: { target: 'p', armCode: 'LabCreationFailed', armMessage: 'The template VM could not be created.' },
    });
  });

  it('treats a failure on the SDK\'s first poll (inside the begin call) as the operation failing, and still re-reads', async () => {
    const r = resource('Failed');
    const start = () => Promise.reject(new Error('The long-running operation has failed. ImageSaveFailed. The VM must be stopped.'));
    await expect(runOperation({ target: 'p', start, ...r, settle })).rejects.toMatchObject({ kind: 'operationFailed', detail: { armCode: 'ImageSaveFailed' } });
    expect(r.reads).toBe(1);
  });

  it('reads a Location-mode poller\'s result {status: Failed, error} as the operation failing', async () => {
    const r = resource('Succeeded');
    const result = async () => ({ id: 'op', status: 'Failed', error: { code: 'SharedGalleryAttachFailed', message: 'nope' } });
    await expect(runOperation({ target: 'p', start: poller(result), ...r, settle })).rejects.toMatchObject({
      kind: 'operationFailed',
      detail: { armCode: 'SharedGalleryAttachFailed', armMessage: 'nope' },
    });
  });
});

describe('preferSignedPollUrlPolicy', () => {
  const answer = (headers: Record<string, string>) => async (): Promise<PipelineResponse> => ({
    request: createPipelineRequest({ url: 'https://management.azure.com/x' }),
    status: 201,
    headers: createHttpHeaders(headers),
  });
  const send = (headers: Record<string, string>) => preferSignedPollUrlPolicy().sendRequest(createPipelineRequest({ url: 'https://management.azure.com/x' }), answer(headers));

  it('drops the unsigned Operation-Location next to a signed Azure-AsyncOperation, so the signed URL is polled', async () => {
    const response = await send({ 'Azure-AsyncOperation': 'https://a?api-version=1&t=1&c=2&s=3&h=4', 'Operation-Location': 'https://a?api-version=1', Location: 'https://r' });
    expect(response.headers.get('operation-location')).toBeUndefined();
    expect(response.headers.get('azure-asyncoperation')).toBe('https://a?api-version=1&t=1&c=2&s=3&h=4');
    expect(response.headers.get('location')).toBe('https://r');
  });

  it('keeps an Operation-Location that is the only operation URL', async () => {
    expect((await send({ 'Operation-Location': 'https://a' })).headers.get('operation-location')).toBe('https://a');
  });
});
