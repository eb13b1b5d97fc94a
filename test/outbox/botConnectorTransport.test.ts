import { BotConnectorTransport } from '../../src/bot/botConnectorTransport';
import { ManualClock } from '../../src/ports/clock';
import { DeliveryError } from '../../src/ports/conversationTransport';
import { createAdapter } from '../../src/server';
import { memoryLogger } from '../support/memoryLogger';
import { textOf } from '../support/fakeBotConnector';
import { timerArmed } from '../support/manualTime';
import { createOutboxHarness, text, type OutboxHarness } from './outboxHarness';

let h: OutboxHarness;
afterEach(async () => {
  await h.close();
});

async function refusal(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('BotConnectorTransport', () => {
  it('posts through the stored reference and replaces by activity id', async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    const id = await h.transport.send('19:a', { kind: 'card', summary: 'Status', card: { type: 'AdaptiveCard', version: '1.5', body: [] } });
    await h.transport.update('19:a', id, text('replaced'));

    expect(h.connector.accepted.map((a) => [a.method, a.conversationId, a.activityId])).toEqual([
      ['POST', '19:a', id],
      ['PUT', '19:a', id],
    ]);
    expect(h.connector.accepted[0]?.activity).toMatchObject({ summary: 'Status', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
    expect(textOf(h.connector.current(id) ?? {})).toBe('replaced');
  });

  it('answers 404 without a request when no reference is stored', async () => {
    h = await createOutboxHarness();
    expect(await refusal(h.transport.send('19:unknown', text('x')))).toMatchObject({ status: 404 });
    expect(h.connector.requests).toHaveLength(0);
  });

  it("hands the connector's 429 and 5xx over at once, with Retry-After: the SDK retries none of them", async () => {
    h = await createOutboxHarness();
    await h.addConversation('19:a');
    h.connector.fail('19:a', { status: 429, times: 1, retryAfterSeconds: 2 });
    h.connector.fail('19:a', { status: 503, times: 1 });
    h.connector.fail('19:a', { status: 403, times: 1 });

    expect(await refusal(h.transport.send('19:a', text('x')))).toMatchObject({ status: 429, retryAfterMs: 2_000 });
    expect(await refusal(h.transport.send('19:a', text('x')))).toMatchObject({ status: 503 });
    expect(await refusal(h.transport.update('19:a', 'activity-1', text('x')))).toMatchObject({ status: 403 });
    expect(h.connector.requests.map((r) => r.status)).toEqual([429, 503, 403]);
  });

  it('gives up on a connector that does not answer in time, as a network error', async () => {
    h = await createOutboxHarness({}, { delayMs: 2_000 });
    await h.addConversation('19:a');
    const clock = new ManualClock();
    const transport = new BotConnectorTransport(
      createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', appTenantId: '' }, memoryLogger()),
      '',
      h.refs,
      { timeoutMs: 100, clock },
    );
    const refused = refusal(transport.send('19:a', text('x')));
    // The request timeout is on the transport's clock: it runs out while the connector still holds its answer (2 s).
    await timerArmed(clock);
    clock.advance(100);
    expect(await refused).toMatchObject({ status: 0 });
    expect(clock.pendingTimers).toBe(0);
  });
});
