import { ManualClock } from '../../src/ports/clock';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator';

/** Test emulator: manual clock, no throttling, LROs that answer "in progress" once, Retry-After 0. */
export interface TestEmulator {
  emulator: RunningEmulator;
  clock: ManualClock;
  sub: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** Follows an absolute facade URL (Location, nextLink…) on the emulator. */
  follow<T = unknown>(facadeUrl: string): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ArmErrorJson {
  error: { code: string; message: string; target?: string };
}

export interface ListJson<T> {
  value: T[];
  nextLink?: string;
}

export interface ResourceJson<P> {
  id: string;
  name: string;
  type: string;
  location?: string;
  properties: P;
}

export interface LabPlanProps {
  sharedGalleryId?: string;
  provisioningState: string;
  allowedRegions?: string[];
}

export interface PlanImageProps {
  enabledState: string;
  osType: string;
  osState: string;
  sharedGalleryId: string;
  availableRegions: string[];
  displayName: string;
  provisioningState: string;
}

export interface SharedImageProps {
  enableState: string;
  sharedGalleryId: string;
  osType: string;
  imageType: string;
  definitionName: string;
  provisioningState: string;
}

export interface ReplicationJson {
  aggregatedState: string;
  summary: { region: string; state: string; details: string; progress: number }[];
}

export interface VersionProps {
  provisioningState: string;
  publishingProfile: { targetRegions: { name: string; regionalReplicaCount: number }[]; publishedDate: string };
  storageProfile: { osDiskImage: { sizeInGB: number }; dataDiskImages: { lun: number; sizeInGB: number }[] };
  replicationStatus?: ReplicationJson;
}

export interface RoleAssignmentProps {
  principalId: string;
  principalType: string;
  roleDefinitionId: string;
  scope: string;
}

export interface OperationJson {
  id?: string;
  name: string;
  status: string;
  error?: { code: string; message: string };
}

export const API = { plans: '2022-08-01', accounts: '2018-10-15', preview: '2019-01-01-preview', compute: '2025-03-03', auth: '2022-04-01', subs: '2022-12-01' } as const;

export const REPLICATION_MS = 10 * 60_000;

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const emulator = await startEmulator({
    clock,
    throttle: false,
    retryAfterSeconds: 0,
    replicationDurationMs: { minMs: REPLICATION_MS, maxMs: REPLICATION_MS },
    ...options,
  });
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: 'Bearer test-token', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  };
  return {
    emulator,
    clock,
    sub: emulator.subscriptionId,
    call,
    follow: <T>(url: string) => {
      expect(url.startsWith(emulator.facadeOrigin)).toBe(true);
      // Some lists (a plan's images) write the default port, as ARM does: https://host:443/….
      return call<T>('GET', url.slice(emulator.facadeOrigin.length).replace(/^:443(?=\/)/, ''));
    },
    close: () => emulator.close(),
  };
}

export function q(path: string, apiVersion: string, extra = ''): string {
  return `${path}?api-version=${apiVersion}${extra}`;
}
