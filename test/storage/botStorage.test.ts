import { BACKENDS, useBackendFixture } from './backendFixture';
import { describeStorageContract } from './storageContract';

describe.each(BACKENDS)('%s', (backend) => {
  const fixture = useBackendFixture(backend);

  describeStorageContract(`${backend} bot storage`, async () => (await fixture.open()).botStorage, {
    atomicMultiKeyWrites: true,
  });

  describe('bot storage', () => {
    it('keeps state across a restart', async () => {
      const first = await fixture.open();
      await first.botStorage.write({ 'conv/state': { dialogStack: [{ id: 'attach' }] } });
      const written = await first.botStorage.read(['conv/state']);
      await first.close();

      const reopened = await fixture.open();
      expect(await reopened.botStorage.read(['conv/state'])).toEqual(written);
    });

    it('lets exactly one of two connections win a write with the same eTag', async () => {
      const a = (await fixture.open()).botStorage;
      const b = (await fixture.open()).botStorage;
      await a.write({ k: { v: 0 } });
      const seenByA = (await a.read(['k'])).k;
      const seenByB = (await b.read(['k'])).k;
      expect(seenByB.eTag).toBe(seenByA.eTag);

      const results = await Promise.allSettled([
        a.write({ k: { ...seenByA, v: 'a' } }),
        b.write({ k: { ...seenByB, v: 'b' } }),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(String(rejected?.reason)).toContain('Storage: error writing "k" due to eTag conflict.');
      // On PostgreSQL the two run on two connections: either may win.
      expect((await b.read(['k'])).k.v).toBe(results[0].status === 'fulfilled' ? 'a' : 'b');
    });

    it('writes nothing when one item of a multi-key write cannot be serialised', async () => {
      const storage = (await fixture.open()).botStorage;
      await expect(storage.write({ a: { v: 1 }, b: { v: BigInt(1) } })).rejects.toThrow(TypeError);
      expect(await storage.read(['a', 'b'])).toEqual({});
    });

    it('refuses items that are not objects', async () => {
      const storage = (await fixture.open()).botStorage;
      await expect(storage.write({ k: 'text' })).rejects.toThrow(TypeError);
      await expect(storage.write({ k: null })).rejects.toThrow(TypeError);
    });

    it('stamps rows with the injected clock', async () => {
      const db = await fixture.open();
      fixture.clock.set(Date.UTC(2026, 4, 1));
      await db.botStorage.write({ k: { v: 1 } });
      expect(await fixture.sql("SELECT updated_at FROM bot_state WHERE key = 'k'")).toEqual([{ updated_at: Date.UTC(2026, 4, 1) }]);
    });
  });
});
