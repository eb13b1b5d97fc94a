import { createHmac, randomBytes } from 'node:crypto';

/** What a poll's query offers for checking: a lookup of its parameters. */
export interface SignedQuery {
  get(name: string): string | undefined;
}

/**
 * ARM signs async-operation URLs with the query parameters `t`, `c` (a certificate), `s` and `h`
 * (recordings' README). The emulator signs its own with an HMAC over the operation id so that a poll whose
 * parameters are missing or altered can be refused: clients must use the header URL as given.
 * Unconfirmed: whether Azure refuses such a poll, and how; the emulator answers 400 `InvalidOperationSignature`.
 */
export class PollUrlSigner {
  private readonly key = randomBytes(32);
  /** Stands for ARM's ~3 KB certificate; only its presence and value are checked. */
  private readonly certificate = randomBytes(48).toString('base64url');

  sign(operationId: string): string {
    // ARM's `t` is a timestamp; a nonce serves the same purpose here without reading the clock.
    const t = randomBytes(6).toString('hex');
    return `t=${t}&c=${this.certificate}&s=${this.mac('s', operationId, t)}&h=${this.mac('h', operationId, t)}`;
  }

  verify(operationId: string, query: SignedQuery): boolean {
    const [t, c, s, h] = ['t', 'c', 's', 'h'].map((name) => query.get(name));
    if (!t || !c || !s || !h) return false;
    return c === this.certificate && s === this.mac('s', operationId, t) && h === this.mac('h', operationId, t);
  }

  private mac(part: string, operationId: string, t: string): string {
    return createHmac('sha256', this.key).update(`${part}|${operationId.toLowerCase()}|${t}`).digest('base64url');
  }
}
