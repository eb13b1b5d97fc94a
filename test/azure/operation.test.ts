import { RestError } from '@azure/core-rest-pipeline';
import { classifyState, runOperation } from '../../src/azure/operation';

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
});
