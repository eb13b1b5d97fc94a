import { ConversationState, TestAdapter, type Storage, type StoreItems } from 'botbuilder';

export interface StorageCapabilities {
  /** A multi-key write that conflicts on one key writes no key (MemoryStorage writes the others). */
  atomicMultiKeyWrites: boolean;
}

const conflictMessage = (key: string): string => `Storage: error writing "${key}" due to eTag conflict.`;

/** botbuilder `Storage` behaviour, as MemoryStorage defines it. */
export function describeStorageContract(
  name: string,
  makeStorage: () => Storage | Promise<Storage>,
  capabilities: StorageCapabilities,
): void {
  describe(`${name} honours the botbuilder Storage contract`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    async function readOne(key: string): Promise<StoreItems[string]> {
      return (await storage.read([key]))[key];
    }

    it('leaves missing keys out of a read', async () => {
      await storage.write({ present: { n: 1 } });
      const items = await storage.read(['missing', 'present', 'also-missing']);
      expect(Object.keys(items)).toEqual(['present']);
      expect(await storage.read([])).toEqual({});
    });

    it('round-trips JSON values and adds a string eTag', async () => {
      const value = { text: 'héllo', n: 3.5, flag: false, none: null, list: [1, 'two', { three: 3 }], nested: { a: { b: 'c' } } };
      await storage.write({ k: value });
      const item = await readOne('k');
      expect(item).toEqual({ ...value, eTag: expect.any(String) });
    });

    it('stores values as JSON: dates become strings, undefined properties disappear', async () => {
      await storage.write({ k: { when: new Date(Date.UTC(2026, 0, 2)), gone: undefined } });
      expect(await readOne('k')).toEqual({ when: '2026-01-02T00:00:00.000Z', eTag: expect.any(String) });
    });

    it('neither mutates what it is given nor shares what it returns', async () => {
      const original = { list: [1], eTag: '*' };
      await storage.write({ k: original });
      expect(original).toEqual({ list: [1], eTag: '*' });
      const first = await readOne('k');
      first.list.push(2);
      expect((await readOne('k')).list).toEqual([1]);
    });

    it('gives every write a fresh eTag and accepts the current one', async () => {
      await storage.write({ k: { v: 1 } });
      const first = await readOne('k');
      await storage.write({ k: { ...first, v: 2 } });
      const second = await readOne('k');
      expect(second).toEqual({ v: 2, eTag: expect.any(String) });
      expect(second.eTag).not.toBe(first.eTag);
    });

    it('rejects a stale eTag with an eTag conflict and keeps the stored value', async () => {
      await storage.write({ k: { v: 1 } });
      const stale = await readOne('k');
      await storage.write({ k: { ...stale, v: 2 } });
      await expect(storage.write({ k: { ...stale, v: 3 } })).rejects.toThrow(conflictMessage('k'));
      expect((await readOne('k')).v).toBe(2);
    });

    it("overwrites whatever is stored when the eTag is '*' or absent", async () => {
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2, eTag: '*' } });
      expect((await readOne('k')).v).toBe(2);
      await storage.write({ k: { v: 3 } });
      expect((await readOne('k')).v).toBe(3);
    });

    it('writes an item whose eTag names a key that is not stored (as MemoryStorage does)', async () => {
      await storage.write({ k: { v: 1, eTag: 'never-issued' } });
      expect(await readOne('k')).toEqual({ v: 1, eTag: expect.any(String) });
    });

    it('deletes keys, ignores missing ones, and forgets the eTag', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 }, c: { v: 3 } });
      const old = await readOne('a');
      await storage.delete(['a', 'b', 'not-there']);
      expect(Object.keys(await storage.read(['a', 'b', 'c']))).toEqual(['c']);
      await storage.write({ a: { ...old, v: 4 } });
      expect((await readOne('a')).v).toBe(4);
    });

    it('writes several keys in one call, each with its own eTag', async () => {
      await storage.write({ a: { v: 1 }, b: { v: 2 } });
      const items = await storage.read(['a', 'b']);
      expect(items).toEqual({ a: { v: 1, eTag: expect.any(String) }, b: { v: 2, eTag: expect.any(String) } });
      expect(items.a.eTag).not.toBe(items.b.eTag);
    });

    it('requires keys and changes', async () => {
      await expect(storage.read(undefined as unknown as string[])).rejects.toThrow(ReferenceError);
      await expect(storage.write(undefined as unknown as StoreItems)).rejects.toThrow(ReferenceError);
    });

    it('carries ConversationState across turns', async () => {
      const conversationState = new ConversationState(storage);
      const count = conversationState.createProperty<number>('count');
      const adapter = new TestAdapter(async (context) => {
        const next = (await count.get(context, 0)) + 1;
        await count.set(context, next);
        await conversationState.saveChanges(context);
        await context.sendActivity(`count ${next}`);
      });
      await adapter.send('hi').assertReply('count 1').send('again').assertReply('count 2');
    });

    if (capabilities.atomicMultiKeyWrites) {
      it('writes no key of a multi-key write when one key conflicts', async () => {
        await storage.write({ a: { v: 1 }, b: { v: 1 } });
        const before = await storage.read(['a', 'b']);
        await storage.write({ b: { ...before.b, v: 2 } });
        await expect(
          storage.write({ a: { ...before.a, v: 9 }, b: { ...before.b, v: 9 }, c: { v: 9 } }),
        ).rejects.toThrow(conflictMessage('b'));
        const after = await storage.read(['a', 'b', 'c']);
        expect(after).toEqual({ a: before.a, b: { v: 2, eTag: expect.any(String) } });
      });
    }
  });
}
