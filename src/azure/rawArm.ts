import type { ServiceClient } from '@azure/core-client';
import { createHttpHeaders, createPipelineRequest, RestError, type HttpMethods } from '@azure/core-rest-pipeline';

/** Plain ARM REST calls for APIs without an SDK (lab accounts, Graph, JSON merge-patch with null). */
export class RawArmClient {
  constructor(
    private readonly client: Pick<ServiceClient, 'sendRequest'>,
    private readonly endpoint: string,
  ) {}

  /** `pathOrUrl` is an ARM path (`/subscriptions/…`) or an absolute `nextLink`. Throws `RestError` on HTTP ≥ 400. */
  async send<T>(method: HttpMethods, pathOrUrl: string, apiVersion?: string, body?: unknown): Promise<T | undefined> {
    const request = createPipelineRequest({
      url: this.urlOf(pathOrUrl, apiVersion),
      method,
      headers: createHttpHeaders({ accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const response = await this.client.sendRequest(request);
    const text = response.bodyAsText ?? '';
    const parsed = text ? (safeJson(text) as T | undefined) : undefined;
    if (response.status >= 400) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      throw new RestError(typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`, {
        statusCode: response.status,
        code: typeof error?.code === 'string' ? error.code : undefined,
        request,
        response,
      });
    }
    return parsed;
  }

  /** GETs every page of an ARM list (`value` + `nextLink`). */
  async listAll<T>(path: string, apiVersion: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    let version: string | undefined = apiVersion;
    while (next) {
      const page: { value?: T[]; nextLink?: string | null } | undefined = await this.send('GET', next, version);
      items.push(...(page?.value ?? []));
      next = page?.nextLink ?? undefined;
      version = undefined; // nextLink carries its own query
    }
    return items;
  }

  private urlOf(pathOrUrl: string, apiVersion: string | undefined): string {
    const base = /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.endpoint}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
    if (!apiVersion) return base;
    return `${base}${base.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(apiVersion)}`;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a non-JSON body (an HTML error page) carries nothing to read
  }
}
