import { startPostgres } from './postgresServer';
import { isolateTempDir } from './tempDirGuard';

/** Jest globalSetup (jest.config.js): a temp dir of the run's own (in memory), checked for litter at the end; one PostgreSQL server. */
export default async function globalSetup(): Promise<void> {
  // esbuild's buildSync (test fixtures that bundle a child's script) otherwise starts a worker thread and an esbuild
  // process per test file, kept until the Jest worker exits; terminating them there made Jest force-exit a worker
  // ("failed to exit gracefully"). Without threads, each buildSync runs esbuild once and nothing is left behind.
  process.env.ESBUILD_WORKER_THREADS ??= '0';
  isolateTempDir({ inMemory: true });
  // In the background: the first test files run while initdb does; those that need the server wait for it.
  await startPostgres({ background: true });
}
