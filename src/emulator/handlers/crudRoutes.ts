import { ArmError } from '../armError';
import { json, type EmulatorResponse } from '../http/response';
import type { ApiVersionRule } from '../http/router';
import type { LroSpec, LroStyle } from '../lro/lroTracker';
import type { ProvisioningState } from '../state/records';
import { page, type EmulatorRoute, type Handler, type HandlerContext, type RoutedRequest } from './context';

type FromRequest<T> = (req: RoutedRequest, ctx: HandlerContext) => T;

/** One resource type's routes: what differs between types; the HTTP shape of each verb is written once below. */
export interface CrudSpec<R extends object> {
  /** Operation names are `${name}.${verb}`: the lists' keys, `get`, `createOrUpdate`, `update`, `delete`. */
  name: string;
  apiVersion: ApiVersionRule;
  /** The item's route; lists answer on its collection (this route minus its last segment) unless they name their own. */
  path: string;
  /** The JSON of an item, in lists, GETs and the record a DELETE returns. */
  view: (item: R, ctx: HandlerContext) => unknown;
  /**
   * A top-level resource's two lists, both paged: in the subscription (`listBySubscription`, or the
   * operation named) and in the route's resource group (`listByResourceGroup`).
   */
  topLevel?: { list: (ctx: HandlerContext, resourceGroup?: string) => readonly R[]; subscriptionOperation?: string };
  /** Paged lists by operation name; the function checks the parents (their 404s) and returns the items. */
  lists?: Record<string, FromRequest<readonly R[]> | { path: string; items: FromRequest<readonly R[]> }>;
  /** The item, or its 404. */
  get?: FromRequest<R>;
  /** What a GET answers instead of `view`, e.g. with an `$expand`. */
  getView?: (item: R, req: RoutedRequest, ctx: HandlerContext) => unknown;
  /** The item's id when writes run as LROs: a GET of the item counts as a poll of its pending operation. */
  lroId?: FromRequest<string>;
  put?: Handler;
  /** Default `createOrUpdate`. */
  putOperation?: string;
  patch?: Handler;
  /** `true`: 200, nothing (`false`, `undefined`) to delete: 204; a record: 200 with its view. */
  delete?: FromRequest<boolean | R | undefined>;
  /**
   * DELETE runs as an LRO of this style (202, the resource goes once the operation completes); needs `get` and
   * `lroId`. A missing resource still answers 204 at once.
   */
  deleteLro?: LroStyle;
}

export function crudRoutes<R extends object>(spec: CrudSpec<R>): EmulatorRoute[] {
  const { name, apiVersion, path, view, topLevel, get, getView, lroId, put, patch, delete: remove } = spec;
  const route = (method: string, pattern: string, verb: string, handler: Handler): EmulatorRoute => ({ method, pattern, operation: `${name}.${verb}`, apiVersion, handler });
  const collection = path.slice(0, path.lastIndexOf('/'));
  const lists: NonNullable<CrudSpec<R>['lists']> = topLevel
    ? {
        [topLevel.subscriptionOperation ?? 'listBySubscription']: { path: collection.replace('/resourceGroups/{resourceGroup}', ''), items: (_req, ctx) => topLevel.list(ctx) },
        listByResourceGroup: (req, ctx) => topLevel.list(ctx, req.params.resourceGroup),
        ...spec.lists,
      }
    : (spec.lists ?? {});
  const routes = Object.entries(lists).map(([verb, list]) => {
    const { path: listPath, items } = typeof list === 'function' ? { path: collection, items: list } : list;
    return route('GET', listPath, verb, (req, ctx) => json(page(req, ctx, items(req, ctx).map((item) => view(item, ctx)))));
  });
  if (get) {
    routes.push(
      route('GET', path, 'get', (req, ctx) => {
        if (lroId) ctx.lro.touch(lroId(req, ctx));
        const item = get(req, ctx);
        return json(getView ? getView(item, req, ctx) : view(item, ctx));
      }),
    );
  }
  if (put) routes.push(route('PUT', path, spec.putOperation ?? 'createOrUpdate', put));
  if (patch) routes.push(route('PATCH', path, 'update', patch));
  if (remove && spec.deleteLro && get && lroId) {
    const style = spec.deleteLro;
    routes.push(route('DELETE', path, 'delete', (req, ctx) => startDelete(req, ctx, style, get, lroId, remove)));
  } else if (remove) {
    routes.push(
      route('DELETE', path, 'delete', (req, ctx) => {
        const removed = remove(req, ctx);
        return typeof removed === 'object' ? json(view(removed, ctx)) : { status: removed ? 200 : 204 };
      }),
    );
  }
  return routes;
}

function startDelete<R extends object>(
  req: RoutedRequest,
  ctx: HandlerContext,
  style: LroStyle,
  get: FromRequest<R>,
  lroId: FromRequest<string>,
  remove: FromRequest<unknown>,
): EmulatorResponse {
  let item: R;
  try {
    item = get(req, ctx);
  } catch (error) {
    if (error instanceof ArmError && error.status === 404) return { status: 204 };
    throw error;
  }
  const location = (item as { location?: unknown }).location;
  const { operation, headers } = startLro(req, ctx, {
    style,
    kind: 'action',
    resourceId: lroId(req, ctx),
    ...(typeof location === 'string' ? { location } : {}),
    complete: () => {
      remove(req, ctx);
    },
    fail: () => undefined,
  });
  // Lab Services answers the 202 with the operation result as its body (labplan-crud recording); Compute with none.
  const body = style === 'labServices' ? { id: ctx.lro.idOf(operation), name: operation.id, status: operation.status, startTime: new Date(operation.startTime).toISOString() } : undefined;
  return { status: 202, headers, ...(body ? { body } : {}) };
}

/** `ctx.lro.start` with the request's api-version and the failure a fault rule may have injected. */
export function startLro(req: RoutedRequest, ctx: HandlerContext, spec: Omit<LroSpec, 'apiVersion' | 'injectedFailure'>): ReturnType<HandlerContext['lro']['start']> {
  return ctx.lro.start({ ...spec, apiVersion: req.apiVersion, ...(req.operationFailure ? { injectedFailure: req.operationFailure } : {}) });
}

interface Provisioned {
  id: string;
  location: string;
  provisioningState: ProvisioningState;
}

/**
 * Starts the LRO of a write on a resource: it reads Creating (or Updating) while the operation runs, then
 * Succeeded after `apply`, or Failed. Returns the headers of the first answer.
 */
export function startWrite(req: RoutedRequest, ctx: HandlerContext, resource: Provisioned, write: { style: LroStyle; creating: boolean; apply?: () => void }): Record<string, string> {
  const { operation, headers } = startLro(req, ctx, {
    style: write.style,
    resourceId: resource.id,
    location: resource.location,
    complete: () => {
      write.apply?.();
      resource.provisioningState = 'Succeeded';
    },
    fail: () => {
      resource.provisioningState = 'Failed';
    },
  });
  if (operation.status === 'InProgress') resource.provisioningState = write.creating ? 'Creating' : 'Updating';
  return headers;
}
