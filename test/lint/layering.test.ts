import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CHILD_NODE_FLAGS } from '../support/childNode';

/**
 * The layering rule `npm run lint` applies (.dependency-cruiser.js) fires on the deliberate violations in
 * test/fixtures/layering/src: one per rule, and nothing on the file that keeps to the layers.
 */
describe('layering rule', () => {
  const root = path.join(__dirname, '../..');
  const fixture = path.join(root, 'test/fixtures/layering');

  it('reports each deliberate violation, and fails', () => {
    const run = spawnSync(
      process.execPath,
      [...CHILD_NODE_FLAGS, path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', path.join(root, '.dependency-cruiser.js'), '--output-type', 'err'],
      { cwd: fixture, encoding: 'utf8' },
    );
    // `error <rule>: <from> → <to>`; a cycle goes on over the next lines, its first step is enough here.
    const found = [...run.stdout.matchAll(/error ([\w-]+): (\S+) →\s+(\S+)/g)].map(([, rule, from, to]) => `${rule}: ${from} → ${packageOf(to ?? '')}`);

    expect(found.sort()).toEqual(
      [
        'adapters-implement-ports: src/azure/importsCore.ts → src/core/clean.ts',
        'azure-sdk-in-azure-only: src/core/usesAzureSdk.ts → @azure/arm-compute',
        'botbuilder-at-the-edge: src/core/usesBotbuilder.ts → botbuilder',
        'edge-is-on-top: src/dialogs/importsBot.ts → src/bot/replies.ts',
        'handlers-do-not-import-each-other: src/commands/importsActions.ts → src/actions/action.ts',
        'kernel-imports-nothing: src/kernel/importsPorts.ts → src/ports/port.ts',
        'no-circular: src/core/cycleA.ts → src/core/cycleB.ts',
        'ports-import-kernel-only: src/ports/importsCore.ts → src/core/clean.ts',
      ].sort(),
    );
    expect(run.status).not.toBe(0);
  }, 120_000);
});

/** `../../node_modules/@azure/arm-compute/dist/index.js` → `@azure/arm-compute`; a path of ours as it is. */
function packageOf(target: string): string {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(target)?.[1] ?? target;
}
