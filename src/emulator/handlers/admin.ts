import { invalidParameter } from '../armError';
import { arrayAt, numberAt, stringAt } from '../json';
import { json } from '../http/response';
import type { OsState, OsType } from '../state/records';
import { imageVersionView } from '../views/computeViews';
import { bodyObject, oneOf, type EmulatorRoute } from './context';

/**
 * Test and demo controls, loopback callers only (the pipeline enforces it). `POST /_admin/imageVersions`
 * publishes a version as a lab would have saved it; with `host` a lab account, it replicates by itself
 * to the account's whole geography.
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
];
