import type { NewOperation } from '../../src/ports/operations';
import { StaleFenceError } from '../../src/ports/leases';
import type { ReplicationWatch } from '../../src/ports/replicationWatches';
import { BACKENDS, useBackendFixture } from './backendFixture';

const physics = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.LabServices/labPlans/physics';
const gallery = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/galleries/labImages';
const TTL = 10_000;

function newOperation(id: string, hostId = physics): NewOperation {
  return { id, kind: 'attach', hostId, target: gallery, requestedBy: 'aad-admin', conversationId: '19:c1', locale: 'en-US', correlationId: `corr-${id}`, params: {} };
}

function watch(): ReplicationWatch {
  return {
    id: 'v1|westeurope',
    versionId: 'v1',
    galleryId: gallery,
    imageName: 'win11',
    versionName: '1.0.0',
    targets: ['westeurope'],
    hostIds: [physics],
    origin: 'discovered',
    status: 'watching',
    regions: [],
    startedAt: 1,
    firstSeenAt: 1,
    polls: 0,
    errors: 0,
    nextPollAt: 2,
    cardConversations: [],
    cardStale: false,
  };
}

/** Issue 15: the coordination of instances sharing one database, the same contract on both backends. */
describe.each(BACKENDS)('%s leases and operation claims', (backend) => {
  const fixture = useBackendFixture(backend);

  it('gives a lease to one holder at a time, a larger token to each new holder, and hands it back at once', async () => {
    const [a, b] = [(await fixture.open()).leases, (await fixture.open()).leases];
    const first = await a.acquire('tracker', 'instance-a', TTL);
    expect(first).toEqual({ name: 'tracker', holder: 'instance-a', token: 1, expiresAt: fixture.clock.now() + TTL });
    expect(await b.acquire('tracker', 'instance-b', TTL)).toBeUndefined();

    fixture.clock.advance(TTL / 2);
    const renewed = await a.renew(first!, TTL);
    expect(renewed).toEqual({ ...first, expiresAt: fixture.clock.now() + TTL });
    fixture.clock.advance(TTL - 1);
    expect(await b.acquire('tracker', 'instance-b', TTL)).toBeUndefined();

    // Expired: the next holder takes it with a larger token, and the old one can neither renew nor release it.
    fixture.clock.advance(1);
    const second = await b.acquire('tracker', 'instance-b', TTL);
    expect(second?.token).toBe(2);
    expect(await a.renew(renewed!, TTL)).toBeUndefined();
    await a.release(renewed!);
    expect(await a.get('tracker')).toEqual({ holder: 'instance-b', token: 2, expiresAt: fixture.clock.now() + TTL });
    expect(await a.isCurrent({ lease: 'tracker', token: 1 })).toBe(false);
    expect(await a.isCurrent({ lease: 'tracker', token: 2 })).toBe(true);

    // Released: free at once, and the token still grows.
    await b.release(second!);
    expect((await a.get('tracker'))?.holder).toBeUndefined();
    expect((await a.acquire('tracker', 'instance-a', TTL))?.token).toBe(3);
    expect(await a.get('other')).toBeUndefined();
  });

  it('of several instances asking at once, gives the lease to exactly one', async () => {
    const stores = await Promise.all([1, 2, 3, 4, 5].map(async () => (await fixture.open()).leases));
    const got = await Promise.all(stores.map((s, i) => s.acquire('tracker', `instance-${i}`, TTL)));
    expect(got.filter((l) => l !== undefined)).toEqual([expect.objectContaining({ token: 1 })]);
  });

  it('refuses a watch write made under a stale fence', async () => {
    const db = await fixture.open();
    const watches = db.replicationWatches(fixture.clock);
    const old = await db.leases.acquire('tracker', 'instance-a', TTL);
    const fenceA = { lease: 'tracker', token: old!.token };
    expect(await watches.insert(watch(), fenceA)).toBe(true);
    await watches.save({ ...watch(), polls: 1 }, fenceA);

    fixture.clock.advance(TTL);
    const next = await db.leases.acquire('tracker', 'instance-b', TTL);
    await expect(watches.save({ ...watch(), polls: 2 }, fenceA)).rejects.toBeInstanceOf(StaleFenceError);
    await expect(watches.insert({ ...watch(), id: 'v2|westeurope' }, fenceA)).rejects.toBeInstanceOf(StaleFenceError);
    expect((await watches.get(watch().id))?.polls).toBe(1);
    expect(await watches.get('v2|westeurope')).toBeUndefined();

    await watches.save({ ...watch(), polls: 3 }, { lease: 'tracker', token: next!.token });
    expect((await watches.get(watch().id))?.polls).toBe(3);
  });

  it('lets one instance claim an unfinished operation until its claim lapses or is handed back', async () => {
    const [a, b] = [(await fixture.open()).operations(), (await fixture.open()).operations()];
    const op = await a.create(newOperation('op-1'));
    const claims = await Promise.all([a.claim!(op.id, 'instance-a', TTL), b.claim!(op.id, 'instance-b', TTL)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = claims[0] ? ['instance-a', 'instance-b'] : ['instance-b', 'instance-a'];

    fixture.clock.advance(TTL - 1);
    await a.renewClaims!(winner, TTL);
    fixture.clock.advance(TTL - 1);
    expect(await b.claim!(op.id, loser, TTL)).toBe(false);
    expect(await b.claim!(op.id, winner, TTL)).toBe(true);
    // A claim changes no eTag: the runner's conditional writes go on.
    expect((await a.get(op.id))?.eTag).toBe(op.eTag);

    fixture.clock.advance(TTL);
    expect(await b.claim!(op.id, loser, TTL)).toBe(true);
    await b.releaseClaims!(loser);
    expect(await a.claim!(op.id, winner, TTL)).toBe(true);

    // Finished and reported: nobody claims it any more.
    const current = (await a.get(op.id))!;
    await a.update(op.id, current.eTag, { status: 'succeeded', reportedAt: fixture.clock.now() });
    await a.releaseClaims!(winner);
    expect(await b.claim!(op.id, loser, TTL)).toBe(false);
  });

  it('lets one running operation per host hold the host, whichever instance asks, until it ends', async () => {
    const [a, b] = [(await fixture.open()).operations(), (await fixture.open()).operations()];
    const first = await a.create(newOperation('op-1'));
    const second = await b.create(newOperation('op-2', physics.toUpperCase()));
    const other = await b.create(newOperation('op-3', `${physics}-2`));
    const holders = await Promise.all([a.claimHost!(first.id), b.claimHost!(second.id)]);
    expect(holders.filter((h) => h === undefined)).toHaveLength(1);
    const winner = holders[0] === undefined ? first : second;
    expect(holders.find((h) => h !== undefined)?.id).toBe(winner.id);
    expect(await a.claimHost!(winner.id)).toBeUndefined();
    expect(await b.claimHost!(other.id)).toBeUndefined();

    await a.update(winner.id, winner.eTag, { status: 'failed' });
    const loser = winner === first ? second : first;
    expect(await b.claimHost!(loser.id)).toBeUndefined();
  });
});
