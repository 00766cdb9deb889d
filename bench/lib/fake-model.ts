// Starts bench/lib/fake-model-server.cjs in its own process and drives it over its loopback control endpoints.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { processCpuUs, track } from './proc';

export interface FakeModel {
  port: number;
  /** Base URL for an openai provider (…/v1 is added by the adapter). */
  url: string;
  pid: number | undefined;
  /** Delay of every following answer: uniform in [minMs, maxMs]; 0 → at once. */
  setDelay(minMs: number, maxMs?: number): Promise<void>;
  /** How long the upstream held each request, by X-Audit-Event-Id (ms). */
  holds(): Promise<Map<string, number>>;
  reset(): Promise<void>;
  requests(): Promise<number>;
  cpuUs(): number;
}

export async function startFakeModel(): Promise<FakeModel> {
  const child = track(spawn(process.execPath, [join(__dirname, 'fake-model-server.cjs')], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`fake model did not report a port: ${line.toString()}`);
  const url = `http://127.0.0.1:${port}`;
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(
      url + path,
      body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    );
    if (!res.ok) throw new Error(`fake model ${path}: ${res.status}`);
    return res.json();
  };
  return {
    port,
    url,
    pid: child.pid,
    async setDelay(minMs, maxMs = minMs) {
      await call('/__config', { minMs, maxMs });
    },
    async holds() {
      return new Map((await call('/__holds')) as [string, number][]);
    },
    async reset() {
      await call('/__reset', {});
    },
    async requests() {
      return ((await call('/__stats')) as { requests: number }).requests;
    },
    cpuUs: () => processCpuUs(child.pid),
  };
}
