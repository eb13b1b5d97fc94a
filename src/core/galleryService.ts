/**
 * core/: the use cases and rules, framework-free and Azure-free — galleries (attach, create, detach), images,
 * lab creation, replication requests, confirmations, access policies, host directory, audit, the operation runner.
 */
import type { Clock } from '../ports/clock';
import type { Gallery, GalleryGateway } from '../ports/galleryGateway';
import type { LabHost, LabHostGateway, LabSummary } from '../ports/labHostGateway';
import type { LocationGateway } from '../ports/locationGateway';
import type { OperationKind, OperationRecord, OperationStore, OperationUpdate, Requester, StartRequest } from '../ports/operations';
import type { RoleAssignment, RoleGateway } from '../ports/roleGateway';
import type { ServicePrincipalLookup } from '../ports/servicePrincipals';
import { assignmentsApplyingTo, AzureError, galleryIdOf, galleryNameOf, isSameOrUnder, ownerAssignmentsAt, parseGalleryId, parseLabHostId, type PrincipalRole, resourceGroupIdOf, sameArmId, strongestRole, UserError } from '../kernel';
import { galleryNameProblem } from './galleryName';
import { journalEntry } from '../operations/kinds';
import { refuseIfBusy, requireHostRef } from './hostGuards';

export interface GalleryServiceOptions {
  labHosts: LabHostGateway;
  galleries: GalleryGateway;
  roles: RoleGateway;
  servicePrincipals: ServicePrincipalLookup;
  operations: OperationStore;
  clock: Clock;
  newId: () => string;
  /** When given, a region named in `preflightCreate` is checked against the subscription's regions. */
  locations?: LocationGateway;
  /** How many image definitions `preflightAttach` checks for versions in a lab plan's region. Default 25. */
  regionCheckLimit?: number;
}

/** The Lab Services principal as it stands on a gallery (or, for a new gallery, on its resource group). */
export interface PrincipalStanding {
  objectId: string;
  currentRole: PrincipalRole;
}

export interface AttachPreflight {
  host: LabHost;
  gallery: Gallery;
  principal: PrincipalStanding;
  /** Lab plans: the bot assigns Owner to the Lab Services principal first (unless it already holds it). */
  willGrantOwner: boolean;
  /** Lab accounts: every image arrives Enabled. Lab plans: Disabled, until an admin enables them. */
  imagesArriveEnabled: boolean;
  imageDefinitionCount: number;
  /**
   * Lab plans only: an image backs labs only once a version is replicated to the plan's region. Lists the
   * definitions (of the first `checked`) with no version targeting that region.
   */
  regionNote?: { region: string; definitionsNotInRegion: string[]; checked: number };
}

export interface CreatePreflight {
  host: LabHost;
  /** The id the new gallery will have: the operation's target. */
  galleryId: string;
  name: string;
  resourceGroup: string;
  location: string;
  /** Role of the Lab Services principal inherited on the resource group. */
  principal: PrincipalStanding;
  willGrantOwner: boolean;
  imagesArriveEnabled: boolean;
}

export interface DetachPreflight {
  host: LabHost;
  gallery: { id: string; name: string };
  imageCount: number;
  enabledImageCount: number;
  /** Labs built from the gallery's images (a lab that does not say what it was built from is not counted). */
  labsUsingGallery: LabSummary[];
  /** Owner of the lab-plan principal exactly at the gallery: what the bot grants on attach and may revoke. */
  grantedOwnerAssignment?: RoleAssignment;
  /** Other lab plans with the same gallery attached: revoking the Owner would break them, so it is kept. */
  otherPlansUsingGallery: string[];
}

export interface CreateRequest {
  name: string;
  resourceGroup?: string;
  /** Region name; defaults to the host's. */
  location?: string;
}

export type { Requester, StartRequest };

/**
 * Attach / create-and-attach / detach of a lab host's Azure Compute Gallery: the checks made before asking
 * an admin to confirm (one gallery per host, one change per host at a time, the Lab Services principal's
 * role), and the journal entry that `OperationRunner` then executes.
 */
export class GalleryService {
  private readonly regionCheckLimit: number;

  constructor(private readonly options: GalleryServiceOptions) {
    this.regionCheckLimit = options.regionCheckLimit ?? 25;
  }

  /**
   * What attach and create check before asking anything (which gallery, which name): the host is free, and has
   * no gallery yet. Returns the host, for the question's context.
   */
  async checkCanAttach(hostId: string): Promise<LabHost> {
    const ref = requireHostRef(hostId);
    await refuseIfBusy(this.options.operations, ref.id);
    const host = await this.options.labHosts.getHost(ref.id);
    if (host.sharedGalleryId) throw new UserError('attach.alreadyAttached', { gallery: galleryNameOf(host.sharedGalleryId), host: host.name });
    return host;
  }

  /**
   * Whether the host is still as a proposal of `kind` found it: no gallery for attach and create, the same one for
   * detach. What changed, as the UserError to tell, or undefined (other kinds, and host ids `start` refuses, pass).
   */
  async changedSinceProposal(kind: OperationKind, hostId: string, target: string): Promise<UserError | undefined> {
    const ref = parseLabHostId(hostId);
    if (!ref || (kind !== 'attach' && kind !== 'createAndAttach' && kind !== 'detach')) return undefined;
    const host = await this.options.labHosts.getHost(ref.id);
    const attached = host.sharedGalleryId;
    if (kind === 'detach') {
      if (!attached) return new UserError('detach.nothingAttached', { host: host.name });
      return sameArmId(attached, target) ? undefined : new UserError('detach.otherGallery', { gallery: galleryNameOf(target), attached: galleryNameOf(attached), host: host.name });
    }
    if (!attached) return undefined;
    return new UserError(sameArmId(attached, target) ? 'attach.sameGallery' : 'attach.alreadyAttached', { gallery: galleryNameOf(attached), host: host.name });
  }

  async preflightAttach(hostId: string, galleryRef: string): Promise<AttachPreflight> {
    const ref = requireHostRef(hostId);
    await refuseIfBusy(this.options.operations, ref.id);
    const host = await this.options.labHosts.getHost(ref.id);
    const wanted = galleryRef.trim();
    if (host.sharedGalleryId) {
      const attachedName = galleryNameOf(host.sharedGalleryId);
      const same = wanted.startsWith('/') ? sameArmId(wanted, host.sharedGalleryId) : wanted.toLowerCase() === attachedName.toLowerCase();
      throw new UserError(same ? 'attach.sameGallery' : 'attach.alreadyAttached', { gallery: attachedName, host: host.name });
    }
    const gallery = await this.resolveGallery(host, wanted);
    const principal = await this.standing(host, gallery.id);
    const definitions = await this.options.galleries.listImageDefinitions(gallery.id);
    const regionNote = host.kind === 'labPlan' ? await this.regionNote(host, definitions) : undefined;
    return {
      host,
      gallery,
      principal,
      willGrantOwner: host.kind === 'labPlan' && principal.currentRole !== 'owner',
      imagesArriveEnabled: host.kind === 'labAccount',
      imageDefinitionCount: definitions.length,
      ...(regionNote ? { regionNote } : {}),
    };
  }

  async preflightCreate(hostId: string, request: CreateRequest): Promise<CreatePreflight> {
    const problem = galleryNameProblem(request.name);
    if (problem) throw new UserError(problem.key, problem.params);
    const ref = requireHostRef(hostId);
    await refuseIfBusy(this.options.operations, ref.id);
    const host = await this.options.labHosts.getHost(ref.id);
    if (host.sharedGalleryId) throw new UserError('attach.alreadyAttached', { gallery: galleryNameOf(host.sharedGalleryId), host: host.name });
    const resourceGroup = request.resourceGroup?.trim() || host.resourceGroup;
    const location = await this.checkedLocation(request.location?.trim() || host.location);
    const existing = await this.galleriesIn(resourceGroup);
    const clash = existing.find((g) => g.name.toLowerCase() === request.name.toLowerCase());
    if (clash) throw new UserError('create.exists', { gallery: clash.name, resourceGroup });
    const galleryId = galleryIdOf(host.subscriptionId, resourceGroup, request.name);
    const principal = await this.standing(host, resourceGroupIdOf(host.subscriptionId, resourceGroup));
    return {
      host,
      galleryId,
      name: request.name,
      resourceGroup,
      location,
      principal,
      willGrantOwner: host.kind === 'labPlan' && principal.currentRole !== 'owner',
      imagesArriveEnabled: host.kind === 'labAccount',
    };
  }

  async preflightDetach(hostId: string): Promise<DetachPreflight> {
    const ref = requireHostRef(hostId);
    await refuseIfBusy(this.options.operations, ref.id);
    const host = await this.options.labHosts.getHost(ref.id);
    const galleryId = host.sharedGalleryId;
    if (!galleryId) throw new UserError('detach.nothingAttached', { host: host.name });
    const { labHosts, roles, servicePrincipals } = this.options;
    const [images, labs, hosts] = await Promise.all([labHosts.listImages(host.id), labHosts.listLabs(host.id), labHosts.listHosts()]);
    // Lab account labs name the account's shared image rather than the gallery's definition.
    const hostImageIds = images.map((i) => i.id.toLowerCase());
    const labsUsingGallery = labs.filter((l) => l.imageId && (isSameOrUnder(l.imageId, galleryId) || hostImageIds.includes(l.imageId.toLowerCase())));
    let grantedOwnerAssignment: RoleAssignment | undefined;
    if (host.kind === 'labPlan') {
      const principalId = await servicePrincipals.labServicesObjectId('labPlan');
      grantedOwnerAssignment = ownerAssignmentsAt(await roles.listAssignments(galleryId, { assignedTo: principalId }), principalId, galleryId)[0];
    }
    const otherPlansUsingGallery = hosts
      .filter((h) => h.kind === 'labPlan' && !sameArmId(h.id, host.id) && sameArmId(h.sharedGalleryId ?? '', galleryId))
      .map((h) => h.name);
    return {
      host,
      gallery: { id: galleryId, name: galleryNameOf(galleryId) },
      imageCount: images.length,
      enabledImageCount: images.filter((i) => i.enabled).length,
      labsUsingGallery,
      ...(grantedOwnerAssignment ? { grantedOwnerAssignment } : {}),
      otherPlansUsingGallery,
    };
  }

  /** Journals the operation (status running, no step done) before anything touches Azure; the caller then launches it. */
  async start<K extends OperationKind>(kind: K, request: StartRequest<K>): Promise<OperationRecord> {
    const host = parseLabHostId(request.hostId);
    const gallery = parseGalleryId(request.target);
    const hostId = host?.id ?? request.hostId;
    const entry = journalEntry(kind, {
      hostId,
      target: gallery?.id ?? request.target,
      requestedBy: request.requestedBy,
      ...(request.requestedByName ? { requestedByName: request.requestedByName } : {}),
      conversationId: request.conversationId,
      locale: request.locale,
      correlationId: request.correlationId,
    }, request.params);
    await refuseIfBusy(this.options.operations, hostId);
    return this.options.operations.create({ ...entry, id: this.options.newId() });
  }

  /** The change running on a host, if any (one per host at a time). */
  runningOn(hostId: string): Promise<OperationRecord | undefined> {
    return this.options.operations.runningOnHost(parseLabHostId(hostId)?.id ?? hostId);
  }

  /**
   * Ends a journaled operation that was never launched (a racing answer to its proposal won): terminal,
   * audited and reported as nothing, so that no runner, now or after a restart, ever takes it up.
   */
  async abandon(op: OperationRecord): Promise<void> {
    const now = this.options.clock.now();
    const update: OperationUpdate = {
      status: 'failed',
      error: { key: 'proposal.alreadyConfirmed', params: {}, code: 'abandoned' },
      progress: { ...op.progress, finishedAt: now, auditedAt: now },
      reportedAt: now,
    };
    await this.options.operations.update(op.id, op.eTag, update);
  }

  /** After a createAndAttach whose gallery was created but not attached: a new attach of that gallery. */
  async retryAttach(operationId: string, requester: Requester): Promise<OperationRecord> {
    const failed = await this.options.operations.get(operationId);
    if (!failed) throw new UserError('operation.notFound', { operationId });
    if (failed.kind !== 'createAndAttach' || failed.status !== 'failed' || failed.error?.key !== 'createAndAttach.attachFailed') {
      throw new UserError('retryAttach.notApplicable', { operationId });
    }
    const galleryId = failed.progress.galleryId ?? failed.target;
    return this.start('attach', { ...requester, hostId: failed.hostId, target: galleryId, params: { retryOf: failed.id } });
  }



  /** A resource id (checked against the host's subscription) or a name unique in the subscription. */
  private async resolveGallery(host: LabHost, wanted: string): Promise<Gallery> {
    const shown = wanted.slice(0, 200);
    if (wanted.startsWith('/')) {
      const ref = parseGalleryId(wanted);
      if (!ref) throw new UserError('attach.invalidGalleryId', { value: shown });
      if (ref.subscriptionId !== host.subscriptionId.toLowerCase()) {
        throw new UserError('attach.otherSubscription', { gallery: ref.name, subscription: ref.subscriptionId, hostSubscription: host.subscriptionId });
      }
      try {
        return await this.options.galleries.getGallery(ref.id);
      } catch (error) {
        if (error instanceof AzureError && error.kind === 'notFound') throw new UserError('attach.galleryNotFound', { gallery: ref.name });
        throw error;
      }
    }
    if (wanted === '') throw new UserError('attach.galleryNotFound', { gallery: shown });
    const matches = (await this.options.galleries.listGalleries()).filter((g) => g.name.toLowerCase() === wanted.toLowerCase());
    const [only, ...more] = matches;
    if (!only) throw new UserError('attach.galleryNotFound', { gallery: shown });
    if (more.length > 0) {
      throw new UserError('attach.ambiguousGallery', { gallery: only.name, count: matches.length, resourceGroups: matches.map((g) => g.resourceGroup).join(', ') });
    }
    return only;
  }

  private async standing(host: LabHost, scope: string): Promise<PrincipalStanding> {
    const objectId = await this.options.servicePrincipals.labServicesObjectId(host.kind);
    const assignments = assignmentsApplyingTo(await this.options.roles.listAssignments(scope, { assignedTo: objectId }), scope);
    return { objectId, currentRole: strongestRole(assignments) };
  }

  private async regionNote(host: LabHost, definitions: readonly { id: string; name: string }[]): Promise<AttachPreflight['regionNote']> {
    const checked = definitions.slice(0, this.regionCheckLimit);
    const region = host.location.toLowerCase();
    const missing = await Promise.all(
      checked.map(async (d) => {
        const versions = await this.options.galleries.listVersions(d.id);
        return versions.some((v) => v.targetRegions.some((r) => r.name.toLowerCase() === region)) ? undefined : d.name;
      }),
    );
    return { region, definitionsNotInRegion: missing.filter((n): n is string => n !== undefined), checked: checked.length };
  }

  private async galleriesIn(resourceGroup: string): Promise<Gallery[]> {
    try {
      return await this.options.galleries.listGalleries({ resourceGroup });
    } catch (error) {
      if (error instanceof AzureError && error.kind === 'notFound') throw new UserError('create.resourceGroupNotFound', { resourceGroup });
      throw error;
    }
  }

  private async checkedLocation(location: string): Promise<string> {
    const wanted = location.toLowerCase();
    const { locations } = this.options;
    if (!locations) return wanted;
    const regions = await locations.listRegions();
    const region = regions.find((r) => r.name === wanted || r.displayName.toLowerCase() === wanted);
    if (!region) throw new UserError('create.unknownRegion', { location });
    return region.name;
  }
}
