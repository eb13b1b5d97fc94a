import { SqliteBotStorage } from '../../src/storage/sqlite';
import { useSqliteFixture } from './sqliteFixture';
import { describeStorageContract } from './storageContract';

const fixture = useSqliteFixture();

describeStorageContract('SqliteBotStorage', () => new SqliteBotStorage(fixture.open()), {
  atomicMultiKeyWrites: true,
});

describe('SqliteBotStorage', () => {
  it('keeps state across a restart', async () => {
    const first = fixture.open();
    await new SqliteBotStorage(first).write({ 'conv/state': { dialogStack: [{ id: 'attach' }] } });
    const written = await new SqliteBotStorage(first).read(['conv/state']);
    first.close();

    const reopened = new SqliteBotStorage(fixture.open());
    expect(await reopened.read(['conv/state'])).toEqual(written);
  });

  it('lets exactly one of two connections win a write with the same eTag', async () => {
    const a = new SqliteBotStorage(fixture.open());
    const b = new SqliteBotStorage(fixture.open());
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
    expect((await b.read(['k'])).k.v).toBe('a');
  });

  it('writes nothing when one item of a multi-key write cannot be serialised', async () => {
    const storage = new SqliteBotStorage(fixture.open());
    await expect(storage.write({ a: { v: 1 }, b: { v: BigInt(1) } })).rejects.toThrow(TypeError);
    expect(await storage.read(['a', 'b'])).toEqual({});
  });

  it('refuses items that are not objects', async () => {
    const storage = new SqliteBotStorage(fixture.open());
    await expect(storage.write({ k: 'text' })).rejects.toThrow(TypeError);
    await expect(storage.write({ k: null })).rejects.toThrow(TypeError);
  });

  it('stamps rows with the injected clock', async () => {
    const db = fixture.open();
    fixture.clock.set(Date.UTC(2026, 4, 1));
    await new SqliteBotStorage(db).write({ k: { v: 1 } });
    expect(db.connection.prepare('SELECT updated_at FROM bot_state WHERE key = ?').get('k')).toEqual({
      updated_at: Date.UTC(2026, 4, 1),
    });
  });
});
