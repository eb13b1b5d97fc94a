import type { LabHostGateway } from '../ports/labHostGateway';
import { AzureError, parseLabHostId, UserError } from '../kernel';
import type { HostDirectory, HostSummary } from './hostDirectory';

/** Resolves an ARM id (checking that the host exists) or a host name (among the subscription's hosts). */
export class GatewayHostDirectory implements HostDirectory {
  constructor(private readonly labHosts: LabHostGateway) {}

  async resolve(value: string): Promise<HostSummary> {
    const shown = value.slice(0, 200);
    if (value.startsWith('/')) {
      const ref = parseLabHostId(value);
      if (!ref) throw new UserError('bind.invalidId', { value: shown });
      try {
        const host = await this.labHosts.getHost(ref.id);
        return { id: host.id, name: host.name, kind: host.kind };
      } catch (error) {
        if (error instanceof AzureError && error.kind === 'notFound') throw new UserError('bind.unknownHost', { value: ref.name });
        throw error;
      }
    }
    if (!/^[-\w.]{1,100}$/.test(value)) throw new UserError('bind.invalidId', { value: shown });
    const wanted = value.toLowerCase();
    const matches = (await this.labHosts.listHosts()).filter((h) => h.name.toLowerCase() === wanted);
    if (matches.length > 1) throw new UserError('bind.ambiguous', { value: shown });
    const host = matches[0];
    if (!host) throw new UserError('bind.unknownHost', { value: shown });
    return { id: host.id, name: host.name, kind: host.kind };
  }
}
