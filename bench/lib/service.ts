// Builds shiftnote to plain JavaScript once and starts instances of it as child processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { projectRoot } from '../../src/paths';
import { freePort, processCpuUs, sleep, track } from './proc';

export interface Build {
  /** How the service is run: `node <dir>/src/main.js`, or tsx when the build was not possible. */
  kind: 'compiled (esbuild transpile, tsc-equivalent CJS)' | 'tsx';
  argv: string[];
  note?: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * Transpiles src/ and prisma/seed.ts file by file (the project compiles with isolatedModules, so per-file
 * transpilation is what tsc emits, minus type checking) into `outDir`, with node_modules linked beside it.
 * Seconds instead of tsc's minute on this machine; the run-time code is the same. Falls back to tsx.
 * `overrides` (project-relative path → TypeScript source) builds a variant without touching the working tree:
 * A/B measurements of a proposed change.
 */
export async function buildService(outDir: string, overrides: Record<string, string> = {}): Promise<Build> {
  try {
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const files = [...walk(join(projectRoot, 'src')), join(projectRoot, 'prisma', 'seed.ts')];
    await Promise.all(
      files.map(async (file) => {
        const rel = relative(projectRoot, file);
        if (file.endsWith('.d.ts')) return;
        if (!file.endsWith('.ts')) {
          mkdirSync(dirname(join(outDir, rel)), { recursive: true });
          copyFileSync(file, join(outDir, rel));
          return;
        }
        const { code } = await esbuild.transform(overrides[rel] ?? readFileSync(file, 'utf8'), {
          loader: 'ts',
          format: 'cjs',
          target: 'node20',
          platform: 'node',
          sourcefile: file,
        });
        const target = join(outDir, rel.replace(/\.ts$/, '.js'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, code);
      }),
    );
    symlinkSync(join(projectRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');
    return { kind: 'compiled (esbuild transpile, tsc-equivalent CJS)', argv: [join(outDir, 'src', 'main.js')] };
  } catch (err) {
    return {
      kind: 'tsx',
      argv: ['--import', 'tsx', join(projectRoot, 'src', 'main.ts')],
      note: `build failed (${(err as Error).message}); running under tsx`,
    };
  }
}

export interface Service {
  name: string;
  port: number;
  url: string;
  pid: number | undefined;
  child: ChildProcess;
  /** Milliseconds from spawn until /healthz answered. */
  startMs: number;
  cpuUs(): number;
  /** SIGTERM (graceful drain; writes --cpu-prof profiles), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export async function startService(name: string, build: Build, env: Record<string, string>, nodeArgs: string[] = []): Promise<Service> {
  const port = await freePort();
  const started = Date.now();
  const child = track(
    spawn(process.execPath, [...nodeArgs, ...build.argv], {
      cwd: projectRoot,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`service ${name} exited (${child.exitCode ?? child.signalCode}) during start:\n${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service ${name} did not answer /healthz within 90 s:\n${output.trim()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const startMs = Date.now() - started;
  return {
    name,
    port,
    url,
    pid: child.pid,
    child,
    startMs,
    cpuUs: () => processCpuUs(child.pid),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
