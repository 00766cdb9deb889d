// Starts src/main.ts as its own node process (no npx wrapper, so a signal hits the server itself) and finds its port.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
  exited: Promise<number | null>;
  /** The last few KB the process wrote to stderr. */
  stderrTail(): string;
}

/**
 * `env` is the whole environment of the child (PATH and HOME are added): nothing leaks in from the test runner's.
 * Resolves once the server has logged `shiftnote listening` with its port (PORT=0 picks a free one).
 */
export async function startServerProcess(
  env: Record<string, string>,
  children?: Set<ChildProcess>,
  timeoutMs = 120_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children?.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children?.delete(child);
      resolve(code);
    }),
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time; stderr tail: ${stderr}`)), timeoutMs);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'shiftnote listening' && entry.port) {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a log line (e.g. a banner)
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening; stderr tail: ${stderr}`)));
  });
  return { child, port, base: `http://127.0.0.1:${port}`, exited, stderrTail: () => stderr };
}
