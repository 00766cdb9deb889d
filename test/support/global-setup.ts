// Jest global setup: find a PostgreSQL server and build a migrated template database once per run;
// each test file then clones its own database from the template (test/support/db.ts).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateDeploy } from '../../src/db/migrate';
import { canConnect, DEFAULT_TEST_URL, dockerAvailable, withDatabase } from './postgres';

type Stop = () => Promise<void>;
const g = globalThis as { __shiftnoteStop?: Stop[] };

function migrationsHash(): string {
  const dir = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'migration.sql');
    if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

async function findServer(): Promise<string> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    if (await canConnect(configured)) return configured;
    throw new Error('DATABASE_URL is set but PostgreSQL does not answer there');
  }
  if (await canConnect(DEFAULT_TEST_URL)) return DEFAULT_TEST_URL;
  if (dockerAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    (g.__shiftnoteStop ??= []).push(async () => void (await container.stop()));
    return container.getConnectionUri();
  }
  // Last resort: the embedded server that `npm start` uses, in a throw-away directory.
  const { startEmbeddedPostgres } = await import('../../src/db/embedded');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const embedded = await startEmbeddedPostgres(path.join(dir, 'data'), 55432 + Math.floor(Math.random() * 1000), () => undefined);
  (g.__shiftnoteStop ??= []).push(async () => {
    await embedded.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return embedded.url;
}

export default async function globalSetup(): Promise<void> {
  const serverUrl = await findServer();
  const template = `shiftnote_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    // Serialise template builds between concurrent runs on one server.
    await admin.query('SELECT pg_advisory_lock(727274)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!exists.rowCount) {
      const building = `${template}_build_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      await migrateDeploy(withDatabase(serverUrl, building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    await admin.query('SELECT pg_advisory_unlock(727274)');
  } finally {
    await admin.end();
  }
  process.env.SHIFTNOTE_TEST_SERVER_URL = serverUrl;
  process.env.SHIFTNOTE_TEST_TEMPLATE = template;
  process.env.SHIFTNOTE_TEST_RUN = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
}
