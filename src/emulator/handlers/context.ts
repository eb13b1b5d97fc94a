import type { EmulatorResponse } from '../http/response';
import type { EmulatorRequest } from '../http/request';
import type { Route } from '../http/router';
import { pageOf, type Page } from '../http/paging';
import type { FaultInjector } from '../faults/faultInjector';
import type { LroFailure, LroTracker } from '../lro/lroTracker';
import type { EmulatorState } from '../state/emulatorState';
import { invalidParameter, invalidRequestContent } from '../armError';
import { asObject, type JsonObject } from '../json';

export interface HandlerContext {
  state: EmulatorState;
  lro: LroTracker;
  facadeOrigin: string;
  subscriptionId: string;
  pageSize: number;
  /** The fault rules, for the admin endpoint (a standalone emulator is steered over HTTP). */
  faults?: FaultInjector;
}

export interface RoutedRequest extends EmulatorRequest {
  params: Record<string, string>;
  /** The request's api-version ('' on routes that take none). */
  apiVersion: string;
  /** Set by a `failOperation` fault: the operation this request starts must end Failed. */
  operationFailure?: LroFailure;
}

export type Handler = (req: RoutedRequest, ctx: HandlerContext) => EmulatorResponse | Promise<EmulatorResponse>;
export type EmulatorRoute = Route<Handler>;

/** Accepted api-versions per API family. */
export const API_VERSIONS = {
  labPlans: ['2022-08-01', '2023-06-07'],
  labAccounts: ['2018-10-15', '2019-01-01-preview'],
  compute: (v: string) => v.startsWith('20'),
  authorization: (v: string) => v.startsWith('20'),
  resources: (v: string) => v.startsWith('20'),
  any: (v: string) => v.length > 0,
} as const;

export function page<T>(req: RoutedRequest, ctx: HandlerContext, items: readonly T[]): Page<T> {
  return pageOf(items, req, ctx.facadeOrigin, ctx.pageSize);
}

/** The request body as a JSON object; 400 when it is missing or not an object. */
export function bodyObject(req: RoutedRequest): JsonObject {
  const body = asObject(req.body);
  if (!body) throw invalidRequestContent('The request content must be a JSON object.');
  return body;
}

/** Prefix of the resource paths of one resource group's provider, e.g. `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute`. */
export function rgProvider(provider: string): string {
  return `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/${provider}`;
}

/** One of the allowed values, matched case-insensitively and returned in canonical casing; undefined when absent. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], property: string): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) throw invalidParameter(`${property} must be one of ${allowed.join(', ')}.`, property);
  return found;
}

export function requiredOneOf<T extends string>(value: string | undefined, allowed: readonly T[], property: string): T {
  const found = oneOf(value, allowed, property);
  if (!found) throw invalidParameter(`${property} is required: one of ${allowed.join(', ')}.`, property);
  return found;
}
