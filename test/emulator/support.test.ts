import { parseFlags } from '../../src/emulator/main';
import { ManualClock } from '../../src/ports/clock';
import { findPhysicalRegion, regionsOfSameGeography, ScaledClock } from '../../src/emulator';
import { parseTarget } from '../../src/emulator/http/request';
import { Router } from '../../src/emulator/http/router';

describe('ScaledClock', () => {
  it('runs timeScale times faster than its base, from the base time at creation', () => {
    const base = new ManualClock(1_000);
    const clock = new ScaledClock(base, 60);
    expect(clock.now()).toBe(1_000);
    base.advance(1_000);
    expect(clock.now()).toBe(61_000);
    expect(() => new ScaledClock(base, 0)).toThrow(RangeError);
  });
});

describe('standalone flags', () => {
  it('parses --port and --time-scale in both spellings, and repeated --owner/--teacher', () => {
    expect(parseFlags(['--port', '8080', '--time-scale=60', '--owner', 'a', '--owner=b', '--teacher', 't'])).toEqual({ port: 8080, timeScale: 60, owners: ['a', 'b'], teachers: ['t'] });
    expect(parseFlags([])).toEqual({ port: 0, timeScale: 1, owners: [], teachers: [] });
    expect(parseFlags(['--data-dir', './emulator-data'])).toMatchObject({ dataDir: './emulator-data' });
    expect(() => parseFlags(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseFlags(['--time-scale', '0'])).toThrow(/--time-scale/);
    expect(() => parseFlags(['--nope'])).toThrow(/unknown argument/);
  });
});

describe('regions', () => {
  it('resolves names and display names in any casing, and groups by geography', () => {
    expect(findPhysicalRegion('West US 2')?.name).toBe('westus2');
    expect(findPhysicalRegion('WESTUS2')?.displayName).toBe('West US 2');
    expect(findPhysicalRegion('europe')).toBeUndefined();
    expect(regionsOfSameGeography('uksouth').map((r) => r.name)).toEqual(['uksouth', 'ukwest']);
    expect(regionsOfSameGeography('uksouth', 'geographyGroup').map((r) => r.name)).toContain('westeurope');
    expect(regionsOfSameGeography('eastus')).toHaveLength(9);
  });
});

describe('request target parsing and routing', () => {
  it('collapses doubled slashes and decodes segments and the query', () => {
    const parsed = parseTarget("//subscriptions/s//resourceGroups/rg%2Dx/?%24expand=ReplicationStatus&%24filter=principalId%20eq%20'a'");
    expect(parsed.path).toBe('/subscriptions/s/resourceGroups/rg%2Dx');
    expect(parsed.segments).toEqual(['subscriptions', 's', 'resourceGroups', 'rg-x']);
    expect(parsed.query.get('$EXPAND')).toBe('ReplicationStatus');
    expect(parsed.query.get('$filter')).toBe("principalId eq 'a'");
  });

  it('captures an ARM scope prefix, including the root scope', () => {
    const router = new Router([{ method: 'GET', pattern: '{*scope}/providers/Microsoft.Authorization/roleAssignments/{name}', operation: 'x', apiVersion: 'none', handler: 1 }]);
    expect(router.match('GET', ['subscriptions', 's', 'providers', 'microsoft.authorization', 'ROLEASSIGNMENTS', 'n']).match?.params).toEqual({ scope: '/subscriptions/s', name: 'n' });
    expect(router.match('GET', ['providers', 'Microsoft.Authorization', 'roleAssignments', 'n']).match?.params).toEqual({ scope: '/', name: 'n' });
    expect(router.match('PUT', ['providers', 'Microsoft.Authorization', 'roleAssignments', 'n'])).toEqual({ pathMatched: true });
  });
});
