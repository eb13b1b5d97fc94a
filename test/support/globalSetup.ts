import { isolateTempDir } from './tempDirGuard';

/** Jest globalSetup (jest.config.js): a temp dir of the run's own, checked for litter at the end. */
export default function globalSetup(): void {
  isolateTempDir();
}
