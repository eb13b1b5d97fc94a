import { type LabHostKind, parseLabHostId, UserError } from '../kernel';

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

/** Accepts well-formed ARM ids only, without asking Azure whether they exist. */
export class ArmIdHostDirectory implements HostDirectory {
  async resolve(value: string): Promise<HostSummary> {
    const ref = parseLabHostId(value);
    if (!ref) throw new UserError('bind.invalidId', { value: value.slice(0, 200) });
    return { id: ref.id, name: ref.name, kind: ref.kind };
  }
}
