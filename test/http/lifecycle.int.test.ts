// Graceful shutdown of the real process (src/main.ts): SIGTERM while a summary waits on a slow model →
// readiness false, listener closed, the in-flight summary still answered and audited, spans flushed, exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { mintToken } from '../../src/http/auth';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { llmYaml, startOpenAiStub, type OpenAiStub } from './openai-stub';

const SECRET = 'lifecycle-secret-lifecycle-secret-0123456789';
const ROOT = path.resolve(__dirname, '..', '..');
const READINESS_DELAY_MS = 1000;

let database: TestDatabase;
let stub: OpenAiStub;
let collector: http.Server;
const exportedSpanNames: string[] = [];
let child: ChildProcess;
let stderr = '';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A request on a fresh connection (no keep-alive), so "refused" really means the listener is closed. */
function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c) => (body += c))
        .on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A fake OTLP/HTTP collector (JSON encoding): records the names of exported spans. */
async function startCollector(): Promise<string> {
  collector = http.createServer((req, res) => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (c) => (body += c))
      .on('end', () => {
        const payload = JSON.parse(body) as { resourceSpans?: { scopeSpans?: { spans?: { name: string }[] }[] }[] };
        for (const rs of payload.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) exportedSpanNames.push(s.name);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  database = await createTestDatabase();
  stub = await startOpenAiStub({ hold: true });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await stub.close();
  await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
  await database.drop();
});

test('SIGTERM drains: readiness false first, then no new connections, the in-flight summary completes, exit 0', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-lifecycle-'));
  const llmConfig = path.join(dir, 'llm.yaml');
  fs.writeFileSync(llmConfig, llmYaml(stub.url));
  const collectorUrl = await startCollector();

  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      SEED_DEMO: 'true',
      // No scheduled prewarm: the only model call is the one this test makes.
      PREWARM_TIMES: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_JWT_SECRET: SECRET,
      LLM_CONFIG: llmConfig,
      LOG_LEVEL: 'info',
      SHUTDOWN_READINESS_DELAY_MS: String(READINESS_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '15000',
      // Spans leave only when the batch is flushed: a long delay proves the flush on shutdown.
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.setEncoding('utf8').on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  // The server logs one JSON line with its port once it listens.
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'shiftnote listening' && entry.port) resolve(entry.port);
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    void exited.then((code) => reject(new Error(`exited early with ${code}\n${stderr}`)));
  });
  // Ready once its checks pass (as a load balancer would wait for it; a busy machine can take a moment).
  await until('readiness', async () => ((await get(port, '/readyz')).status === 200 ? true : undefined));
  // main.ts hands one registry to everyone: HTTP, audit, pools, the LLM client (breakers), process defaults.
  const metrics = (await get(port, '/metrics')).body;
  for (const name of [
    'shiftnote_llm_breaker_state{provider="openai"} 0',
    'shiftnote_audit_queue_depth',
    'shiftnote_db_pool_connections{pool="audit"}',
    'process_cpu_user_seconds_total',
    'shiftnote_http_request_duration_seconds_count{method="GET",route="/readyz",status="200"} 1',
  ]) {
    expect(metrics).toContain(name);
  }

  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM patient ORDER BY bed LIMIT 1');
  const token = await mintToken(SECRET, { sub: 'night-nurse', roles: ['clinician'] });
  const inFlight = get(port, `/v1/patients/${rows[0].id}/summary`, { Authorization: `Bearer ${token}`, 'X-Request-Id': 'in-flight-1' });

  // The model has the request: the summary is now in flight.
  await stub.firstRequest;
  const signalledAt = Date.now();
  child.kill('SIGTERM');

  // Readiness goes false while the listener still accepts (the load balancer's window to notice).
  const notReady = await until('readiness to go false', async () => {
    const r = await get(port, '/readyz').catch(() => undefined);
    return r?.status === 503 ? r : undefined;
  });
  expect(JSON.parse(notReady.body)).toMatchObject({ status: 'not_ready', shuttingDown: true });

  // Then the listener closes: new connections are refused.
  const refused = await until('new connections to be refused', async () => {
    const outcome = await get(port, '/healthz').then(
      () => undefined,
      (err: NodeJS.ErrnoException) => err.code,
    );
    return outcome;
  });
  expect(refused).toBe('ECONNREFUSED');

  // Only now does the model answer: the in-flight summary still completes.
  stub.release();
  const reply = await inFlight;
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toMatchObject({ source: 'llm', auditEventId: expect.any(String) });

  expect(await exited).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(15_000);

  // Every audit write of the in-flight request was committed before exit (under our id; the client's is echoed).
  expect(reply.headers['x-client-request-id']).toBe('in-flight-1');
  const audit = await pool.query<{ action: string }>('SELECT action FROM audit_event WHERE request_id = $1 ORDER BY seq', [
    reply.headers['x-request-id'],
  ]);
  expect(audit.rows.map((r) => r.action)).toEqual(['llm.request', 'llm.response', 'summary.read']);
  await pool.end();

  // Spans were flushed to the collector on shutdown (the batch delay is a minute).
  // The LLM attempt span is named as the GenAI conventions name it: "{operation} {model}".
  expect(exportedSpanNames).toEqual(expect.arrayContaining(['GET /v1/patients/:patientId/summary', 'chat stub-model']));
}, 90_000);

test('a SIGTERM during start-up is kept: the service finishes starting, drains and exits 0 (never the default kill)', async () => {
  const early = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: database.url,
      PREWARM_TIMES: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let signalled = false;
  early.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    // The first log line: configuration read, the database and the listener not yet up.
    if (!signalled) {
      signalled = true;
      early.kill('SIGTERM');
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    early.on('exit', (c, s) => resolve([c, s])),
  );
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(signalled).toBe(true);
  expect(out).toContain('shutdown complete');
}, 60_000);
