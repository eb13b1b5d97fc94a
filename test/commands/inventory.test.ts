import * as fs from 'node:fs';
import { csvLine, INVENTORY_COLUMNS, writeInventory } from '../../src/core/galleryInventory';
import { DEMO_NAMES } from '../../src/emulator';
import { addBigGallery } from '../support/bigGallery';
import { ADMIN, createBotHarness, MEMBER, type BotHarness } from '../support/botHarness';

function fileIdOf(text: string): string {
  const m = /\/files\/([0-9a-f-]{36})\?/.exec(text);
  if (!m?.[1]) throw new Error(`no download link in: ${text}`);
  return m[1];
}

describe('inventory', () => {
  let h: BotHarness;
  let big: ReturnType<typeof addBigGallery>;
  beforeAll(async () => {
    h = await createBotHarness({ access: { adminIds: [ADMIN] } });
    big = addBigGallery(h.azure.emulator.state, 30, 'inventory_gallery');
    const state = h.azure.emulator.state;
    // A second version, targeting two regions with 2 replicas each, one region failed.
    state.galleries.addVersion({ definitionId: `${big.galleryId}/images/image-0001`, name: '1.1.0', targetRegions: [{ name: DEMO_NAMES.labPlanLocation, regionalReplicaCount: 2 }, { name: 'eastus', regionalReplicaCount: 2 }], replicationDurationsMs: 0 });
    await h.services.bindings.put({ conversationId: 'inv-conv', hostId: big.planId, boundBy: ADMIN, boundAt: 0 });
  });
  afterAll(async () => h.close());

  it('sends a summary card and, in a personal chat, a signed link to a CSV of every version, in few ARM reads', async () => {
    const from = h.azure.emulator.requestLog.length;
    const replies = await h.send({
      type: 'message',
      text: 'inventory',
      locale: 'en-US',
      from: { id: 'user-admin', name: 'Admin', aadObjectId: ADMIN },
      conversation: { id: 'inv-conv', isGroup: false, conversationType: 'personal', name: 'chat' },
    });
    const reads = h.azure.emulator.requestLog.slice(from).filter((e) => e.method === 'GET');
    expect(replies).toHaveLength(2);
    expect(replies[0]?.summary).toMatch(/Inventory of the gallery inventory_gallery: 30 images, 31 versions/);
    const id = fileIdOf(String(replies[1]?.text));
    expect(String(replies[1]?.text)).toMatch(/download link works for 30 minutes/);
    const file = h.services.files.get(id);
    expect(file?.ownerId).toBe(ADMIN);
    const lines = fs.readFileSync(file!.path, 'utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(INVENTORY_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 31);
    const row = lines.find((l) => l.includes('image-0001,') && l.includes(',1.1.0,'));
    expect(row).toContain('yes'); // the latest version
    expect(row).toMatch(/westeurope:2;eastus:2,4,|eastus:2;westeurope:2,4,|:2;.*:2,4,/);
    // One list of versions per definition, plus a dozen fixed reads (role, hosts, images, labs, definitions, regions).
    expect(reads.filter((e) => e.operation === 'galleryImageVersions.listByGalleryImage')).toHaveLength(30);
    expect(reads.length).toBeLessThanOrEqual(30 + 12);
    expect(reads.filter((e) => /versions\/[^/?]+$/.test(e.path.split('?')[0] ?? '')).length).toBe(0);
  });

  it('is for admins only', async () => {
    const replies = await h.say('inventory', { aadObjectId: MEMBER, conversationId: 'inv-conv' });
    expect(JSON.stringify(replies)).toMatch(/admin/i);
    expect(JSON.stringify(replies)).not.toContain('/files/');
  });

  it('escapes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', '=cmd()', 'plain'])).toBe('"a,b","say ""hi""",\'=cmd(),plain\r\n');
  });

  it('writes rows as it reads them, one definition at a time', async () => {
    const lines: string[] = [];
    let definitionsListed = 0;
    let versionListsBeforeFirstRow = 0;
    const summary = await writeInventory(
      {
        galleries: {
          listImageDefinitions: async (galleryId) => {
            definitionsListed++;
            return h.services.galleries.listImageDefinitions(galleryId);
          },
          listVersions: async (definitionId) => {
            if (lines.length <= 1) versionListsBeforeFirstRow++;
            return h.services.galleries.listVersions(definitionId);
          },
        },
        labHosts: h.services.labHosts,
        watches: h.services.replicationWatches,
      },
      big.galleryId,
      { write: async (line) => void lines.push(line) },
    );
    expect(definitionsListed).toBe(1);
    expect(versionListsBeforeFirstRow).toBe(1);
    expect(summary).toMatchObject({ definitions: 30, versions: 31, rows: 31, hosts: [expect.stringContaining('plan-')] });
  });
});
