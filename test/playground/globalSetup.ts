import { isolateTempDir } from '../support/tempDirGuard';

/** Jest globalSetup of the Playground protocol tests: the run's own temp dir, in memory, checked for litter at the end (no PostgreSQL). */
export default function globalSetup(): void {
  isolateTempDir({ inMemory: true });
}
