import { objectAt, type JsonObject } from '../json';
import { json } from '../http/response';
import type { ApiVersionRule } from '../http/router';
import type { LabHostRecord, LabHostStore } from '../state/labHostStore';
import type { EnabledState, HostImageRecord } from '../state/records';
import { bodyObject, requiredOneOf, type EmulatorRoute, type Handler, type HandlerContext, type RoutedRequest } from './context';
import { crudRoutes } from './crudRoutes';

export interface HostImageRoutes {
  name: string;
  listOperation: string;
  apiVersion: ApiVersionRule;
  /** The image's route; its last parameter is `{image}`. */
  path: string;
  hostId: (req: RoutedRequest, ctx: HandlerContext) => string;
  store: (ctx: HandlerContext) => LabHostStore<LabHostRecord>;
  view: (image: HostImageRecord) => JsonObject;
  /** The enabled state a PUT or PATCH body's `properties` ask for. */
  requestedState: (properties: JsonObject | undefined) => EnabledState;
}

/**
 * Images of a lab host's attached gallery (lab accounts' `sharedImages`; lab plans list more, see
 * labPlanImages): listed, read, and only their enabled state written, synchronously (200 with the image);
 * a PUT cannot create one.
 */
export function hostImageRoutes(spec: HostImageRoutes): EmulatorRoute[] {
  const { hostId, store, view } = spec;
  const setState: Handler = (req, ctx) => {
    const host = hostId(req, ctx);
    const name = req.params.image ?? '';
    store(ctx).image(host, name);
    const state = spec.requestedState(objectAt(bodyObject(req), 'properties'));
    return json(view(store(ctx).setImageEnabled(host, name, state)));
  };
  return crudRoutes<HostImageRecord>({
    name: spec.name,
    apiVersion: spec.apiVersion,
    path: spec.path,
    view,
    lists: { [spec.listOperation]: (req, ctx) => store(ctx).images(hostId(req, ctx)) },
    get: (req, ctx) => store(ctx).image(hostId(req, ctx), req.params.image ?? ''),
    put: setState,
    patch: setState,
  });
}

export function parseEnabledState(value: string | undefined, property: string): EnabledState {
  return requiredOneOf<EnabledState>(value, ['Enabled', 'Disabled'], property);
}
