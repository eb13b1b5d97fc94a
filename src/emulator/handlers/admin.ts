import { ArmError, invalidParameter } from '../armError';
import type { FaultInjector } from '../faults/faultInjector';
import { arrayAt, numberAt, stringAt } from '../json';
import { json } from '../http/response';
import type { OsState, OsType } from '../state/records';
import { imageVersionView } from '../views/computeViews';
import { bodyObject, oneOf, type EmulatorRoute, type HandlerContext } from './context';

/**
 * Test and demo controls, loopback callers only (the pipeline enforces it). `POST /_admin/imageVersions`
 * publishes a version as a lab would have saved it; with `host` a lab account, it replicates by itself
 * to the account's whole geography. `POST /_admin/faults` adds a fault rule (e.g. "fail the next LRO of this
 * resource": `{method, path, failOperation: true, code, message, times: 1}`, `path` a case-insensitive regular
 * expression over the request path); `DELETE /_admin/faults` clears them. `POST /_admin/regionFailures`
 * `{region, times?}` makes the next replications to a region fail half way (times 0 clears it): the demo's
 * failed replication and its retry. `POST /_admin/replications` `{versionId, region?, durationMs}` changes how long a
 * version's replication to a region (every target region without `region`) takes from its start: `0` ends it now,
 * as it was going to end (a region set to fail fails).
 */
export const adminRoutes: EmulatorRoute[] = [
  {
    method: 'POST',
    pattern: '/_admin/imageVersions',
    operation: 'admin.imageVersions',
    apiVersion: 'none',
    loopbackOnly: true,
    handler: (req, ctx) => {
      const body = bodyObject(req);
      const galleryId = stringAt(body, 'galleryId');
      const definition = stringAt(body, 'definition');
      if (!galleryId) throw invalidParameter('galleryId is required.', 'galleryId');
      if (!definition) throw invalidParameter('definition is required.', 'definition');
      const regions = arrayAt(body, 'regions')?.filter((r): r is string => typeof r === 'string');
      const failRegions = arrayAt(body, 'failRegions')?.filter((r): r is string => typeof r === 'string');
      const dataDiskSizesGB = arrayAt(body, 'dataDiskSizesGB')?.filter((n): n is number => typeof n === 'number');
      const version = stringAt(body, 'version');
      const host = stringAt(body, 'host');
      const osState = oneOf<OsState>(stringAt(body, 'osState'), ['Generalized', 'Specialized'], 'osState');
      const osType = oneOf<OsType>(stringAt(body, 'osType'), ['Windows', 'Linux'], 'osType');
      const osDiskSizeGB = numberAt(body, 'osDiskSizeGB');
      const durations = numberAt(body, 'replicationDurationMs');
      const record = ctx.state.publishImage({
        galleryId,
        definition,
        ...(version ? { version } : {}),
        ...(regions ? { regions } : {}),
        ...(host ? { host } : {}),
        ...(osState ? { osState } : {}),
        ...(osType ? { osType } : {}),
        ...(osDiskSizeGB !== undefined ? { osDiskSizeGB } : {}),
        ...(dataDiskSizesGB ? { dataDiskSizesGB } : {}),
        ...(durations !== undefined ? { replicationDurationsMs: durations } : {}),
        ...(failRegions ? { failRegions } : {}),
      });
      return json(imageVersionView(record, ctx.state.galleries.replicationStatus(record.id)), 201);
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/faults',
    operation: 'admin.faults.add',
    apiVersion: 'none',
    loopbackOnly: true,
    handler: (req, ctx) => {
      const body = bodyObject(req);
      const path = stringAt(body, 'path');
      if (!path) throw invalidParameter('path (a regular expression over the request path) is required.', 'path');
      let pattern: RegExp;
      try {
        pattern = new RegExp(path, 'i');
      } catch {
        throw invalidParameter(`path '${path}' is not a regular expression.`, 'path');
      }
      const method = stringAt(body, 'method');
      const code = stringAt(body, 'code');
      const message = stringAt(body, 'message');
      const status = numberAt(body, 'status');
      const times = numberAt(body, 'times');
      const latencyMs = numberAt(body, 'latencyMs');
      const failOperation = body.failOperation === true;
      if (!failOperation && status === undefined && latencyMs === undefined) throw invalidParameter('Give failOperation, status or latencyMs.', 'failOperation');
      const id = requireFaults(ctx).add({
        path: pattern,
        ...(method ? { method } : {}),
        ...(code ? { code } : {}),
        ...(message ? { message } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(times !== undefined ? { times } : {}),
        ...(latencyMs !== undefined ? { latencyMs } : {}),
        ...(failOperation ? { failOperation } : {}),
      });
      return json({ id }, 201);
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/replications',
    operation: 'admin.replications',
    apiVersion: 'none',
    loopbackOnly: true,
    handler: (req, ctx) => {
      const body = bodyObject(req);
      const versionId = stringAt(body, 'versionId');
      const region = stringAt(body, 'region');
      const durationMs = numberAt(body, 'durationMs');
      if (!versionId) throw invalidParameter('versionId is required.', 'versionId');
      if (durationMs === undefined || !(durationMs >= 0)) throw invalidParameter('durationMs must be a number of milliseconds, 0 or more.', 'durationMs');
      const regions = region ? [region] : ctx.state.galleries.requireVersion(versionId).replicas.map((r) => r.region);
      for (const name of regions) ctx.state.galleries.setReplication(versionId, name, { durationMs });
      return json({ versionId, regions, durationMs }, 200);
    },
  },
  {
    method: 'POST',
    pattern: '/_admin/regionFailures',
    operation: 'admin.regionFailures',
    apiVersion: 'none',
    loopbackOnly: true,
    handler: (req, ctx) => {
      const body = bodyObject(req);
      const region = stringAt(body, 'region');
      if (!region) throw invalidParameter('region is required.', 'region');
      const times = numberAt(body, 'times') ?? 1;
      if (!Number.isInteger(times) || times < 0) throw invalidParameter('times must be a whole number.', 'times');
      ctx.state.galleries.failNextReplications(region, times);
      return json({ region, times }, 200);
    },
  },
  {
    method: 'DELETE',
    pattern: '/_admin/faults',
    operation: 'admin.faults.clear',
    apiVersion: 'none',
    loopbackOnly: true,
    handler: (_req, ctx) => {
      requireFaults(ctx).clear();
      return { status: 204 };
    },
  },
];

function requireFaults(ctx: HandlerContext): FaultInjector {
  if (!ctx.faults) throw new ArmError(501, 'NotImplemented', 'This emulator has no fault rules.');
  return ctx.faults;
}
