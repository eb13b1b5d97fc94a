import type { IncomingMessage } from 'node:http';

/** Bot Framework activities are a few KB; cards stay under 28 KB. 1 MB leaves room and bounds what one request costs. */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

export type ActivityBody =
  | { ok: true; activity: Record<string, unknown> }
  | { ok: false; status: 400 | 413 | 415; reason: string };

/**
 * Reads and checks the body of POST /api/messages before anything else looks at it (authentication included).
 * No decoding step: the Bot Connector never compresses, so a content-encoding is refused (415) instead of inflated,
 * and the byte cap holds for what is parsed. A body over the cap is not read further (413).
 */
export async function readActivityBody(req: IncomingMessage, maxBytes = MAX_ACTIVITY_BYTES): Promise<ActivityBody> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') return refuse(415, `content-encoding ${encoding.slice(0, 40)}`);
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') return refuse(415, 'content-type is not application/json');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return refuse(413, 'content-length over the limit');

  const raw = await readCapped(req, maxBytes);
  if (raw === 'too large') return refuse(413, 'body over the limit');
  if (raw === 'failed') return refuse(400, 'body not received');

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse(400, 'body is not JSON');
  }
  if (!isRecord(parsed)) return refuse(400, 'body is not a JSON object');
  const problem = activityProblem(parsed);
  return problem ? refuse(400, problem) : { ok: true, activity: parsed };
}

/**
 * The shape botbuilder takes for granted before a turn (it answers 500 otherwise): a type, and for an
 * Action.Execute invoke an `action` object with a type. Everything else is the bot's to judge.
 */
export function activityProblem(activity: Record<string, unknown>): string | undefined {
  if (typeof activity.type !== 'string' || activity.type === '') return 'activity has no type';
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const value = activity.value;
    if (!isRecord(value) || !isRecord(value.action)) return 'adaptiveCard/action without value.action';
    const action = value.action;
    if (typeof action.type !== 'string') return 'adaptiveCard/action without action.type';
    if (action.verb !== undefined && typeof action.verb !== 'string') return 'adaptiveCard/action verb is not a string';
  }
  return undefined;
}

function refuse(status: 400 | 413 | 415, reason: string): ActivityBody {
  return { ok: false, status, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects at most `maxBytes`; past that it stops listening, and the caller answers and closes the connection. */
function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too large' | 'failed'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too large' | 'failed') => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      if (result === 'too large') req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish('too large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onError = () => finish('failed');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
