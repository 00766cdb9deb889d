// Benchmark: shiftnote's LLM client vs a bare undici loop vs the Portkey gateway, all against a loopback fake model.
// Rows for the openai provider (the goals), azure-openai (classic deployment, api-key) and bedrock (Converse, SigV4
// signing included). Run: npx tsx bench/llm.ts [--before <dir of another src/llm>] (adds that client's openai rows,
// measured in the same slices, for a same-run before/after). Loopback only, bounded in time, exits by itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { resolve } from 'node:path';
import { canConnect, freePort } from './lib/proc';
import { createLlmClient, llmConfigSchema, type AttemptHooks, type ChatRequest, type LlmClient } from '../src/llm';

const concurrencies = [1, 16, 64];
const measureMs = 3000;
const maxRequests = 20_000;
const warmupMs = 700;
/** Each row's time and count budget is split into this many slices, alternated between modes. */
const slices = 6;

const chat: ChatRequest = {
  system: 'You write a short, grounded summary of a patient week for a clinician at shift start.',
  messages: [
    {
      role: 'user',
      content: `Facts: ${JSON.stringify({ news2: { latest: 3, max: 5, trend: 'falling' }, adherence: { overallPct: 92 } })}`,
    },
  ],
  maxTokens: 300,
  temperature: 0,
};
// The exact body shiftnote sends for this request, so the bare loop and Portkey post the same bytes.
const body = JSON.stringify({
  model: 'fake-model',
  messages: [{ role: 'system', content: chat.system }, ...chat.messages],
  max_tokens: chat.maxTokens,
  temperature: chat.temperature,
});

// The fake model: a minimal node:http server in its own process, so its CPU is not charged to the client under test.
const upstreamSource = `
const http = require('node:http');
const reply = Buffer.from(JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', model: 'fake-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Stable week; NEWS2 falling from 5 to 3.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 60, completion_tokens: 12, total_tokens: 72 },
}));
// Bedrock Converse answers in its own shape (the adapter would call an OpenAI body malformed).
const converse = Buffer.from(JSON.stringify({
  output: { message: { role: 'assistant', content: [{ text: 'Stable week; NEWS2 falling from 5 to 3.' }] } },
  stopReason: 'end_turn', usage: { inputTokens: 60, outputTokens: 12, totalTokens: 72 }, metrics: { latencyMs: 1 },
}));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.url.endsWith('/converse') ? converse : reply;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('disconnect', () => process.exit(0));
`;

// Portkey has no host option: this preload makes every listen() bind to loopback.
const loopbackPreload = `
const net = require('node:net');
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
`;

type Send = () => Promise<unknown>;

interface Row {
  mode: string;
  concurrency: number;
  p50: number;
  p99: number;
  rps: number;
  /** CPU per request on the calling side: this process, plus the gateway process for Portkey. */
  cpuUs: number;
}

/** Accumulates latencies and counts over one or more measured slices of the same mode. */
class Sample {
  latencies = new Float64Array(maxRequests);
  count = 0;
  seconds = 0;
  cpuUs = 0;

  row(mode: string, concurrency: number): Row {
    const sorted = this.latencies.subarray(0, this.count).sort();
    return {
      mode,
      concurrency,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      rps: this.count / this.seconds,
      cpuUs: this.cpuUs / this.count,
    };
  }
}

const children: ChildProcess[] = [];
let tempDir: string | undefined;

function cleanup(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
process.on('exit', cleanup);

async function startUpstream(): Promise<number> {
  const child = spawn(process.execPath, ['-e', upstreamSource], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return Number(line.toString().trim());
}

async function startPortkey(upstreamPort: number): Promise<{ port: number; pid: number | undefined } | { reason: string }> {
  let entry: string;
  try {
    entry = require.resolve('@portkey-ai/gateway/build/start-server.js');
  } catch {
    return { reason: 'package @portkey-ai/gateway not installed' };
  }
  tempDir = mkdtempSync(join(tmpdir(), 'shiftnote-bench-'));
  const preload = join(tempDir, 'loopback.cjs');
  writeFileSync(preload, loopbackPreload);
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', preload, entry, `--port=${port}`, '--headless'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));

  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { reason: `exited with code ${child.exitCode}: ${firstErrorLine(stderr)}` };
    if (await canConnect(port)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!(await canConnect(port))) return { reason: 'did not listen within 15 s' };

  // One routed request proves the headers work before it is measured.
  const pool = new Pool(`http://127.0.0.1:${port}`);
  try {
    const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: portkeyHeaders(upstreamPort), body });
    const text = await res.body.text();
    if (res.statusCode !== 200) return { reason: `routed request answered ${res.statusCode}: ${text.slice(0, 120)}` };
  } catch (err) {
    return { reason: `routed request failed: ${(err as Error).message}` };
  } finally {
    await pool.close();
  }
  return { port, pid: child.pid };
}

function firstErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return (lines.find((line) => /error/i.test(line)) ?? lines.pop() ?? '').trim();
}

function portkeyHeaders(upstreamPort: number): string[] {
  return [
    'content-type',
    'application/json',
    'authorization',
    'Bearer bench-key',
    'x-portkey-provider',
    'openai',
    'x-portkey-custom-host',
    `http://127.0.0.1:${upstreamPort}/v1`,
  ];
}

/** Runs `send` from `concurrency` workers until the time or count bound, adding latencies (µs) to `into`. */
async function load(
  send: Send,
  concurrency: number,
  durationMs: number,
  limit: number,
  into: Sample | null,
  cpuOf: () => number,
): Promise<void> {
  const latencies = into?.latencies;
  let issued = 0;
  let count = into?.count ?? 0;
  const cpu0 = cpuOf();
  const start = process.hrtime.bigint();
  const stopAt = start + BigInt(durationMs) * 1_000_000n;
  const worker = async () => {
    while (issued < limit && process.hrtime.bigint() < stopAt) {
      issued++;
      const t0 = process.hrtime.bigint();
      await send();
      if (latencies) latencies[count++] = Number(process.hrtime.bigint() - t0) / 1000;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (into) {
    into.seconds += Number(process.hrtime.bigint() - start) / 1e9;
    into.cpuUs += cpuOf() - cpu0;
    into.count = count;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}

function ownCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU time of another process from /proc (Linux); 0 where unavailable. */
function processCpuUs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return 0;
  }
}

/**
 * Measures several modes at one concurrency. Slices alternate between modes so that load from other processes
 * on a shared machine falls on every mode alike instead of on whichever ran at the wrong moment.
 */
async function measureInterleaved(modes: { mode: string; send: Send; cpu: () => number }[], concurrency: number): Promise<Row[]> {
  for (const m of modes) await load(m.send, concurrency, warmupMs, maxRequests, null, m.cpu);
  const samples = modes.map(() => new Sample());
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, m] of modes.entries()) {
      await load(m.send, concurrency, measureMs / slices, Math.floor(maxRequests / slices), samples[i], m.cpu);
    }
  }
  return modes.map((m, i) => samples[i].row(m.mode, concurrency));
}

function pad(value: string, width: number): string {
  return value.length >= width ? value : ' '.repeat(width - value.length) + value;
}

function printTable(rows: Row[]): void {
  const bare = new Map(rows.filter((r) => r.mode === 'bare undici').map((r) => [r.concurrency, r]));
  console.log(
    [
      'mode'.padEnd(12),
      pad('conc', 4),
      pad('p50 µs', 8),
      pad('p99 µs', 8),
      pad('req/s', 7),
      pad('CPU µs/req', 10),
      '  vs bare at the same concurrency',
    ].join(' '),
  );
  for (const r of rows) {
    const b = bare.get(r.concurrency);
    let overhead = '';
    if (b && r.mode !== 'bare undici') {
      overhead = `Δp50 ${sign(r.p50 - b.p50)} µs, Δp99 ${sign(r.p99 - b.p99)} µs, throughput ${((100 * r.rps) / b.rps).toFixed(0)}%, CPU ${sign(r.cpuUs - b.cpuUs)} µs/req`;
    }
    console.log(
      [
        r.mode.padEnd(12),
        pad(String(r.concurrency), 4),
        pad(r.p50.toFixed(0), 8),
        pad(r.p99.toFixed(0), 8),
        pad(r.rps.toFixed(0), 7),
        pad(r.cpuUs.toFixed(0), 10),
        `  ${overhead}`,
      ].join(' '),
    );
  }
  const s1 = rows.find((r) => r.mode === 'shiftnote' && r.concurrency === 1);
  const s64 = rows.find((r) => r.mode === 'shiftnote' && r.concurrency === 64);
  for (const mode of ['azure-openai', 'bedrock', 'before']) {
    const c1 = rows.find((r) => r.mode === mode && r.concurrency === 1);
    const b1 = bare.get(1);
    if (c1 && b1)
      console.log(
        `${mode} at c=1: Δp50 ${sign(c1.p50 - b1.p50)} µs, Δp99 ${sign(c1.p99 - b1.p99)} µs over bare undici (the goals are for openai)`,
      );
  }
  const b1 = bare.get(1);
  const b64 = bare.get(64);
  if (s1 && s64 && b1 && b64) {
    const dp50 = s1.p50 - b1.p50;
    const dp99 = s1.p99 - b1.p99;
    const ratio = s64.rps / b64.rps;
    console.log(
      `\nshiftnote targets: c=1 Δp50 ${sign(dp50)} µs (≤ 20) ${dp50 <= 20 ? 'ok' : 'MISSED'}; ` +
        `Δp99 ${sign(dp99)} µs (≤ 100) ${dp99 <= 100 ? 'ok' : 'MISSED'}; ` +
        `c=64 throughput ${(ratio * 100).toFixed(1)}% of bare (≥ 90%) ${ratio >= 0.9 ? 'ok' : 'MISSED'}`,
    );
  }
}

function sign(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;
}

async function main(): Promise<void> {
  const upstreamPort = await startUpstream();
  const origin = `http://127.0.0.1:${upstreamPort}`;
  const rows: Row[] = [];

  // (1) bare undici: the floor. Same pool settings as the client (keep-alive, pipelining 1).
  const barePool = new Pool(origin, { connections: 64, pipelining: 1 });
  const bareHeaders = [
    'content-type',
    'application/json',
    'authorization',
    'Bearer bench-key',
    'x-audit-event-id',
    '00000000-0000-4000-8000-000000000000',
  ];
  const bare: Send = async () => {
    const res = await barePool.request({ method: 'POST', path: '/v1/chat/completions', headers: bareHeaders, body });
    return res.body.json();
  };

  // (2) shiftnote: one provider each, audit hooks stubbed in memory. openai is the product's baseline row.
  const auditId = '00000000-0000-4000-8000-000000000000';
  const hooks: AttemptHooks = { beforeAttempt: () => Promise.resolve(auditId), afterAttempt: () => Promise.resolve() };
  const meta = { requestId: 'bench' };
  const clientFor = (provider: Record<string, unknown>, llm = { createLlmClient, llmConfigSchema }): LlmClient =>
    llm.createLlmClient(
      llm.llmConfigSchema.parse({ providers: [{ name: 'fake', base_url: origin, max_connections: 64, baa: true, ...provider }] }),
      hooks,
    );
  const client = clientFor({ type: 'openai', api_key: 'bench-key', model: 'fake-model' });
  const azure = clientFor({
    type: 'azure-openai',
    endpoint: origin,
    deployment: 'bench',
    api_version: '2024-10-21',
    api_key: 'bench-key',
    model: 'gpt-4.1-mini',
  });
  // SigV4 with static credentials from the environment, through the AWS default chain as in production.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIABENCHEXAMPLE0001',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const bedrock = clientFor({ type: 'bedrock', region: 'us-east-1', model: 'us.anthropic.claude-haiku-5-5', api: 'converse' });
  const modes = [
    { mode: 'bare undici', send: bare, cpu: ownCpuUs },
    { mode: 'shiftnote', send: () => client.complete(chat, { meta }), cpu: ownCpuUs },
    { mode: 'azure-openai', send: () => azure.complete(chat, { meta }), cpu: ownCpuUs },
    { mode: 'bedrock', send: () => bedrock.complete(chat, { meta }), cpu: ownCpuUs },
  ];
  const beforeAt = process.argv.indexOf('--before');
  let before: LlmClient | undefined;
  if (beforeAt > 0) {
    before = clientFor(
      { type: 'openai', api_key: 'bench-key', model: 'fake-model' },
      (await import(resolve(process.argv[beforeAt + 1]))) as typeof import('../src/llm'),
    );
    const b = before;
    modes.splice(2, 0, { mode: 'before', send: () => b.complete(chat, { meta }), cpu: ownCpuUs });
  }

  for (const c of concurrencies) rows.push(...(await measureInterleaved(modes, c)));

  // (3) Portkey gateway as a loopback sidecar.
  const portkey = await startPortkey(upstreamPort);
  let portkeyNote = '';
  if ('reason' in portkey) {
    portkeyNote = `portkey: unavailable (${portkey.reason})`;
  } else {
    const pool = new Pool(`http://127.0.0.1:${portkey.port}`, { connections: 64, pipelining: 1 });
    const headers = portkeyHeaders(upstreamPort);
    const viaPortkey: Send = async () => {
      const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers, body });
      return res.body.json();
    };
    const cpu = () => ownCpuUs() + processCpuUs(portkey.pid);
    for (const c of concurrencies) rows.push(...(await measureInterleaved([{ mode: 'portkey', send: viaPortkey, cpu }], c)));
    await pool.close();
  }

  await Promise.all([barePool.close(), client.close(), azure.close(), bedrock.close(), before?.close()]);
  rows.sort((x, y) => x.concurrency - y.concurrency);
  console.log(
    `\nLLM client benchmark: node ${process.version}, ${cpus().length} CPUs, loadavg ${loadavg()[0].toFixed(1)}, loopback fake model in its own process; ` +
      `per row ${measureMs / 1000} s or ${maxRequests} requests after ${warmupMs} ms warm-up, in ${slices} slices alternating the modes\n`,
  );
  printTable(rows);
  if (portkeyNote) console.log(portkeyNote);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanup();
    process.exit();
  });
