import type { HostImage, LabHost, LabHostGateway } from '../ports/labHostGateway';
import type { CreateLabParams, OperationRecordOf, OperationStore, Requester } from '../ports/operations';
import { galleryNameOf, isSameOrUnder, labIdOf, lastSegment, sameArmId, UserError } from '../kernel';
import { OS_DISK_LIMIT_GB, type IneligibilityReason } from './imageEligibility';
import type { ImageDetails, ImageService } from './imageService';
import { LabFormError, labFormEcho, validateLabForm, vmSizesFor } from './labForm';
import { checkOperationInput } from '../operations/kinds';
import { refuseIfBusy, requireHostRef } from './hostGuards';
import type { SecretVault } from './secretVault';

export interface LabCreationServiceOptions {
  labHosts: LabHostGateway;
  images: ImageService;
  operations: OperationStore;
  secrets: SecretVault;
  newId: () => string;
}

/** What the lab form is built from. */
export interface LabOffer {
  host: LabHost;
  image: HostImage;
  details: ImageDetails;
  /** `vmSizesFor(host.kind)`: the form's choices. */
  vmSizes: readonly string[];
}

/**
 * Creating a lab from an image of the attached gallery: `offer` checks the image can back a lab before the
 * form is shown; `start` checks everything again (the form proves nothing) and journals a createLab
 * operation, whose password goes to the SecretVault, never to the journal. The caller then launches it.
 */
export class LabCreationService {
  constructor(private readonly options: LabCreationServiceOptions) {}

  /** The image named (or its definition id) must be on the host, enabled and eligible; throws a UserError otherwise. */
  async offer(hostId: string, imageRef: string): Promise<LabOffer> {
    const ref = requireHostRef(hostId);
    const host = await this.options.labHosts.getHost(ref.id);
    if (!host.sharedGalleryId) throw new UserError('lab.noGallery', { host: host.name });
    const image = findImage(await this.options.labHosts.listImages(host.id), imageRef, host);
    if (!image.enabled) throw new UserError('lab.imageDisabled', { image: image.name, host: host.name });
    const [details] = await this.options.images.details(host, [image]);
    if (!details) throw new TypeError(`no details read for image ${image.name}`);
    const reason = details.reasons[0];
    if (!details.eligible && reason) throw ineligible(reason, image.name, host);
    return { host, image, details, vmSizes: vmSizesFor(host.kind) };
  }

  /**
   * Validates the submitted form (throws LabFormError with field errors and an echo without the password),
   * re-checks the image and the name, journals the operation (status running, no step done) and keeps the
   * password for the runner.
   */
  async start(hostId: string, imageRef: string, form: unknown, requester: Requester): Promise<OperationRecordOf<'createLab'>> {
    const ref = requireHostRef(hostId);
    const checked = validateLabForm(form, { vmSizes: vmSizesFor(ref.kind) });
    if (!checked.ok) throw new LabFormError(checked.errors, checked.echo);
    const values = checked.value;
    await refuseIfBusy(this.options.operations, ref.id);
    const { host, image } = await this.offer(ref.id, imageRef);
    const target = labIdOf(ref, values.labName);
    const takenBy = await this.labNameTakenBy(host, values.labName, target);
    if (takenBy) throw new LabFormError({ labName: { key: 'lab.nameTaken', params: { lab: values.labName, host: takenBy } } }, labFormEcho(values));
    const input: CreateLabParams = {
      name: values.labName,
      title: values.title,
      imageName: image.name,
      imageId: image.id,
      imageDefinitionId: image.definitionId,
      vmSize: values.vmSize,
      capacity: values.capacity,
      usageQuotaHours: values.quotaHours,
      adminUsername: values.adminUser,
    };
    const params = checkOperationInput('createLab', ref.id, target, input);
    const id = this.options.newId();
    this.options.secrets.put(id, values.password);
    try {
      const op = await this.options.operations.create({
        id,
        kind: 'createLab',
        hostId: ref.id,
        target,
        requestedBy: requester.requestedBy,
        ...(requester.requestedByName ? { requestedByName: requester.requestedByName } : {}),
        conversationId: requester.conversationId,
        locale: requester.locale,
        correlationId: requester.correlationId,
        params,
      });
      // The store gives back the record as stored: the kind it was created with.
      if (op.kind !== 'createLab') throw new TypeError(`operation ${id}: stored as ${op.kind}`);
      return op;
    } catch (error) {
      this.options.secrets.delete(id);
      throw error;
    }
  }

  /**
   * The host holding a lab of that name, if any. Lab plans' labs are resource-group resources: a lab of
   * another plan may already have the new lab's id, and a PUT would overwrite it, so the other plans are
   * looked at too.
   */
  private async labNameTakenBy(host: LabHost, labName: string, labId: string): Promise<string | undefined> {
    const { labHosts } = this.options;
    const wanted = labName.toLowerCase();
    if ((await labHosts.listLabs(host.id)).some((l) => l.name.toLowerCase() === wanted)) return host.name;
    if (host.kind !== 'labPlan') return undefined;
    const others = (await labHosts.listHosts()).filter((h) => h.kind === 'labPlan' && !sameArmId(h.id, host.id));
    for (const other of others) {
      if ((await labHosts.listLabs(other.id)).some((l) => sameArmId(l.id, labId))) return other.name;
    }
    return undefined;
  }


}

/** By name (case-insensitive), or by the ARM id of the image definition or of the host's image. */
function findImage(images: readonly HostImage[], imageRef: string, host: LabHost): HostImage {
  const wanted = imageRef.trim();
  const shown = (wanted.startsWith('/') ? lastSegment(wanted) : wanted).slice(0, 200);
  const galleryId = host.sharedGalleryId ?? '';
  const found = wanted.startsWith('/')
    ? images.find((i) => sameArmId(i.id, wanted) || (i.definitionId !== '' && sameArmId(i.definitionId, wanted)))
    : images.find((i) => i.name.toLowerCase() === wanted.toLowerCase());
  if (found) return found;
  if (wanted.startsWith('/') && /\/providers\/microsoft\.compute\/galleries\//i.test(wanted) && !isSameOrUnder(wanted, galleryId)) {
    throw new UserError('lab.imageOtherGallery', { image: shown, host: host.name, gallery: galleryNameOf(galleryId) });
  }
  throw new UserError('lab.imageNotFound', { image: shown, host: host.name });
}

function ineligible(reason: IneligibilityReason, image: string, host: LabHost): UserError {
  return new UserError(`lab.ineligible.${reason}`, { image, host: host.name, region: host.location, limit: OS_DISK_LIMIT_GB });
}
