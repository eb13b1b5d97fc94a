import type { Pipeline } from '@azure/core-rest-pipeline';
import type { CloudAdapterBase, ConversationReference, TurnContext } from 'botbuilder';
import { systemClock, type Clock } from '../ports/clock';
import { DeliveryError, type ConversationTransport } from '../ports/conversationTransport';
import type { OutgoingMessage } from '../ports/notifier';
import type { ConversationRefStore } from '../ports/stores';
import { noTelemetry, type Telemetry } from '../ports/telemetry';
import { toActivity } from './replies';

export interface BotConnectorTransportOptions {
  /** A request without an answer by then fails (as a network error). Default 15 s. */
  timeoutMs?: number;
  /** For Retry-After given as an HTTP date. */
  clock?: Clock;
  /** A span and a count per request. Default none. */
  telemetry?: Pick<Telemetry, 'connectorRequest'>;
}

/** core-rest-pipeline's name for the retry policy every ConnectorClient pipeline gets. */
const SDK_RETRY_POLICY = 'defaultRetryPolicy';

/**
 * The Bot Connector through CloudAdapter's proactive path (continueConversationAsync with the stored
 * reference): one HTTP request per call, failures as DeliveryError with the connector's status.
 */
export class BotConnectorTransport implements ConversationTransport {
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly telemetry: Pick<Telemetry, 'connectorRequest'>;

  constructor(
    private readonly adapter: CloudAdapterBase,
    private readonly appId: string,
    private readonly refs: ConversationRefStore,
    options: BotConnectorTransportOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.clock = options.clock ?? systemClock;
    this.telemetry = options.telemetry ?? noTelemetry;
  }

  async send(conversationId: string, message: OutgoingMessage): Promise<string> {
    let id = '';
    await this.continueConversation('send', conversationId, message.thread, async (context) => {
      id = (await context.sendActivity(toActivity(message)))?.id ?? '';
    });
    return id;
  }

  async update(conversationId: string, activityId: string, message: OutgoingMessage): Promise<void> {
    await this.continueConversation('update', conversationId, message.thread, async (context) => {
      await context.updateActivity({ ...toActivity(message), id: activityId });
    });
  }

  private async continueConversation(kind: 'send' | 'update', conversationId: string, thread: string | undefined, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const span = this.telemetry.connectorRequest(kind);
    try {
      await this.continueWith(conversationId, thread, logic);
      span.end(200);
    } catch (error) {
      span.end(error instanceof DeliveryError ? error.status : 0);
      throw error;
    }
  }

  /** In a channel, `thread` (a post's id) addresses that post's thread: Teams' `<channel>;messageid=<post>` conversation id. */
  private async continueWith(conversationId: string, thread: string | undefined, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const stored = await this.refs.get(conversationId);
    if (!stored) throw new DeliveryError(404, `no conversation reference stored for ${conversationId}`);
    const base = stored.reference as Partial<ConversationReference>;
    const reference: Partial<ConversationReference> =
      thread && base.conversation ? { ...base, conversation: { ...base.conversation, id: `${base.conversation.id};messageid=${thread}` } } : base;
    let failure: { error: unknown } | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        // Caught here: the adapter hands errors of the logic to its onTurnError, which would swallow them.
        try {
          this.prepareConnector(context);
          await logic(context);
        } catch (error) {
          failure = { error };
        }
      });
    } catch (error) {
      failure = { error };
    }
    if (failure) throw this.toDeliveryError(failure.error);
  }

  /**
   * Each proactive turn gets a fresh ConnectorClient whose pipeline retries 429s (after Retry-After) and 5xx
   * by itself: out of the outbox's sight, past its rate limits, with the conversation's slot held meanwhile.
   * Its retry policy is removed, and a request timeout added (the SDK sets none).
   */
  private prepareConnector(context: TurnContext): void {
    const connector: unknown = context.turnState.get(context.adapter.ConnectorClientKey);
    const pipeline = (connector as { client?: { pipeline?: Pipeline } } | undefined)?.client?.pipeline;
    if (!pipeline || pipeline.removePolicy({ name: SDK_RETRY_POLICY }).length === 0) {
      throw new Error(`the ConnectorClient has no "${SDK_RETRY_POLICY}" to remove; botframework-connector changed`);
    }
    const { timeoutMs, clock } = this;
    pipeline.addPolicy({
      name: 'outboxRequestTimeout',
      // An abort signal rather than request.timeout, whose timer the SDK leaves running after a network error.
      sendRequest: async (request, next) => {
        if (request.abortSignal) return next(request);
        const controller = new AbortController();
        const timer = clock.setTimeout(() => controller.abort(), timeoutMs);
        request.abortSignal = controller.signal;
        try {
          return await next(request);
        } finally {
          timer.cancel();
        }
      },
    });
  }

  /** botframework-connector throws core-rest-pipeline RestErrors: statusCode, and the response with its headers. */
  private toDeliveryError(error: unknown): DeliveryError {
    if (error instanceof DeliveryError) return error;
    const rest = error as { statusCode?: unknown; message?: unknown; response?: { headers?: unknown } } | undefined;
    const message = typeof rest?.message === 'string' ? rest.message : String(error);
    if (typeof rest?.statusCode !== 'number') return new DeliveryError(0, message);
    return new DeliveryError(rest.statusCode, message, retryAfterMs(rest.response?.headers, this.clock.now()));
  }
}

/** Retry-After in seconds or as an HTTP date (RFC 9110), or retry-after-ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: unknown, now: number): number | undefined {
  const header = (name: string): string | undefined => {
    if (!headers || typeof headers !== 'object') return undefined;
    const getter = (headers as { get?: unknown }).get;
    const value: unknown = typeof getter === 'function' ? getter.call(headers, name) : (headers as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const ms = header('retry-after-ms');
  if (ms !== undefined && /^\d+$/.test(ms)) return Number(ms);
  const value = header('retry-after');
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
