import type { LabHostKind } from '../kernel';

export interface HostSummary {
  id: string;
  name: string;
  kind: LabHostKind;
}

/** Turns what an admin typed (an ARM id, or a name where the directory can list hosts) into a lab host. */
export interface HostDirectory {
  /** Throws UserError (bind.invalidId, bind.unknownHost, bind.ambiguous) when nothing fits. */
  resolve(value: string): Promise<HostSummary>;
}
