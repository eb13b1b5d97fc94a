import { findPhysicalRegion } from '../regions';

/** One region's replication of a version: it progresses linearly with simulated time. */
export interface Replica {
  region: string;
  startedAt: number;
  durationMs: number;
  /** When set the replica fails half way through, with these details. */
  failure?: string;
}

export type ReplicaState = 'Unknown' | 'Replicating' | 'Completed' | 'Failed';
export type AggregatedReplicationState = 'Unknown' | 'InProgress' | 'Completed' | 'Failed';

export interface RegionalReplicationStatus {
  /** Display name, as the real API answers ("West US"). */
  region: string;
  state: ReplicaState;
  details: string;
  progress: number;
}

export interface ReplicationStatus {
  aggregatedState: AggregatedReplicationState;
  summary: RegionalReplicationStatus[];
}

const FAILURE_FRACTION = 0.5;

export function replicaState(replica: Replica, now: number): ReplicaState {
  const elapsed = now - replica.startedAt;
  if (elapsed < 0) return 'Unknown';
  if (replica.failure !== undefined && elapsed >= replica.durationMs * FAILURE_FRACTION) return 'Failed';
  return elapsed >= replica.durationMs ? 'Completed' : 'Replicating';
}

export function replicaStatus(replica: Replica, now: number): RegionalReplicationStatus {
  const state = replicaState(replica, now);
  const displayName = findPhysicalRegion(replica.region)?.displayName ?? replica.region;
  const fraction = replica.durationMs <= 0 ? 1 : (now - replica.startedAt) / replica.durationMs;
  const progress =
    state === 'Completed' ? 100 : state === 'Failed' ? Math.floor(FAILURE_FRACTION * 100) : state === 'Unknown' ? 0 : Math.min(99, Math.max(0, Math.floor(fraction * 100)));
  const details = state === 'Failed' ? (replica.failure ?? 'Replication failed.') : '';
  return { region: displayName, state, details, progress };
}

export function replicationStatus(replicas: readonly Replica[], now: number): ReplicationStatus {
  const summary = replicas.map((r) => replicaStatus(r, now));
  return { aggregatedState: aggregate(summary.map((s) => s.state)), summary };
}

function aggregate(states: readonly ReplicaState[]): AggregatedReplicationState {
  if (states.length === 0) return 'Unknown';
  if (states.includes('Failed')) return 'Failed';
  if (states.every((s) => s === 'Completed')) return 'Completed';
  if (states.includes('Replicating')) return 'InProgress';
  return 'Unknown';
}
