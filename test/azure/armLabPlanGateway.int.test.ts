import { AzureError, BuiltInRole } from '../../src/kernel';
import type { HostImage } from '../../src/ports/labHostGateway';
import { LAB_SERVICES_APP_IDS } from '../../src/ports/servicePrincipals';
import { LAB_PLAN_SP, RG, startHarness, type Harness } from './emulatorHarness';

let h: Harness;
let planId: string;
let galleryId: string;
let win11: string;
let ubuntu: string;

beforeAll(async () => {
  h = await startHarness((s) => {
    s.setServicePrincipal(LAB_SERVICES_APP_IDS.labPlan, LAB_PLAN_SP);
    planId = s.addLabPlan({ resourceGroup: RG, name: 'physics-plan', location: 'westeurope' });
    s.addLabPlan({ resourceGroup: 'other-rg', name: 'chemistry-plan', location: 'eastus' });
    s.addLabAccount({ resourceGroup: RG, name: 'legacy-account', location: 'westeurope' });
    galleryId = s.addGallery({ resourceGroup: RG, name: 'physics_gallery', location: 'westeurope' });
    win11 = s.addImageDefinition({ galleryId, name: 'win11-physics', osType: 'Windows', osState: 'Generalized', description: 'Windows 11 Physics' });
    ubuntu = s.addImageDefinition({ galleryId, name: 'ubuntu-lab', osType: 'Linux', osState: 'Specialized' });
    s.addImageVersion({ definitionId: win11, targetRegions: ['westeurope'], replicationDurationsMs: 0 });
    s.addImageVersion({ definitionId: ubuntu, targetRegions: ['northeurope'], replicationDurationsMs: 0 });
  });
});

afterAll(() => h.close());
afterEach(() => h.emulator.faults.clear());

const labHosts = () => h.gateways.labHosts;

describe('ArmLabPlanGateway (real @azure/arm-labservices against the emulator)', () => {
  it('reads a lab plan', async () => {
    await expect(labHosts().getHost(planId)).resolves.toEqual({
      id: planId,
      name: 'physics-plan',
      kind: 'labPlan',
      location: 'westeurope',
      resourceGroup: RG,
      subscriptionId: h.emulator.subscriptionId,
      sharedGalleryId: undefined,
      provisioningState: 'Succeeded',
    });
  });

  it('lists lab plans and lab accounts of the subscription', async () => {
    const hosts = await labHosts().listHosts();
    expect(hosts.map((x) => `${x.kind}:${x.name}`).sort()).toEqual(['labAccount:legacy-account', 'labPlan:chemistry-plan', 'labPlan:physics-plan']);
  });

  it('refuses an id that is not a lab host before calling Azure', async () => {
    h.emulator.clearRequestLog();
    await expect(labHosts().getHost(galleryId)).rejects.toMatchObject({ kind: 'badRequest' });
    expect(h.emulator.requestLog).toHaveLength(0);
  });

  it('maps a missing plan (a problem+json 404, as Lab Services answers) to notFound with the correlation id', async () => {
    const missing = planId.replace('physics-plan', 'nope');
    const error = await labHosts().getHost(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureError);
    expect(error).toMatchObject({ kind: 'notFound', detail: { status: 404, armCode: 'NotFound', armMessage: 'Not Found', target: 'nope' } });
    expect((error as AzureError).detail.correlationId).toBeTruthy();
  });

  it('surfaces Azure refusing the attach (Lab Services lacks Owner on the gallery) as badRequest, nothing attached', async () => {
    await expect(labHosts().attachGallery(planId, galleryId)).rejects.toMatchObject({ kind: 'badRequest', detail: { armCode: 'MissingGalleryOwnerRole' } });
    expect(h.state.labPlans.get(planId)?.sharedGalleryId).toBeUndefined();
  });

  it('reports an attach that Azure fails (the PATCH answers at once, so with an error) with its code and message, nothing attached', async () => {
    await grantOwner();
    h.emulator.faults.add({ method: 'PATCH', path: /labPlans\/physics-plan$/i, failOperation: true, code: 'GalleryAttachFailed', message: 'could not attach', times: 1 });
    await expect(labHosts().attachGallery(planId, galleryId)).rejects.toMatchObject({
      kind: 'badRequest',
      detail: { target: 'physics-plan', armCode: 'GalleryAttachFailed', armMessage: 'could not attach' },
    });
    expect(h.state.labPlans.get(planId)?.provisioningState).toBe('Succeeded');
    expect(h.state.labPlans.get(planId)?.sharedGalleryId).toBeUndefined();
  });

  it('attaches a gallery with a PATCH answered 200 at once, and re-reads the plan', async () => {
    await grantOwner();
    h.emulator.clearRequestLog();
    const host = await labHosts().attachGallery(planId, galleryId);
    expect(host).toMatchObject({ sharedGalleryId: galleryId, provisioningState: 'Succeeded' });
    expect(h.calls('labPlans.update')).toBe(1);
    expect(h.calls('labPlans.get')).toBe(1);
    expect(h.calls('operationResults.get')).toBe(0);
  });

  it('lists the images of the attached gallery (new ones disabled)', async () => {
    const images = await labHosts().listImages(planId);
    const byName = Object.fromEntries(images.map((i) => [i.name, i]));
    expect(byName['win11-physics']).toEqual<HostImage>({
      id: `${planId}/images/win11-physics`,
      name: 'win11-physics',
      displayName: 'Windows 11 Physics',
      enabled: false,
      osType: 'Windows',
      osState: 'Generalized',
      // The list does not say where an image is available (only a single-image GET does).
      availableRegions: undefined,
      definitionId: win11,
      provisioningState: 'Succeeded',
    });
    expect(byName['ubuntu-lab']).toMatchObject({ osType: 'Linux', osState: 'Specialized', enabled: false });
  });

  it('enables and disables one image', async () => {
    await expect(labHosts().setImageEnabled(planId, 'win11-physics', true)).resolves.toMatchObject({ name: 'win11-physics', enabled: true });
    await expect(labHosts().setImageEnabled(planId, 'ubuntu-lab', true)).resolves.toMatchObject({ enabled: true });
    await expect(labHosts().setImageEnabled(planId, 'ubuntu-lab', false)).resolves.toMatchObject({ enabled: false });
    expect((await labHosts().listImages(planId)).map((i) => `${i.name}:${String(i.enabled)}`).sort()).toEqual(['ubuntu-lab:false', 'win11-physics:true']);
    await expect(labHosts().setImageEnabled(planId, 'missing', true)).rejects.toMatchObject({ kind: 'notFound' });
  });

  it('creates a lab from an image (LRO) and lists the plan labs', async () => {
    const image = await imageNamed('win11-physics');
    const lab = await labHosts().createLab(planId, {
      name: 'physics-101',
      title: 'Physics 101',
      image,
      vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD',
      capacity: 20,
      usageQuotaHours: 10,
      adminUser: { username: 'labadmin', password: 'S3cret!pass' },
    });
    expect(lab).toEqual({
      id: `/subscriptions/${h.emulator.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.LabServices/labs/physics-101`,
      name: 'physics-101',
      title: 'Physics 101',
      imageId: win11,
      provisioningState: 'Succeeded',
    });
    const labs = await labHosts().listLabs(planId);
    expect(labs.map((l) => l.name)).toEqual(['physics-101']);
    expect(h.state.labs.get(lab.id)?.properties).toMatchObject({ labPlanId: planId, virtualMachineProfile: { sku: { capacity: 20 }, usageQuota: 'PT10H' } });
  });

  it('reports a lab whose creation fails as operationFailed with Azure\'s code and message (polled on the signed URL)', async () => {
    const image = await imageNamed('win11-physics');
    h.emulator.faults.add({ method: 'PUT', path: /labs\/broken-lab$/i, failOperation: true, code: 'LabCreationFailed', message: 'no capacity for this size', times: 1 });
    h.emulator.clearRequestLog();
    await expect(
      labHosts().createLab(planId, { name: 'broken-lab', image, vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 1, usageQuotaHours: 1, adminUser: { username: 'a', password: 'b' } }),
    ).rejects.toMatchObject({ kind: 'operationFailed', detail: { target: 'broken-lab', armCode: 'LabCreationFailed', armMessage: 'no capacity for this size' } });
    expect(h.calls('operationResults.get')).toBeGreaterThanOrEqual(1);
    expect(h.emulator.requestLog.filter((e) => e.operation === 'operationResults.get').every((e) => e.status === 200 && e.query.s !== undefined)).toBe(true);
  });

  it('refuses a lab from an image not replicated to the plan region (badRequest)', async () => {
    const image = await imageNamed('ubuntu-lab');
    await expect(
      labHosts().createLab(planId, { name: 'linux-lab', image, vmSize: 'Classic_Fsv2_2_4GB_128_S_SSD', capacity: 1, usageQuotaHours: 1, adminUser: { username: 'a', password: 'b' } }),
    ).rejects.toMatchObject({ kind: 'badRequest', detail: { armCode: 'ImageNotAvailableInRegion' } });
  });

  it('saves a lab VM as an image of the attached gallery', async () => {
    const labVm = `/subscriptions/${h.emulator.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.LabServices/labs/physics-101/virtualMachines/template`;
    const saved = await labHosts().saveImage(planId, { name: 'physics-template', labVirtualMachineId: labVm });
    expect(saved).toMatchObject({ name: 'physics-template', osState: 'Specialized', definitionId: `${galleryId}/images/physics-template` });
  });

  it('reports a saveImage whose operation fails as operationFailed with Azure\'s code and message', async () => {
    const labVm = `/subscriptions/${h.emulator.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.LabServices/labs/physics-101/virtualMachines/template`;
    h.emulator.faults.add({ method: 'POST', path: /saveImage$/i, failOperation: true, code: 'ImageSaveFailed', message: 'the VM is running', times: 1 });
    await expect(labHosts().saveImage(planId, { name: 'doomed-template', labVirtualMachineId: labVm })).rejects.toMatchObject({
      kind: 'operationFailed',
      detail: { target: 'doomed-template', armCode: 'ImageSaveFailed', armMessage: 'the VM is running' },
    });
    expect(h.state.galleries.definition(`${galleryId}/images/doomed-template`)).toBeUndefined();
  });

  it('reports a detach that Azure fails with its code and message, the gallery still attached', async () => {
    h.emulator.faults.add({ method: 'PATCH', path: /labPlans\/physics-plan$/i, failOperation: true, code: 'GalleryDetachFailed', message: 'images in use', times: 1 });
    await expect(labHosts().detachGallery(planId)).rejects.toMatchObject({ kind: 'badRequest', detail: { armCode: 'GalleryDetachFailed', armMessage: 'images in use' } });
    expect(h.state.labPlans.get(planId)?.sharedGalleryId).toBe(galleryId);
  });

  it('detaches the gallery with a merge-patch null', async () => {
    const host = await labHosts().detachGallery(planId);
    expect(host.sharedGalleryId).toBeUndefined();
    expect(h.state.labPlans.get(planId)?.sharedGalleryId).toBeUndefined();
    await expect(labHosts().listImages(planId)).resolves.toEqual([]);
  });

  async function grantOwner(): Promise<void> {
    await h.gateways.roles.grant(galleryId, await h.gateways.servicePrincipals.labServicesObjectId('labPlan'), BuiltInRole.owner, 'ServicePrincipal');
  }

  async function imageNamed(name: string): Promise<HostImage> {
    const image = (await labHosts().listImages(planId)).find((i) => i.name === name);
    if (!image) throw new Error(`no image ${name}`);
    return image;
  }
});
