// Child processes, ports and CPU accounting for the benchmarks: every child is killed when the bench exits.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

/** Registers a child so that it is killed (SIGKILL) if still running when the bench exits. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A fresh temporary directory, removed when the bench exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Async cleanups (e.g. DROP DATABASE) run by `shutdown()`, in reverse order of registration. */
export function onShutdown(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

/** Synchronous last resort: kills children and removes temp dirs (also on an uncaught exit). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', killAll);

let shuttingDown: Promise<void> | null = null;
/** Runs the registered cleanups (each at most once, errors reported), then kills what is left. */
export function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`cleanup failed: ${(err as Error).message}\n`);
      }
    }
    killAll();
  })();
  return shuttingDown;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** CPU time (µs) of a process from /proc (Linux), user and system apart; NaN where unavailable. */
export function processCpuSplitUs(pid: number | undefined): { user: number; system: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: (Number(fields[11]) * 1e6) / 100, system: (Number(fields[12]) * 1e6) / 100 }; // USER_HZ = 100
  } catch {
    return { user: Number.NaN, system: Number.NaN };
  }
}

/** CPU time (user + system, µs) of a process from /proc (Linux); NaN where unavailable. */
export function processCpuUs(pid: number | undefined): number {
  const { user, system } = processCpuSplitUs(pid);
  return user + system;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
