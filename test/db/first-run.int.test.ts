// First run: the service starts on its embedded PostgreSQL from a checkout under a 0700 directory (as /root is), run
// from another working directory; as root the server runs as the OS user postgres. A failure is one sentence.
// (Before: `spawn …/initdb EACCES` and a stack trace.) Root only: that is the case that failed.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let dir: string;
let checkout: string;

/** The working tree's tracked files, its generated client and (hard-linked, so in seconds) its node_modules. */
function copyCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(to, file));
    fs.chmodSync(path.join(to, file), fs.statSync(path.join(ROOT, file)).mode);
  }
  fs.cpSync(path.join(ROOT, 'src', 'generated'), path.join(to, 'src', 'generated'), { recursive: true });
  execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(to, 'node_modules')]);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** `npm start` of the copy, from another working directory, until `until(stdout)` or exit; then SIGTERM. */
async function start(env: Record<string, string>, until: (out: string) => boolean, then?: (out: string) => Promise<void>): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--import', path.join(checkout, 'node_modules', 'tsx', 'dist', 'loader.mjs'), path.join(checkout, 'src', 'main.ts')],
    {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', PORT: '0', PREWARM_TIMES: 'off', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const run: Run = { stdout: '', stderr: '', code: null };
  child.stdout.setEncoding('utf8').on('data', (c) => (run.stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (run.stderr += c));
  const exited = new Promise<void>((resolve) => child.on('exit', (code) => ((run.code = code), resolve())));
  let done = false;
  void exited.then(() => (done = true));
  await Promise.race([
    exited,
    new Promise<void>((resolve) => {
      const check = () => (done || until(run.stdout) ? resolve() : setTimeout(check, 50));
      check();
    }),
  ]);
  if (run.code === null) {
    await then?.(run.stdout);
    child.kill('SIGTERM');
    await exited;
  }
  return run;
}

(asRoot ? describe : describe.skip)('first run as root, checkout under a 0700 directory', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-first-run-'));
    fs.chmodSync(dir, 0o700);
    checkout = path.join(dir, 'shiftnote');
    copyCheckout(checkout);
  }, 120_000);

  afterAll(() => {
    const moved = `/var/tmp/shiftnote-data-${createHash('sha256')
      .update(path.join(checkout, '.data', 'postgres'))
      .digest('hex')
      .slice(0, 12)}`;
    fs.rmSync(moved, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('npm start comes up on the embedded database, answers a summary, and stops cleanly; then starts again warm', async () => {
    const pgPort = String(await freePort());
    let listening = 0;
    const first = await start(
      { EMBEDDED_PG_PORT: pgPort },
      (out) => out.includes('curl -s -H'),
      async (out) => {
        listening = Number(/"port":(\d+),"readyMs"/.exec(out)![1]);
        const token = /Clinician token:\n\s+(\S+)/.exec(out)![1];
        const ready = await fetch(`http://127.0.0.1:${listening}/readyz`);
        expect(ready.status).toBe(200);
        const wards = (await (
          await fetch(`http://127.0.0.1:${listening}/v1/wards`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { wards: { id: string }[] };
        const patients = (await (
          await fetch(`http://127.0.0.1:${listening}/v1/wards/${wards.wards[0].id}/patients`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { patients: { id: string }[] };
        const summary = await fetch(`http://127.0.0.1:${listening}/v1/patients/${patients.patients[0].id}/summary`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(summary.status).toBe(200);
      },
    );
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(listening).toBeGreaterThan(0);
    // Neither the binaries nor the data directory are reachable by the postgres user under a 0700 directory.
    expect(first.stdout).toMatch(
      /running as root: the OS user postgres cannot reach .*native; (copying the PostgreSQL binaries to|running its copy in) \/var\/tmp\//,
    );
    expect(first.stdout).toMatch(/the embedded database lives in \/var\/tmp\/shiftnote-data-/);
    expect(first.stdout).toContain('shutdown complete');
    // The dev secret and defaults are the checkout's, not the working directory's.
    expect(fs.existsSync(path.join(checkout, '.data', 'dev-auth-secret'))).toBe(true);

    const again = await start({ EMBEDDED_PG_PORT: pgPort }, (out) => out.includes('shiftnote is ready'));
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('seeded the demo wards');
  }, 120_000);

  test('a port already taken stops it with one sentence saying why and what to do, never a stack trace', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const run = await start({ EMBEDDED_PG_PORT: String(port) }, () => false);
      expect(run.code).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^shiftnote failed to start: .*(could not bind|could not create any TCP\/IP sockets|in use).*EMBEDDED_PG_PORT.*DATABASE_URL/i,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60_000);
});
