/**
 * npm run icons — renders appPackage/icons/{color,outline}.svg to appPackage/color.png (192×192) and
 * appPackage/outline.png (32×32, transparent), checked against Teams' icon rules. Commit the PNGs.
 */
import * as path from 'node:path';
import { renderAppIcons } from './lib/appIcons';

renderAppIcons(path.resolve(__dirname, '..', 'appPackage')).then(
  (files) => process.stdout.write(`${files.map((f) => path.relative(process.cwd(), f)).join('\n')}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
