import { STATUS_CODES } from 'node:http';
import type { Response as RestifyResponse } from 'restify';

/** What an error answer says: the status text, nothing the server knows (no stack, URL or library message). */
export function errorBody(status: number): { error: string } {
  return { error: STATUS_CODES[status] ?? 'Error' };
}

/**
 * The response handed to CloudAdapter.process. CloudAdapter sends `err.message` as the body of its 401 and 500
 * answers (the OpenID metadata URL, "Invalid AppId passed on token: …"); such text bodies are replaced by
 * errorBody and passed to `hidden` for the log. Object bodies are invoke responses the bot built: they pass.
 */
export function guardedResponse(res: RestifyResponse, hidden: (status: number, body: unknown) => void) {
  let status = 200;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      res.status(code);
    },
    header(name: string, value: unknown) {
      res.header(name, value);
    },
    send(body?: unknown) {
      if (status >= 400 && (typeof body !== 'object' || body === null)) {
        hidden(status, body);
        res.send(status, errorBody(status));
      } else {
        res.send(body);
      }
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
