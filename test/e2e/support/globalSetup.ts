import { isolateTempDir } from '../../support/tempDirGuard';
import { chooseBrowser } from './chromium';

/**
 * Jest globalSetup of the e2e config: picks the browser once for every test file (decompressing the npm
 * Chromium into the system temp dir's cache the first time), then gives the run a temp dir of its own.
 */
export default async function globalSetup(): Promise<void> {
  await chooseBrowser();
  isolateTempDir();
}
