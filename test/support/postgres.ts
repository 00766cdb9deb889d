// Where the test suite's PostgreSQL comes from: DATABASE_URL / local server, testcontainers, or embedded.
import { execSync } from 'node:child_process';
import pg from 'pg';

export const DEFAULT_TEST_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A Docker engine answers (not just the client binary). */
export function dockerAvailable(): boolean {
  if (process.env.SHIFTNOTE_TEST_NO_DOCKER === 'true') return false;
  try {
    execSync('docker info --format "{{.ServerVersion}}"', { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
