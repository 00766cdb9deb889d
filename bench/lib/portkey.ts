// The Portkey AI gateway as a loopback sidecar for benchmarks (same approach as bench/llm.ts).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, freePort, processCpuUs, sleep, track } from './proc';

/**
 * Preload for the gateway process. Portkey has no host option: every listen() is bound to loopback.
 * With BENCH_INJECT_HEADERS (a JSON object), each incoming request that lacks one of those headers gets it
 * before the gateway sees it — for clients (like shiftnote's openai provider) that cannot send custom headers.
 * It edits rawHeaders, which @hono/node-server reads, in the gateway's own process: no extra network hop.
 */
export const loopbackPreload = `
const net = require('node:net');
const http = require('node:http');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\\d+$/.test(args[0]))) {
    if (args[1] === undefined || typeof args[1] === 'function') args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
  } else if (args[0] && typeof args[0] === 'object' && !args[0].path && !args[0].host) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  } else if (args.length === 0 || typeof args[0] === 'function') {
    args.unshift(0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
const inject = process.env.BENCH_INJECT_HEADERS ? Object.entries(JSON.parse(process.env.BENCH_INJECT_HEADERS)) : [];
if (inject.length > 0) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req) {
    if (event === 'request') {
      const raw = req.rawHeaders;
      for (const [name, value] of inject) {
        let present = false;
        for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name) { present = true; break; }
        if (!present) raw.push(name, value);
      }
    }
    return emit.apply(this, arguments);
  };
}
`;

/** Headers that route one request through Portkey to an OpenAI-compatible upstream at `customHost` (…/v1). */
export function portkeyRouteHeaders(customHost: string): Record<string, string> {
  return {
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': customHost,
    // Portkey drops X-Audit-Event-Id unless told to forward it; shiftnote's upstream expects it.
    'x-portkey-forward-headers': 'x-audit-event-id',
  };
}

export interface Portkey {
  port: number;
  pid: number | undefined;
  cpuUs(): number;
  stop(): void;
}

/**
 * Starts the gateway on a free loopback port. `injectHeaders` are added to requests that lack them.
 * Resolves with a reason instead when the package is missing or the gateway does not come up.
 */
export async function startPortkey(dir: string, injectHeaders: Record<string, string> = {}): Promise<Portkey | { reason: string }> {
  let entry: string;
  try {
    entry = require.resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    return { reason: 'package @portkey-ai/gateway not installed' };
  }
  const preload = join(dir, 'portkey-loopback.cjs');
  writeFileSync(preload, loopbackPreload);
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ['--require', preload, entry, `--port=${port}`, '--headless'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, BENCH_INJECT_HEADERS: JSON.stringify(injectHeaders) },
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-300)));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { reason: `exited with code ${child.exitCode}: ${stderr.trim().split('\n').pop() ?? ''}` };
    if (await canConnect(port)) break;
    await sleep(100);
  }
  if (!(await canConnect(port))) {
    child.kill('SIGKILL');
    return { reason: 'did not listen within 20 s' };
  }
  return { port, pid: child.pid, cpuUs: () => processCpuUs(child.pid), stop: () => void child.kill('SIGKILL') };
}
