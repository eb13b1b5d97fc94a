/** When a route requires `api-version`, which values it accepts. */
export type ApiVersionRule = 'none' | readonly string[] | ((version: string) => boolean);

export interface Route<H> {
  method: string;
  /**
   * Literal segments match case-insensitively; `{name}` captures one segment; a leading `{*name}`
   * captures any prefix (an ARM scope) as a path starting with `/`.
   */
  pattern: string;
  /** Short name for the request log and fault rules, e.g. `labPlans.get`. */
  operation: string;
  apiVersion: ApiVersionRule;
  /** Refused (403) unless the caller is on the loopback interface. */
  loopbackOnly?: boolean;
  handler: H;
}

export interface RouteMatch<H> {
  route: Route<H>;
  params: Record<string, string>;
}

type Part = { literal: string } | { param: string };

interface Compiled<H> {
  route: Route<H>;
  scopeParam?: string;
  parts: Part[];
}

export class Router<H> {
  private readonly compiled: Compiled<H>[];

  constructor(routes: readonly Route<H>[]) {
    this.compiled = routes.map(compile);
  }

  /** The first route whose pattern and method match; `pathMatched` tells 405 from 404. */
  match(method: string, segments: readonly string[]): { match?: RouteMatch<H>; pathMatched: boolean } {
    let pathMatched = false;
    for (const c of this.compiled) {
      const params = matchParts(c, segments);
      if (!params) continue;
      pathMatched = true;
      if (c.route.method === method) return { match: { route: c.route, params }, pathMatched };
    }
    return { pathMatched };
  }
}

function compile<H>(route: Route<H>): Compiled<H> {
  const raw = route.pattern.split('/').filter((s) => s.length > 0);
  const first = raw[0];
  const scope = first?.match(/^\{\*(\w+)\}$/)?.[1];
  const rest = scope ? raw.slice(1) : raw;
  const parts = rest.map((s): Part => {
    const param = s.match(/^\{(\w+)\}$/)?.[1];
    return param ? { param } : { literal: s.toLowerCase() };
  });
  return { route, parts, ...(scope ? { scopeParam: scope } : {}) };
}

function matchParts<H>(c: Compiled<H>, segments: readonly string[]): Record<string, string> | undefined {
  const offset = segments.length - c.parts.length;
  if (offset < 0 || (!c.scopeParam && offset !== 0)) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < c.parts.length; i++) {
    const part = c.parts[i] as Part;
    const segment = segments[offset + i] as string;
    if ('literal' in part) {
      if (segment.toLowerCase() !== part.literal) return undefined;
    } else {
      params[part.param] = segment;
    }
  }
  if (c.scopeParam) params[c.scopeParam] = `/${segments.slice(0, offset).join('/')}`;
  return params;
}
