import { isSameOrUnder, labIdOf, ResourceBusyError, UserError, lastSegment, sameArmId } from '../kernel';
import type { Translator } from '../i18n/catalog';
import type { LabHostGateway, LabSummary } from '../ports/labHostGateway';
import type { CreateLabParams, CreateLabProgress, OperationRecordOf } from '../ports/operations';
import { checkedParams, notAStepOf, type OperationKindModule, type StepSecrets } from './operationKind';
import { failureReason, reference } from './reports';

type CreateLabOperation = OperationRecordOf<'createLab'>;

/** Create a lab from an image of the attached gallery; its admin password comes from the secrets, never from the journal. */
export const createLabKind: OperationKindModule<'createLab'> = {
  kind: 'createLab',
  /** Also refuses any params that would persist a password. */
  checkInput(host, target, params) {
    if (typeof params === 'object' && params !== null && Object.keys(params).some((k) => /password/i.test(k))) {
      throw new TypeError('createLab: params must never carry the password');
    }
    const input = checkedParams('createLab', params);
    if (!sameArmId(target, labIdOf(host, input.name))) throw new TypeError(`createLab: target is not the id of lab ${input.name} of the host: ${target}`);
    return input;
  },
  steps: () => ['createLab', 'verify'],
  async runStep(step, op, { gateways, secrets }) {
    switch (step) {
      case 'createLab':
        return createLab(op, gateways.labHosts, secrets);
      case 'verify':
        return verifyLab(op, gateways.labHosts);
      default:
        return notAStepOf(step, op);
    }
  },
  auditDetail: (op) => `image=${op.params.imageName} size=${op.params.vmSize}`,
  report,
};

/**
 * Looks for the lab first: after a crash between "Azure accepted it" and "the journal says so", the lab is
 * there (maybe still Creating) and is not created twice. That check comes before the password is needed,
 * so a restart after Azure accepted the lab does not lose it.
 */
async function createLab(op: CreateLabOperation, labHosts: LabHostGateway, secrets: StepSecrets | undefined): Promise<CreateLabProgress> {
  const input = op.params;
  const host = lastSegment(op.hostId);
  const existing = await labNamed(labHosts, op.hostId, input.name);
  if (existing) {
    // `start` refused taken names: a lab of that name built from another image is someone else's.
    if (!builtFrom(existing, input)) throw new UserError('lab.nameTaken', { lab: input.name, host });
    if (labState(existing) === 'failed') throw new UserError('lab.provisioningFailed', { lab: input.name, host });
    return { labId: existing.id || op.target, labCreatedNow: false };
  }
  const password = secrets?.get(op.id);
  if (password === undefined) throw new UserError('lab.passwordLost', { lab: input.name, host });
  const lab = await labHosts.createLab(op.hostId, {
    name: input.name,
    title: input.title,
    image: { id: input.imageId, name: input.imageName, definitionId: input.imageDefinitionId },
    vmSize: input.vmSize,
    capacity: input.capacity,
    usageQuotaHours: input.usageQuotaHours,
    adminUser: { username: input.adminUsername, password },
  });
  return { labId: lab.id || op.target, labCreatedNow: true };
}

/** The lab must be listed on the host and Succeeded; while Azure is still creating it, the runner waits. */
async function verifyLab(op: CreateLabOperation, labHosts: LabHostGateway): Promise<CreateLabProgress> {
  const input = op.params;
  const host = lastSegment(op.hostId);
  const lab = await labNamed(labHosts, op.hostId, input.name);
  if (!lab) throw new UserError('lab.verifyFailed', { lab: input.name, host });
  const state = labState(lab);
  if (state === 'failed') throw new UserError('lab.provisioningFailed', { lab: input.name, host });
  if (state === 'pending') throw new ResourceBusyError(lab.name);
  return { labId: lab.id || op.target, labName: lab.name, labTitle: lab.title ?? input.title, hostName: host, labState: lab.provisioningState ?? 'Succeeded' };
}

async function labNamed(labHosts: LabHostGateway, hostId: string, name: string) {
  const wanted = name.toLowerCase();
  return (await labHosts.listLabs(hostId)).find((l) => l.name.toLowerCase() === wanted);
}

/** Lab plans' labs name the definition (or one of its versions), lab accounts' the shared image; a lab that does not say is taken as built from it. */
function builtFrom(lab: LabSummary, input: CreateLabParams): boolean {
  if (!lab.imageId) return true;
  return sameArmId(lab.imageId, input.imageId) || (input.imageDefinitionId !== '' && isSameOrUnder(lab.imageId, input.imageDefinitionId));
}

/** No provisioningState means nothing is in flight (as the adapters read it). */
function labState(lab: LabSummary): 'succeeded' | 'failed' | 'pending' {
  const state = lab.provisioningState?.toLowerCase();
  if (state === undefined || state === 'succeeded') return 'succeeded';
  if (state === 'failed' || state === 'canceled' || state === 'cancelled') return 'failed';
  return 'pending';
}

/** "Lab ready" with its title, name and host; or what failed and, when the cause is Azure's, what to do next. */
function report(op: CreateLabOperation, t: Translator): string {
  const lab = op.progress.labName ?? op.params.name;
  const title = op.progress.labTitle ?? op.params.title;
  const image = op.params.imageName;
  const host = lastSegment(op.hostId);
  if (op.status === 'succeeded') return t('operation.succeeded.createLab', { title, lab, host, image });
  // The lab.* reasons say what to do; Azure's refusals do not.
  const hint = op.error?.key.startsWith('lab.') ? '' : ` ${t('lab.failedHint')}`;
  return `${t('operation.failed.createLab', { lab, host, image })} ${failureReason(op, t)}${hint} ${reference(op, t)}`;
}
