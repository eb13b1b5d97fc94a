import { stopPostgres } from './postgresServer';
import { checkTempDir } from './tempDirGuard';

/** Jest globalTeardown (both configs): stops the PostgreSQL server, then fails the run if a test left files in the run's temp dir. */
export default async function globalTeardown(): Promise<void> {
  await stopPostgres();
  checkTempDir();
}
