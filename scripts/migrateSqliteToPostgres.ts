/**
 * `npm run migrate:sqlite-to-postgres -- <file>`: copies every table of the bot's SQLite file (e.g. data/bot.sqlite)
 * into the PostgreSQL database of DATABASE_URL (DATABASE_AUTH=entra works too), after migrating both to this
 * build's schema. Idempotent: rows already there are left alone, so running it twice copies nothing the second
 * time. Run it with the bot stopped, before its first start on PostgreSQL. Prints the rows per table.
 */
import 'dotenv/config';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import { ConfigError, loadConfig } from '../src/config';
import { copySqliteToPostgres, openPostgresDatabase, openSqliteDatabase } from '../src/storage';

async function main(argv: readonly string[]): Promise<number> {
  const [file, ...extra] = argv;
  if (!file || extra.length > 0 || file.startsWith('-')) {
    process.stderr.write('usage: npm run migrate:sqlite-to-postgres -- <path to bot.sqlite>   (DATABASE_URL names the target)\n');
    return 2;
  }
  if (!existsSync(file)) {
    process.stderr.write(`no SQLite file at ${file}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  if (!config.database) {
    process.stderr.write('DATABASE_URL is not set: it names the PostgreSQL database to copy into\n');
    return 2;
  }
  const sqlite = openSqliteDatabase({ dataDir: path.dirname(file), fileName: path.basename(file) });
  try {
    const { url, auth } = config.database;
    const tenantId = config.azure?.tenantId;
    const postgres = await openPostgresDatabase({
      url,
      auth,
      ...(auth === 'entra' ? { credential: new DefaultAzureCredential(tenantId ? { tenantId } : {}) } : {}),
    });
    try {
      const copies = await copySqliteToPostgres(sqlite, postgres);
      process.stdout.write(`${sqlite.filePath} → ${postgres.location}\n`);
      for (const { table, source, copied } of copies) {
        process.stdout.write(`${table.padEnd(20)} ${String(source).padStart(7)} rows, ${String(copied).padStart(7)} copied, ${String(source - copied).padStart(7)} already there\n`);
      }
    } finally {
      await postgres.close();
    }
  } finally {
    sqlite.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(error instanceof ConfigError || error instanceof Error ? `${error.message}\n` : `${String(error)}\n`);
    process.exitCode = 1;
  },
);
