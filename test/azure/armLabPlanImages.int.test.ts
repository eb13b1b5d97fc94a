import { LAB_SERVICES_APP_IDS } from '../../src/ports/servicePrincipals';
import { LAB_PLAN_SP, RG, startHarness, type Harness } from './emulatorHarness';

const UBUNTU = 'canonical.0001-com-ubuntu-server-focal.20_04-lts';

/** A lab plan lists the Marketplace besides its gallery (as Azure does): the adapter keeps the gallery's images. */
describe('ArmLabPlanGateway.listImages with a Marketplace catalogue of 450 images', () => {
  let h: Harness;
  let planId: string;
  let bare: string;
  let galleryId: string;
  let otherGalleryId: string;

  beforeAll(async () => {
    h = await startHarness(
      (s) => {
        s.setServicePrincipal(LAB_SERVICES_APP_IDS.labPlan, LAB_PLAN_SP);
        galleryId = s.addGallery({ resourceGroup: RG, name: 'physics_gallery', location: 'westeurope' });
        otherGalleryId = s.addGallery({ resourceGroup: RG, name: 'Physics_Gallery_Old', location: 'westeurope' });
        for (const name of ['win11-physics', 'ubuntu-lab']) s.addImageDefinition({ galleryId, name, osType: 'Windows', osState: 'Generalized' });
        s.addImageDefinition({ galleryId: otherGalleryId, name: 'old-image', osType: 'Linux', osState: 'Generalized' });
        planId = s.addLabPlan({ resourceGroup: RG, name: 'physics-plan', location: 'westeurope', sharedGalleryId: galleryId });
        bare = s.addLabPlan({ resourceGroup: RG, name: 'bare-plan', location: 'westeurope' });
        s.labPlans.setPlanImageEnabled(planId, UBUNTU, 'Enabled');
        s.labPlans.setPlanImageEnabled(planId, 'win11-physics', 'Enabled');
      },
      { emulator: { marketplaceImages: 450 } },
    );
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.clearRequestLog());

  it('reads the plan and every page, and returns only the attached gallery\'s images with their state', async () => {
    const images = await h.gateways.labHosts.listImages(planId);
    expect(images.map((i) => [i.name, i.enabled])).toEqual([
      ['win11-physics', true],
      ['ubuntu-lab', false],
    ]);
    expect(images.every((i) => i.definitionId.toLowerCase().startsWith(`${galleryId.toLowerCase()}/images/`))).toBe(true);
    expect(h.calls('labPlans.get')).toBe(1);
    expect(h.calls('images.listByLabPlan')).toBe(3);
  });

  it('lists nothing, without reading the list, for a plan with no gallery', async () => {
    await expect(h.gateways.labHosts.listImages(bare)).resolves.toEqual([]);
    expect(h.calls('images.listByLabPlan')).toBe(0);
  });

  it('enables a Marketplace image without it ever appearing among the gallery images', async () => {
    await expect(h.gateways.labHosts.setImageEnabled(planId, UBUNTU, false)).resolves.toMatchObject({ name: UBUNTU, enabled: false, definitionId: '' });
    await h.gateways.labHosts.setImageEnabled(planId, UBUNTU, true);
    expect((await h.gateways.labHosts.listImages(planId)).map((i) => i.name)).not.toContain(UBUNTU);
  });

  it('matches the gallery by its id, not by a name that merely starts the same', async () => {
    h.state.labPlans.setGallery(planId, otherGalleryId);
    try {
      expect((await h.gateways.labHosts.listImages(planId)).map((i) => i.name)).toEqual(['old-image']);
    } finally {
      h.state.labPlans.setGallery(planId, galleryId);
    }
  });
});
