import { startPostgres } from './postgresServer';
import { isolateTempDir } from './tempDirGuard';

/** Jest globalSetup (jest.config.js): a temp dir of the run's own (in memory), checked for litter at the end; one PostgreSQL server. */
export default async function globalSetup(): Promise<void> {
  isolateTempDir({ inMemory: true });
  await startPostgres();
}
