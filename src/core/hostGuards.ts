import type { OperationStore } from '../ports/operations';
import { type LabHostRef, parseLabHostId, UserError } from '../kernel';

/** The parsed ARM id of a lab host, or a UserError naming what was given. */
export function requireHostRef(hostId: string): LabHostRef {
  const ref = parseLabHostId(hostId);
  if (!ref) throw new UserError('host.invalidId', { value: hostId.slice(0, 200) });
  return ref;
}

/** One change per host at a time: refuses while another operation is running on it. */
export async function refuseIfBusy(operations: OperationStore, hostId: string): Promise<void> {
  const running = await operations.runningOnHost(hostId);
  if (running) throw new UserError('operation.busy', { kind: running.kind, operationId: running.id, requestedBy: running.requestedBy });
}
