import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { loadConfig } from '../../src/config';
import { ICONS, type IconSpec } from '../../scripts/lib/appIcons';
import { commandListsFromRegistry, committedCommandLists, MANIFEST_VERSION, withCommandLists, type TeamsManifest } from '../../scripts/lib/appManifest';
import { APP_PACKAGE_FILE, AppPackageError, buildAppPackage, LOCAL_APP_ID, packageIdentity, type PackageInputs } from '../../scripts/lib/appPackage';
import { loadBundledSchema, manifestProblems } from '../../scripts/lib/manifestSchema';
import { runPackageApp, type CliIo } from '../../scripts/lib/packageAppCli';
import { crc32, readZip, writeZip } from '../../scripts/lib/zip';

// @microsoft/app-manifest 1.1.2 loads strip-bom 5, which is ESM-only: jest's CommonJS runtime cannot require it
// before Node 24.9 (Node itself can from 20.19). This stand-in does what it does; the validator stays the real one.
jest.mock('@microsoft/app-manifest/node_modules/strip-bom', () => ({
  __esModule: true,
  default: (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text),
}));

// The real validator, but each distinct (schema, manifest) pair validated once: it compiles the whole Teams schema
// with ajv on every call (~0.15 s of CPU), and most tests here validate the same manifest again.
const validateAgainstSchema = AppManifestUtils.validateAgainstSchema.bind(AppManifestUtils);
const validated = new Map<string, ReturnType<typeof validateAgainstSchema>>();
jest.spyOn(AppManifestUtils, 'validateAgainstSchema').mockImplementation((manifest, schema) => {
  const key = JSON.stringify([schema ?? null, manifest]);
  let result = validated.get(key);
  if (!result) validated.set(key, (result = validateAgainstSchema(manifest, schema)));
  return result;
});

const root = path.join(__dirname, '../..');
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const templateText = fs.readFileSync(path.join(root, 'appPackage/manifest.json'), 'utf8');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const icons = Object.fromEntries(ICONS.map((s) => [s.file, fs.readFileSync(path.join(root, 'appPackage', s.file))])) as Record<IconSpec['file'], Buffer>;
const schema = loadBundledSchema(MANIFEST_VERSION);
const registeredConfig = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' });

function inputs(overrides: Partial<PackageInputs> = {}): PackageInputs {
  return {
    template: JSON.parse(templateText),
    icons,
    version,
    identity: packageIdentity(registeredConfig),
    commandLists: commandListsFromRegistry().commandLists,
    schema,
    ...overrides,
  };
}

function manifestIn(zip: Buffer): TeamsManifest {
  const manifest = readZip(zip).get('manifest.json');
  if (!manifest) throw new Error('no manifest.json in the zip');
  return JSON.parse(manifest.toString('utf8')) as TeamsManifest;
}

function recordingIo(): CliIo & { out: jest.Mock; err: jest.Mock; text(): { out: string; err: string } } {
  const io = { out: jest.fn(), err: jest.fn() };
  return { ...io, text: () => ({ out: io.out.mock.calls.join('\n'), err: io.err.mock.calls.join('\n') }) };
}

describe('the app package', () => {
  it('holds manifest.json, color.png and outline.png at the root, with the configured ids and package.json\'s version', async () => {
    const { zip } = await buildAppPackage(inputs());
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(files.get('color.png')?.equals(icons['color.png'])).toBe(true);
    expect(files.get('outline.png')?.equals(icons['outline.png'])).toBe(true);
    const manifest = manifestIn(zip);
    expect(manifest).toMatchObject({ id: APP_ID, version, name: { short: 'Lab Gallery Bot' } });
    expect(manifest.bots?.[0]).toMatchObject({ botId: APP_ID, commandLists: commandListsFromRegistry().commandLists });
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('without MicrosoftAppId uses the local id and says so in its name', async () => {
    const identity = packageIdentity(loadConfig({}));
    expect(identity).toEqual({ teamsAppId: LOCAL_APP_ID, botId: LOCAL_APP_ID, local: true });
    const manifest = manifestIn((await buildAppPackage(inputs({ identity }))).zip);
    expect(manifest).toMatchObject({ id: LOCAL_APP_ID, name: { short: 'Lab Gallery Bot (local)' } });
    expect(manifest.bots?.[0]?.botId).toBe(LOCAL_APP_ID);
  });

  it('is the same bytes for the same inputs', async () => {
    expect((await buildAppPackage(inputs())).zip.equals((await buildAppPackage(inputs())).zip)).toBe(true);
  });

  it('refuses icons Teams would refuse, naming each problem', async () => {
    const swapped = { 'color.png': icons['outline.png'], 'outline.png': icons['color.png'] };
    await expect(buildAppPackage(inputs({ icons: swapped }))).rejects.toThrow(AppPackageError);
    await expect(buildAppPackage(inputs({ icons: swapped }))).rejects.toMatchObject({
      problems: ['color.png is 32×32, Teams wants 192×192', 'outline.png is 192×192, Teams wants 32×32'],
    });
  });
});

describe('offline schema validation', () => {
  let fetchSpy: jest.SpiedFunction<typeof fetch>;
  beforeEach(() => {
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in tests'));
  });
  afterEach(() => fetchSpy.mockRestore());

  it(`passes the packaged manifest against the bundled v${MANIFEST_VERSION} schema without touching the network`, async () => {
    const manifest = manifestIn((await buildAppPackage(inputs({ schema: undefined }))).zip);
    expect(await manifestProblems(manifest)).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reports schema errors and command-menu limits, all at once', async () => {
    const { manifest } = await buildAppPackage(inputs());
    const bot = manifest.bots?.[0];
    if (!bot?.commandLists?.[0]) throw new Error('no command list');
    const list = bot.commandLists[0];
    list.commands = Array.from({ length: 13 }, (_, i) => ({ title: `command-${i}`, description: 'd' }));
    list.commands[0] = { title: 'a-command-title-longer-than-32-chars', description: 'd'.repeat(129) };
    const broken = { ...manifest, id: 'not-a-guid', accentColor: 'blue' } as TeamsManifest;
    const problems = await manifestProblems(broken, schema);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schema: \/id must match pattern/),
        expect.stringMatching(/^schema: \/accentColor must match pattern/),
        expect.stringMatching(/^schema: \/bots\/0\/commandLists\/0\/commands must NOT have more than 12 items/),
        'command list 0 has 13 commands; Teams shows 12',
        'command title "a-command-title-longer-than-32-chars" is over 32 characters',
        'the description of command "a-command-title-longer-than-32-chars" is over 128 characters',
      ]),
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('scripts/packageApp.ts', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes the zip and prints its path', async () => {
    const io = recordingIo();
    const code = await runPackageApp({ argv: [], env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' }, root, outDir: tmp, io });
    const zipPath = path.join(tmp, APP_PACKAGE_FILE);
    expect({ code, ...io.text() }).toEqual({ code: 0, out: zipPath, err: '' });
    expect(manifestIn(fs.readFileSync(zipPath)).id).toBe(APP_ID);
  });

  it('reports every configuration problem and exits 2', async () => {
    const io = recordingIo();
    const code = await runPackageApp({ argv: [], env: { MicrosoftAppId: 'nope' }, root, outDir: tmp, io });
    expect(code).toBe(2);
    expect(io.text().err).toContain('MicrosoftAppId must be a GUID');
    expect(fs.existsSync(path.join(tmp, APP_PACKAGE_FILE))).toBe(false);
  });

  it('--sync rewrites stale command lists in one go, and then has nothing to do', async () => {
    const stale = committedCommandLists(templateText).map((l) => ({ ...l, commands: l.commands.slice(0, -1) }));
    fs.mkdirSync(path.join(tmp, 'appPackage'));
    const manifestPath = path.join(tmp, 'appPackage/manifest.json');
    fs.writeFileSync(manifestPath, withCommandLists(templateText, stale));
    const dropped = committedCommandLists(templateText)[0]?.commands.at(-1)?.title;

    const first = recordingIo();
    expect(await runPackageApp({ argv: ['--sync'], env: {}, root: tmp, io: first })).toBe(0);
    expect(first.text().out).toContain(`added ${dropped}`);
    expect(committedCommandLists(fs.readFileSync(manifestPath, 'utf8'))).toEqual(commandListsFromRegistry().commandLists);

    const second = recordingIo();
    expect(await runPackageApp({ argv: ['--sync'], env: {}, root: tmp, io: second })).toBe(0);
    expect(second.text().out).toBe('appPackage/manifest.json: command lists already match the command registry');
  });

  it('rejects an unknown argument with its usage', async () => {
    const io = recordingIo();
    expect(await runPackageApp({ argv: ['--zip'], env: {}, root, io })).toBe(2);
    expect(io.text().err).toMatch(/unknown argument: --zip\nusage:/);
  });
});

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('reads back what it writes, stored or deflated', () => {
    const entries = [
      { name: 'a.json', data: Buffer.from('{"x":'.repeat(100)) },
      { name: 'random.bin', data: Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97) % 256)) },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const files = readZip(writeZip(entries));
    expect([...files.entries()]).toEqual(entries.map((e) => [e.name, e.data]));
  });

  it('refuses two entries with the same name', () => {
    expect(() => writeZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }])).toThrow('appears twice');
  });
});
