import type { ConnectionOptions } from 'node:tls';

/** What the pool needs from DATABASE_URL, with the TLS decision made. */
export interface ConnectionSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  /** From the URL; absent with Entra authentication. */
  password?: string;
  /** false: plain TCP (loopback only). */
  ssl: false | ConnectionOptions;
  /** host:port/database, for logs and errors: never the password. */
  location: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** A connection to this host never leaves the machine, so it may go without TLS. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Reads `postgres://user:password@host:port/database?sslmode=…`. TLS with a verified certificate is required for
 * any host but loopback (Azure Database for PostgreSQL's certificate chains to a root Node already trusts), and
 * `sslmode=disable` is refused there rather than ignored. A loopback host goes without TLS unless sslmode asks.
 * Settings are passed to pg one by one, never as a connection string, so nothing in the URL can relax TLS.
 */
export function connectionSettings(databaseUrl: string): ConnectionSettings {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a URL (expected postgres://user@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error('DATABASE_URL names no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database (postgres://user@host:5432/database)');
  const user = decodeURIComponent(url.username);
  if (!user) throw new Error('DATABASE_URL names no user (postgres://user@host:5432/database)');
  const port = url.port ? Number(url.port) : 5432;
  const sslmode = url.searchParams.get('sslmode')?.toLowerCase();
  const loopback = isLoopbackHost(host);
  if (!loopback && sslmode === 'disable') {
    throw new Error(`DATABASE_URL: TLS is required for ${host} (only a loopback host may use sslmode=disable)`);
  }
  const wantsTls = !loopback || (sslmode !== undefined && !['disable', 'allow', 'prefer'].includes(sslmode));
  return {
    host,
    port,
    database,
    user,
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ssl: wantsTls ? { rejectUnauthorized: true, servername: host } : false,
    location: `${host}:${port}/${database}`,
  };
}
