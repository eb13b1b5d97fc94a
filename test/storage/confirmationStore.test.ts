import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Confirmation, ConfirmationStore } from '../../src/ports/confirmations';
import { ETagConflictError } from '../../src/ports/stores';
import { SqliteConfirmationStore } from '../../src/storage/sqlite';
import { useRaceWorker, type RaceChild } from './fixtures/raceChild';
import { BACKENDS, useBackendFixture } from './backendFixture';
import { useSqliteFixture } from './sqliteFixture';

const gallery = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages';
const createdAt = Date.UTC(2026, 0, 5, 10, 0);
const expiresAt = createdAt + 5 * 60_000;

type NewConfirmation = Omit<Confirmation, 'usedAt' | 'outcome' | 'operationId'>;

function proposal(id: string): NewConfirmation {
  return {
    id,
    conversationId: '19:c1',
    requestedBy: 'aad-admin',
    action: 'detach',
    target: gallery,
    params: { galleryId: gallery, hosts: ['physics', 'chemistry'], keepRole: false },
    createdAt,
    expiresAt,
  };
}

describe.each(BACKENDS)('%s', (backend) => {
  const fixture = useBackendFixture(backend);

  describe('confirmation store', () => {
    let store: ConfirmationStore;
    beforeEach(async () => {
      store = (await fixture.open()).confirmations;
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.get('conf-none')).toBeUndefined();
    });

    it('creates an unused confirmation and reads it back, params included', async () => {
      await store.create(proposal('conf-1'));
      const stored = await store.get('conf-1');
      expect(stored).toEqual(proposal('conf-1'));
      expect(stored).not.toHaveProperty('usedAt');
      expect(stored).not.toHaveProperty('outcome');
      expect(stored).not.toHaveProperty('operationId');
    });

    it('never overwrites an existing id, so a used proposal cannot become answerable again', async () => {
      await store.create(proposal('conf-1'));
      expect(await store.consume('conf-1', 'cancelled', createdAt + 1000)).toBe(true);
      const error = await store.create({ ...proposal('conf-1'), target: 'elsewhere' }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ETagConflictError);
      expect((error as ETagConflictError).key).toBe('conf-1');
      expect(await store.get('conf-1')).toEqual({ ...proposal('conf-1'), usedAt: createdAt + 1000, outcome: 'cancelled' });
      expect(await store.consume('conf-1', 'confirmed', createdAt + 2000)).toBe(false);
    });

    it('consumes once: true the first time, false after, keeping the first outcome', async () => {
      await store.create(proposal('conf-1'));
      expect(await store.consume('conf-1', 'confirmed', createdAt + 1000)).toBe(true);
      expect(await store.consume('conf-1', 'cancelled', createdAt + 2000)).toBe(false);
      expect(await store.consume('conf-1', 'confirmed', createdAt + 3000)).toBe(false);
      expect(await store.get('conf-1')).toEqual({ ...proposal('conf-1'), usedAt: createdAt + 1000, outcome: 'confirmed' });
    });

    it('records the expired outcome like any other (expiry is the caller’s rule)', async () => {
      await store.create(proposal('conf-1'));
      expect(await store.consume('conf-1', 'expired', expiresAt + 1)).toBe(true);
      expect(await store.get('conf-1')).toMatchObject({ usedAt: expiresAt + 1, outcome: 'expired' });
      expect(await store.consume('conf-1', 'confirmed', expiresAt + 2)).toBe(false);
    });

    it('answers false when consuming an unknown id, and creates nothing', async () => {
      expect(await store.consume('conf-none', 'confirmed', createdAt)).toBe(false);
      expect(await store.get('conf-none')).toBeUndefined();
    });

    it('consumes each confirmation independently', async () => {
      await store.create(proposal('conf-1'));
      await store.create(proposal('conf-2'));
      expect(await store.consume('conf-1', 'confirmed', createdAt + 1)).toBe(true);
      expect(await store.get('conf-2')).toEqual(proposal('conf-2'));
      expect(await store.consume('conf-2', 'cancelled', createdAt + 2)).toBe(true);
    });

    it('records the operation a confirmed proposal started', async () => {
      await store.create(proposal('conf-1'));
      await store.consume('conf-1', 'confirmed', createdAt + 1000);
      await store.attachOperation('conf-1', 'op-1');
      expect(await store.get('conf-1')).toEqual({
        ...proposal('conf-1'),
        usedAt: createdAt + 1000,
        outcome: 'confirmed',
        operationId: 'op-1',
      });
    });

    it('refuses to attach an operation to an unknown confirmation', async () => {
      await expect(store.attachOperation('conf-none', 'op-1')).rejects.toThrow('Confirmation conf-none does not exist');
      expect(await store.get('conf-none')).toBeUndefined();
    });
  });

  describe('two confirmation stores on one database racing to answer one confirmation', () => {
    it('let exactly one consume win', async () => {
      const a = (await fixture.open()).confirmations;
      const b = (await fixture.open()).confirmations;
      await a.create(proposal('conf-1'));
      expect(await b.get('conf-1')).toEqual(proposal('conf-1'));

      const results = await Promise.all([
        a.consume('conf-1', 'confirmed', createdAt + 1000),
        b.consume('conf-1', 'cancelled', createdAt + 2000),
      ]);

      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0]
        ? { usedAt: createdAt + 1000, outcome: 'confirmed' }
        : { usedAt: createdAt + 2000, outcome: 'cancelled' };
      expect(await a.get('conf-1')).toEqual({ ...proposal('conf-1'), ...winner });
      expect(await b.get('conf-1')).toEqual({ ...proposal('conf-1'), ...winner });
    });
  });

  describe('a restart of the bot', () => {
    it('keeps confirmations, used and unused, and their single use', async () => {
      const before = await fixture.open();
      const written = before.confirmations;
      await written.create(proposal('conf-used'));
      await written.create(proposal('conf-open'));
      await written.consume('conf-used', 'confirmed', createdAt + 1000);
      await written.attachOperation('conf-used', 'op-1');
      await before.close();

      const after = await fixture.open();
      expect(after.migrationsApplied).toEqual([]);
      const read = after.confirmations;
      expect(await read.get('conf-used')).toEqual({
        ...proposal('conf-used'),
        usedAt: createdAt + 1000,
        outcome: 'confirmed',
        operationId: 'op-1',
      });
      expect(await read.get('conf-open')).toEqual(proposal('conf-open'));
      expect(await read.consume('conf-used', 'confirmed', createdAt + 2000)).toBe(false);
      expect(await read.consume('conf-open', 'cancelled', createdAt + 2000)).toBe(true);
    });
  });
});

/**
 * One answering process: opens the file, says "ready", waits for the start file, consumes, prints the
 * result. Inline so that this test stays self-contained; bundled once with the sources it requires.
 */
const answerWorker = useRaceWorker({
  source: `
const { existsSync } = require('node:fs');
const { openSqliteDatabase, SqliteConfirmationStore } = require(${JSON.stringify(path.resolve(__dirname, '../../src/storage/sqlite'))});
const [dataDir, answerer, startFile] = process.argv.slice(2);
(async () => {
  const db = openSqliteDatabase({ dataDir });
  try {
    const store = new SqliteConfirmationStore(db);
    if (!(await store.get('conf-race'))) throw new Error('nothing to race for');
    process.stdout.write('ready\\n');
    while (!existsSync(startFile)) await new Promise((resolve) => setTimeout(resolve, 2));
    const won = await store.consume('conf-race', 'confirmed', Number(answerer.slice(1)));
    process.stdout.write(won ? 'won\\n' : 'lost\\n');
  } finally {
    db.close();
  }
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
  process.exitCode = 1;
});
`,
});

describe('answerers in separate processes racing on one confirmation (SQLite: one file, several processes)', () => {
  const fixture = useSqliteFixture();

  function startAnswerer(answerer: string, startFile: string): RaceChild {
    return answerWorker.start([fixture.dataDir, answerer, startFile], `answerer ${answerer}`);
  }

  it('let exactly one consume win', async () => {
    const store = new SqliteConfirmationStore(fixture.open());
    await store.create(proposal('conf-race'));
    const answerers = ['a1', 'a2', 'a3', 'a4'];
    const startFile = path.join(fixture.dataDir, 'start');

    const started = answerers.map((id) => startAnswerer(id, startFile));
    await Promise.all(started.map((a) => a.ready));
    writeFileSync(startFile, '');
    const outcomes = await Promise.all(started.map((a) => a.outcome));

    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'lost')).toHaveLength(answerers.length - 1);
    const winner = answerers[outcomes.indexOf('won')] ?? '';
    expect(await store.get('conf-race')).toEqual({
      ...proposal('conf-race'),
      usedAt: Number(winner.slice(1)),
      outcome: 'confirmed',
    });
  });
});
