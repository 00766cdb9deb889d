// Applies committed Prisma migrations with the Prisma CLI (`migrate deploy`), as production does.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot as root } from '../paths';

export function migrateDeploy(databaseUrl: string): Promise<void> {
  const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, 'migrate', 'deploy'],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        // The CLI redacts the URL itself; keep only the tail of its message.
        reject(new Error(`prisma migrate deploy failed: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      },
    );
  });
}

/** Migration folders committed in prisma/migrations, oldest first. */
export function committedMigrations(): string[] {
  const dir = path.join(root, 'prisma', 'migrations');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Names of committed migrations not yet applied successfully (all of them on a fresh database). */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('public._prisma_migrations') AS t`);
    if (!table.rows[0].t) return committedMigrations();
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return committedMigrations().filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

/** `migrate deploy` only when something is pending: the CLI costs seconds at every start otherwise. */
export async function migrateIfNeeded(databaseUrl: string): Promise<string[]> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length > 0) await migrateDeploy(databaseUrl);
  return pending;
}
