import { checkTempDir } from './tempDirGuard';

/** Jest globalTeardown (both configs): fails the run if a test left files in the run's temp dir. */
export default function globalTeardown(): void {
  checkTempDir();
}
