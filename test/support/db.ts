// Per-test-file PostgreSQL databases cloned from the migrated template: parallel files never share rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from './postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run tests through jest (test/support/global-setup.ts)`);
  return value;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(env('SHIFTNOTE_TEST_SERVER_URL'), 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `shiftnote_t_${env('SHIFTNOTE_TEST_RUN')}_${randomBytes(4).toString('hex')}`;
  const template = env('SHIFTNOTE_TEST_TEMPLATE');
  // CREATE DATABASE ... TEMPLATE needs the template idle: test files clone it one at a time.
  await admin(async (c) => {
    await c.query('SELECT pg_advisory_lock(727275)');
    try {
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(727275)');
    }
  });
  const url = withDatabase(env('SHIFTNOTE_TEST_SERVER_URL'), name);
  return { name, url, drop: () => dropDatabase(name) };
}

/**
 * pg's pool.end() resolves before its connections have closed, so a forced drop right after it can reach a
 * connection mid-close and hand it an error nobody listens for. A plain DROP waits (up to 5 s) for closing
 * sessions; FORCE only for a connection a test really leaked.
 */
async function dropDatabase(name: string): Promise<void> {
  await admin(async (c) => {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
    } catch {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
}
