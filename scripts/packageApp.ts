/**
 * npm run package — builds dist/appPackage/lab-gallery-bot.zip (manifest.json, color.png, outline.png) from
 * appPackage/, the command registry and the bot's configuration (environment, then .env, as the bot reads them).
 * npm run manifest:sync — rewrites appPackage/manifest.json's command lists from the registry.
 */
import * as path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { runPackageApp } from './lib/packageAppCli';

const root = path.resolve(__dirname, '..');
loadDotenv({ path: path.join(root, '.env'), quiet: true });

runPackageApp({
  argv: process.argv.slice(2),
  env: process.env,
  root,
  io: { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`packaging failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
