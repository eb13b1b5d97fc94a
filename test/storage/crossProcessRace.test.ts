import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SqliteBindingStore, SqliteBotStorage } from '../../src/storage/sqlite';
import { useRaceWorker, type RaceChild } from './fixtures/raceChild';
import { useSqliteFixture } from './sqliteFixture';

const fixture = useSqliteFixture();
const worker = useRaceWorker({ file: path.join(__dirname, 'fixtures', 'raceWorker.ts') });
const writers = ['w1', 'w2', 'w3', 'w4'];

function startWriter(kind: 'bindings' | 'botState', writerId: string, startFile: string): RaceChild {
  return worker.start([fixture.dataDir, kind, writerId, startFile], `writer ${writerId}`);
}

/** Every writer has read the same eTag before any of them writes. */
async function race(kind: 'bindings' | 'botState'): Promise<string[]> {
  const startFile = path.join(fixture.dataDir, 'start');
  const started = writers.map((id) => startWriter(kind, id, startFile));
  await Promise.all(started.map((w) => w.ready));
  writeFileSync(startFile, '');
  return Promise.all(started.map((w) => w.outcome));
}

describe('writers in separate processes racing on one key with the same eTag', () => {
  it('let exactly one binding put win', async () => {
    const db = fixture.open();
    await new SqliteBindingStore(db).put({ conversationId: '19:race', hostId: 'h', boundBy: 'nobody', boundAt: 1 });

    const outcomes = await race('bindings');

    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(writers.length - 1);
    const winner = writers[outcomes.indexOf('won')];
    expect((await new SqliteBindingStore(db).get('19:race'))?.boundBy).toBe(winner);
  });

  it('let exactly one bot-state write win', async () => {
    const db = fixture.open();
    await new SqliteBotStorage(db).write({ race: { writer: 'nobody' } });

    const outcomes = await race('botState');

    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(writers.length - 1);
    const winner = writers[outcomes.indexOf('won')];
    expect((await new SqliteBotStorage(db).read(['race']))['race'].writer).toBe(winner);
  });
});
