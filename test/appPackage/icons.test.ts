import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cornerAlphas, ICONS, iconProblems, renderAppIcons, renderIcon, type IconSpec } from '../../scripts/lib/appIcons';
import { decodePng } from '../../scripts/lib/png';

const appPackageDir = path.join(__dirname, '../../appPackage');
const committedPng = (spec: IconSpec) => fs.readFileSync(path.join(appPackageDir, spec.file));
const drawing = (spec: IconSpec) => fs.readFileSync(path.join(appPackageDir, spec.source));

/** IHDR read straight from the bytes, independently of decodePng: signature, then the first chunk. */
function ihdr(png: Buffer) {
  return {
    signature: png.subarray(0, 8).toString('hex'),
    chunk: png.toString('latin1', 12, 16),
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colorType: png.readUInt8(25),
  };
}

const color = ICONS.find((s) => s.file === 'color.png');
const outline = ICONS.find((s) => s.file === 'outline.png');
if (!color || !outline) throw new Error('ICONS lacks color.png or outline.png');

describe.each(ICONS.map((spec) => [spec.file, spec] as const))('appPackage/%s', (_file, spec) => {
  const png = committedPng(spec);

  it(`is an 8-bit RGBA PNG of ${spec.size}×${spec.size}`, () => {
    expect(ihdr(png)).toEqual({ signature: '89504e470d0a1a0a', chunk: 'IHDR', width: spec.size, height: spec.size, bitDepth: 8, colorType: 6 });
  });

  it('follows Teams\' icon rules', () => {
    expect(iconProblems(spec, png)).toEqual([]);
  });

  it(`is the rendering of ${spec.source} — after editing a drawing, run \`npm run icons\``, () => {
    const committed = decodePng(png).rgba;
    const fresh = decodePng(renderIcon(drawing(spec), spec.size)).rgba;
    let worst = 0;
    for (let i = 0; i < fresh.length; i++) worst = Math.max(worst, Math.abs((fresh[i] ?? 0) - (committed[i] ?? 0)));
    // A little slack for anti-aliasing that another platform's resvg build might round differently.
    expect(worst).toBeLessThanOrEqual(8);
  });
});

describe('icon rules', () => {
  it('outline.png: transparent corners and nothing but white', () => {
    const image = decodePng(committedPng(outline));
    expect(image.hasAlpha).toBe(true);
    expect(cornerAlphas(image)).toEqual([0, 0, 0, 0]);
    for (let i = 0; i < image.rgba.length; i += 4) {
      if ((image.rgba[i + 3] ?? 0) > 0) expect([image.rgba[i], image.rgba[i + 1], image.rgba[i + 2]]).toEqual([255, 255, 255]);
    }
  });

  it('color.png: full bleed, opaque to the corners', () => {
    expect(cornerAlphas(decodePng(committedPng(color)))).toEqual([255, 255, 255, 255]);
  });

  it('rejects a colour drawing as the outline icon, and an icon of the wrong size', () => {
    expect(iconProblems(outline, renderIcon(drawing(color), 32))).toEqual([
      'outline.png has painted corners: the outline icon\'s background must be transparent',
      expect.stringMatching(/^outline\.png has \d+ visible pixels that are not white/),
    ]);
    expect(iconProblems(color, committedPng(outline))).toEqual(['color.png is 32×32, Teams wants 192×192']);
    expect(iconProblems(color, Buffer.from('not a png'))).toEqual(['color.png: not a PNG file']);
  });
});

describe('renderAppIcons (npm run icons)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'app-icons-'));
    fs.cpSync(path.join(appPackageDir, 'icons'), path.join(tmp, 'icons'), { recursive: true });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes both PNGs beside the manifest', async () => {
    const written = await renderAppIcons(tmp);
    expect(written).toEqual([path.join(tmp, 'color.png'), path.join(tmp, 'outline.png')]);
    for (const spec of ICONS) expect(iconProblems(spec, fs.readFileSync(path.join(tmp, spec.file)))).toEqual([]);
  });

  it('writes nothing when a drawing breaks the rules', async () => {
    const outlineSvg = path.join(tmp, outline.source);
    fs.writeFileSync(outlineSvg, fs.readFileSync(outlineSvg, 'utf8').replace('<title>', '<rect width="32" height="32" fill="#000"/><title>'));
    await expect(renderAppIcons(tmp)).rejects.toThrow(/outline\.png has painted corners/);
    expect(fs.readdirSync(tmp)).toEqual(['icons']);
  });
});
