import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { decodePng, type PngImage } from './png';

export interface IconSpec {
  /** File name in the app package (and in appPackage/), as manifest.json's `icons` names it. */
  file: 'color.png' | 'outline.png';
  /** The drawing it is rendered from, relative to appPackage/. */
  source: string;
  size: number;
  /** Teams' outline icon: white on a transparent background, nothing else. */
  outline: boolean;
}

/** Teams wants a 192×192 colour icon (full bleed; Teams rounds the corners) and a 32×32 white outline. */
export const ICONS: readonly IconSpec[] = [
  { file: 'color.png', source: 'icons/color.svg', size: 192, outline: false },
  { file: 'outline.png', source: 'icons/outline.svg', size: 32, outline: true },
];

/** Renders a drawing to a PNG of `size`×`size`; what it does not paint stays transparent. */
export function renderIcon(svg: string | Buffer, size: number): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false }, logLevel: 'off' });
  const rendered = resvg.render();
  if (rendered.width !== size || rendered.height !== size) {
    throw new Error(`the drawing renders to ${rendered.width}×${rendered.height}, not ${size}×${size}: is its viewBox square?`);
  }
  return rendered.asPng();
}

/**
 * Renders every icon from its drawing in `appPackageDir`, checks them all, then writes them beside manifest.json.
 * Resolves with the paths written; writes nothing if any icon fails its check.
 */
export async function renderAppIcons(appPackageDir: string): Promise<string[]> {
  const rendered = await Promise.all(
    ICONS.map(async (spec) => ({ spec, png: renderIcon(await fs.readFile(path.join(appPackageDir, spec.source)), spec.size) })),
  );
  const problems = rendered.flatMap(({ spec, png }) => iconProblems(spec, png));
  if (problems.length) throw new Error(`The drawings do not make valid Teams icons:\n- ${problems.join('\n- ')}`);
  return Promise.all(
    rendered.map(async ({ spec, png }) => {
      const file = path.join(appPackageDir, spec.file);
      await fs.writeFile(file, png);
      return file;
    }),
  );
}

/** Lowest channel value an outline pixel may have and still count as white (anti-aliasing rounds a little). */
const WHITE_ENOUGH = 250;

/** What is wrong with an icon file for its spec; empty when Teams would accept it. */
export function iconProblems(spec: IconSpec, png: Uint8Array): string[] {
  let image: PngImage;
  try {
    image = decodePng(png);
  } catch (error) {
    return [`${spec.file}: ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  if (image.width !== spec.size || image.height !== spec.size) {
    problems.push(`${spec.file} is ${image.width}×${image.height}, Teams wants ${spec.size}×${spec.size}`);
    return problems;
  }
  const corners = cornerAlphas(image);
  if (spec.outline) {
    if (!image.hasAlpha) problems.push(`${spec.file} has no alpha channel: the outline icon must be transparent`);
    if (corners.some((a) => a !== 0)) problems.push(`${spec.file} has painted corners: the outline icon's background must be transparent`);
    const off = offWhitePixels(image);
    if (off > 0) problems.push(`${spec.file} has ${off} visible pixels that are not white: the outline icon must be white only`);
    if (off === 0 && !hasVisiblePixel(image)) problems.push(`${spec.file} is empty`);
  } else if (corners.some((a) => a !== 255)) {
    problems.push(`${spec.file} has transparent corners: the colour icon is drawn full bleed`);
  }
  return problems;
}

export function cornerAlphas({ width, height, rgba }: PngImage): number[] {
  const alphaAt = (x: number, y: number) => rgba[(y * width + x) * 4 + 3] ?? 0;
  return [alphaAt(0, 0), alphaAt(width - 1, 0), alphaAt(0, height - 1), alphaAt(width - 1, height - 1)];
}

function offWhitePixels({ rgba }: PngImage): number {
  let count = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if ((rgba[i + 3] ?? 0) === 0) continue;
    if ((rgba[i] ?? 0) < WHITE_ENOUGH || (rgba[i + 1] ?? 0) < WHITE_ENOUGH || (rgba[i + 2] ?? 0) < WHITE_ENOUGH) count++;
  }
  return count;
}

function hasVisiblePixel({ rgba }: PngImage): boolean {
  for (let i = 3; i < rgba.length; i += 4) if ((rgba[i] ?? 0) > 0) return true;
  return false;
}
