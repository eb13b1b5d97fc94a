import { boundTarget, ETagConflictError, type BindingStore, type HostBinding } from '../../src/ports/stores';
import { BACKENDS, expectConflict, useBackendFixture } from './backendFixture';

const planA = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics';
const planB = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/chemistry';

function binding(conversationId: string, hostId = planA): Omit<HostBinding, 'eTag'> {
  return { conversationId, hostId, boundBy: 'aad-admin', boundAt: Date.UTC(2026, 0, 5) };
}


describe.each(BACKENDS)('%s', (backend) => {
  const fixture = useBackendFixture(backend);

  describe('binding store', () => {
    let store: BindingStore;
    beforeEach(async () => {
      store = (await fixture.open()).bindings;
    });

    it('returns undefined for an unbound conversation', async () => {
      expect(await store.get('19:none')).toBeUndefined();
    });

    it('puts and gets a binding with a fresh eTag on every write', async () => {
      const first = await store.put(binding('19:c1'));
      expect(first).toEqual({ ...binding('19:c1'), eTag: expect.any(String) });
      expect(await store.get('19:c1')).toEqual(first);
      const second = await store.put(binding('19:c1', planB));
      expect(second.eTag).not.toBe(first.eTag);
      expect(await store.get('19:c1')).toEqual(second);
    });

    describe("ifNoneMatch: '*'", () => {
      it('creates when absent', async () => {
        const created = await store.put(binding('19:c1'), { ifNoneMatch: '*' });
        expect(await store.get('19:c1')).toEqual(created);
      });

      it('conflicts when a binding exists and leaves it alone', async () => {
        const existing = await store.put(binding('19:c1'));
        await expectConflict(store.put(binding('19:c1', planB), { ifNoneMatch: '*' }), '19:c1');
        expect(await store.get('19:c1')).toEqual(existing);
      });
    });

    describe('ifMatch', () => {
      it('replaces when the eTag is current', async () => {
        const existing = await store.put(binding('19:c1'));
        const replaced = await store.put(binding('19:c1', planB), { ifMatch: existing.eTag });
        expect(await store.get('19:c1')).toEqual(replaced);
        expect(replaced.hostId).toBe(planB);
      });

      it('conflicts on a stale eTag and leaves the binding alone', async () => {
        const stale = await store.put(binding('19:c1'));
        const current = await store.put(binding('19:c1'));
        await expectConflict(store.put(binding('19:c1', planB), { ifMatch: stale.eTag }), '19:c1');
        expect(await store.get('19:c1')).toEqual(current);
      });

      it('conflicts when there is nothing to match', async () => {
        await expectConflict(store.put(binding('19:c1'), { ifMatch: 'some-etag' }), '19:c1');
        await expectConflict(store.put(binding('19:c1'), { ifMatch: '*' }), '19:c1');
        expect(await store.get('19:c1')).toBeUndefined();
      });

      it("'*' replaces any existing binding", async () => {
        await store.put(binding('19:c1'));
        const replaced = await store.put(binding('19:c1', planB), { ifMatch: '*' });
        expect(await store.get('19:c1')).toEqual(replaced);
      });
    });

    it('refuses ifMatch combined with ifNoneMatch', async () => {
      await expect(store.put(binding('19:c1'), { ifMatch: '*', ifNoneMatch: '*' })).rejects.toThrow(TypeError);
      await expect(store.delete('19:c1', { ifMatch: '*', ifNoneMatch: '*' })).rejects.toThrow(TypeError);
    });

    describe('delete', () => {
      it('says whether it removed a binding', async () => {
        await store.put(binding('19:c1'));
        expect(await store.delete('19:c1')).toBe(true);
        expect(await store.get('19:c1')).toBeUndefined();
        expect(await store.delete('19:c1')).toBe(false);
      });

      it('removes only with the current eTag', async () => {
        const stale = await store.put(binding('19:c1'));
        const current = await store.put(binding('19:c1'));
        await expectConflict(store.delete('19:c1', { ifMatch: stale.eTag }), '19:c1');
        expect(await store.get('19:c1')).toEqual(current);
        expect(await store.delete('19:c1', { ifMatch: current.eTag })).toBe(true);
        expect(await store.get('19:c1')).toBeUndefined();
      });

      it('conflicts when a conditional delete finds nothing', async () => {
        await expectConflict(store.delete('19:c1', { ifMatch: '*' }), '19:c1');
        await expectConflict(store.delete('19:c1', { ifMatch: 'gone' }), '19:c1');
      });

      it("with ifNoneMatch '*' is a no-op when absent and a conflict when present", async () => {
        expect(await store.delete('19:c1', { ifNoneMatch: '*' })).toBe(false);
        await store.put(binding('19:c1'));
        await expectConflict(store.delete('19:c1', { ifNoneMatch: '*' }), '19:c1');
        expect(await store.get('19:c1')).toBeDefined();
      });
    });

    it('lists the bindings of one host, matching the ARM id case-insensitively', async () => {
      const c2 = await store.put(binding('19:c2'));
      const c1 = await store.put(binding('19:c1'));
      await store.put(binding('19:c3', planB));
      expect(await store.listByHost(planA)).toEqual([c1, c2]);
      expect(await store.listByHost(planA.toLowerCase().replace('resourcegroups', 'resourceGroups'))).toEqual([c1, c2]);
      expect(await store.listByHost(planA.toUpperCase())).toEqual([c1, c2]);
      expect(await store.listByHost('/subscriptions/s1/other')).toEqual([]);
    });

    describe('gallery bindings (kind)', () => {
      const galleryA = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/campus_images';
      const galleryB = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/physics_gallery';
      const galleryBinding = (conversationId: string, galleryId = galleryA) => ({ ...binding(conversationId, galleryId), kind: 'gallery' as const });

      it('keeps the kind: a gallery binding reads back as one, a host binding carries no kind', async () => {
        const gallery = await store.put(galleryBinding('19:g1'));
        expect(gallery).toEqual({ ...galleryBinding('19:g1'), eTag: expect.any(String) });
        expect(await store.get('19:g1')).toEqual(gallery);
        expect(boundTarget(gallery)).toEqual({ kind: 'gallery', galleryId: galleryA, binding: gallery });
        const host = await store.put(binding('19:h1'));
        expect(host.kind).toBeUndefined();
        expect(boundTarget(host)).toEqual({ kind: 'host', hostId: planA, binding: host });
      });

      it('lists hosts and galleries apart, once each whatever the case of their ids', async () => {
        await store.put(binding('19:h1'));
        const g1 = await store.put(galleryBinding('19:g1'));
        const g2 = await store.put(galleryBinding('19:g2', galleryA.toUpperCase()));
        await store.put(galleryBinding('19:g3', galleryB));
        expect(await store.listHostIds()).toEqual([planA]);
        expect((await store.listGalleryIds()).map((id) => id.toLowerCase())).toEqual([galleryA.toLowerCase(), galleryB.toLowerCase()]);
        expect(await store.listByGallery(galleryA.toLowerCase())).toEqual([g1, g2]);
        expect(await store.listByHost(galleryA)).toEqual([]);
        expect(await store.listByGallery(planA)).toEqual([]);
      });

      it('rebinding a conversation from a gallery to a host (ifMatch) changes its kind', async () => {
        const gallery = await store.put(galleryBinding('19:c1'));
        const host = await store.put(binding('19:c1', planB), { ifMatch: gallery.eTag });
        expect(await store.get('19:c1')).toEqual(host);
        expect(host.kind).toBeUndefined();
        expect(await store.listGalleryIds()).toEqual([]);
        expect(await store.listHostIds()).toEqual([planB]);
      });

      it('refuses an unknown kind at the database', async () => {
        await store.put(binding('19:c1'));
        await expect(fixture.sql("UPDATE host_bindings SET kind = 'lab' WHERE conversation_id = '19:c1'")).rejects.toThrow(/check/i);
      });
    });
  });

  describe('two binding stores on one database racing for one key', () => {
    it('let exactly one ifMatch put win', async () => {
      const a = (await fixture.open()).bindings;
      const b = (await fixture.open()).bindings;
      const original = await a.put(binding('19:c1'));
      const seenByA = await a.get('19:c1');
      const seenByB = await b.get('19:c1');
      expect(seenByA?.eTag).toBe(original.eTag);
      expect(seenByB?.eTag).toBe(original.eTag);

      const results = await Promise.allSettled([
        a.put(binding('19:c1', planB), { ifMatch: original.eTag }),
        b.put({ ...binding('19:c1', planB), boundBy: 'someone-else' }, { ifMatch: original.eTag }),
      ]);

      const won = results.filter((r): r is PromiseFulfilledResult<HostBinding> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(ETagConflictError);
      expect(await b.get('19:c1')).toEqual(won[0]?.value);
      expect(await a.get('19:c1')).toEqual(won[0]?.value);
    });

    it("let exactly one ifNoneMatch '*' create win", async () => {
      const a = (await fixture.open()).bindings;
      const b = (await fixture.open()).bindings;
      const results = await Promise.allSettled([
        a.put(binding('19:c1', planA), { ifNoneMatch: '*' }),
        b.put(binding('19:c1', planB), { ifNoneMatch: '*' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      // On PostgreSQL the two run on two connections: either may win.
      expect((await b.get('19:c1'))?.hostId).toBe(results[0].status === 'fulfilled' ? planA : planB);
    });

    it('let exactly one of an ifMatch delete and an ifMatch put win', async () => {
      const a = (await fixture.open()).bindings;
      const b = (await fixture.open()).bindings;
      const original = await a.put(binding('19:c1'));
      const results = await Promise.allSettled([
        a.delete('19:c1', { ifMatch: original.eTag }),
        b.put(binding('19:c1', planB), { ifMatch: original.eTag }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      if (results[0].status === 'fulfilled') expect(await b.get('19:c1')).toBeUndefined();
      else expect((await b.get('19:c1'))?.hostId).toBe(planB);
    });
  });
});
