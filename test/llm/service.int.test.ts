// The real process (src/main.ts) with real providers' rules: production refuses a provider without a BAA before
// anything starts; a provider that cannot answer shows in /readyz (still ready, degraded, and why) and /metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { mintToken } from '../../src/http/auth';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { carefulAnswer } from '../support/careful-answer';
import { type FakeOpenAi, openaiAnswer, startFakeOpenAi } from '../support/fake-openai';

const SECRET = 'service-secret-service-secret-0123456789';
const ROOT = path.resolve(__dirname, '..', '..');
const KEY = 'sk-service-test-key-0001';
let database: TestDatabase;
let retired: FakeOpenAi;
let healthy: FakeOpenAi;
let child: ChildProcess | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-service-'));

beforeAll(async () => {
  database = await createTestDatabase();
  // Serves only gpt-4.1-mini: the configured gpt-4-0613 (retired) answers 404 model_not_found.
  retired = await startFakeOpenAi({ apiKey: KEY, models: ['gpt-4.1-mini'] });
  healthy = await startFakeOpenAi({ apiKey: KEY, models: ['gpt-4.1-mini'] });
  // A careful model's answer for whatever it is asked: grounding accepts it (what matters is said, nothing false).
  healthy.setDefault({ reply: (r) => openaiAnswer(carefulAnswer(r.json), { model: 'gpt-4.1-mini' }) });
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await Promise.all([retired.close(), healthy.close()]);
  await database.drop();
});

function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c) => (body += c))
        .on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
  });
}

function startService(
  yaml: string,
  env: Record<string, string>,
): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const config = path.join(dir, `llm-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(config, yaml);
  let out = '';
  let err = '';
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_JWT_SECRET: SECRET,
      LLM_CONFIG: config,
      LOG_LEVEL: 'info',
      PREWARM_TIMES: 'off',
      OTEL_SDK_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

test('NODE_ENV=production with a provider that has no BAA: start-up stops with one clear message, nothing listens', async () => {
  const yaml = `providers:\n  - {name: direct, type: openai, base_url: "${healthy.url}", api_key: ${KEY}, model: gpt-4.1-mini}\n`;
  const service = startService(yaml, { NODE_ENV: 'production' });
  expect(await service.exited).toBe(1);
  expect(service.stderr()).toMatch(
    /^shiftnote: Invalid LLM configuration \(.*\):\n {2}- providers\[0\] \(direct\): NODE_ENV=production and no BAA: set baa: true once a business associate agreement covers it, or allow_without_baa: true/,
  );
  expect(service.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  expect(service.stdout()).not.toContain('shiftnote listening');
  expect(healthy.requests).toHaveLength(0);
}, 60_000);

test('a misconfigured provider: the fallback answers, /readyz stays ready but degraded and says why, /metrics has the state', async () => {
  const yaml = [
    'providers:',
    `  - {name: primary, type: openai, base_url: "${retired.url}", api_key: ${KEY}, model: gpt-4-0613, weight: 10, baa: true}`,
    `  - {name: backup, type: openai, base_url: "${healthy.url}", api_key: ${KEY}, model: gpt-4.1-mini, weight: 0, baa: true}`,
    '',
  ].join('\n');
  const service = startService(yaml, { NODE_ENV: 'test', SEED_DEMO: 'true' });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = service
        .stdout()
        .split('\n')
        .find((l) => l.includes('"shiftnote listening"'));
      if (line) {
        clearInterval(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    }, 20);
    void service.exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code}: ${service.stderr()}`));
    });
  });

  const before = JSON.parse((await get(port, '/readyz')).body) as Record<string, unknown>;
  expect(before).toMatchObject({ status: 'ready', llm: { status: 'ok', reasons: [] } });
  expect(before).not.toHaveProperty('degraded');

  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM patient ORDER BY bed LIMIT 2');
  await pool.end();
  const token = await mintToken(SECRET, { sub: 'nurse-1', roles: ['clinician'] });
  for (const row of rows) {
    const summary = await get(port, `/v1/patients/${row.id}/summary`, { Authorization: `Bearer ${token}` });
    expect(summary.status).toBe(200);
    expect(JSON.parse(summary.body)).toMatchObject({ source: 'llm', provider: 'backup' });
  }
  // One request reached the retired model; the second summary went straight to the backup.
  expect(retired.requests).toHaveLength(1);

  const ready = await get(port, '/readyz');
  expect(ready.status).toBe(200);
  const body = JSON.parse(ready.body) as {
    status: string;
    degraded: string[];
    llm: { status: string; providers: { name: string; state: string; cause?: string }[] };
  };
  expect(body.status).toBe('ready');
  expect(body.degraded).toEqual([
    expect.stringMatching(/^primary: misconfigured \(404 model_not_found: The model `gpt-4-0613` does not exist/),
  ]);
  expect(body.llm.status).toBe('degraded');
  expect(body.llm.providers.map((p) => [p.name, p.state])).toEqual([
    ['primary', 'misconfigured'],
    ['backup', 'available'],
  ]);
  expect(JSON.stringify(body)).not.toContain(KEY);

  const metrics = (await get(port, '/metrics')).body;
  expect(metrics).toContain('shiftnote_llm_provider_state{provider="primary",state="misconfigured"} 1');
  expect(metrics).toContain('shiftnote_llm_provider_state{provider="backup",state="available"} 1');
  expect(metrics).toMatch(/shiftnote_llm_tokens_total\{provider="backup",type="input"\} \d+/);

  // One error log line for the cause, with the provider's type and message, and no content or key.
  const errors = service
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; provider?: string; errorType?: string; errorMessage?: string })
    .filter((l) => l.level === 'error' || l.level === 'fatal');
  expect(errors).toEqual([
    expect.objectContaining({ provider: 'primary', errorType: 'model_not_found', errorMessage: expect.stringContaining('gpt-4-0613') }),
  ]);
  expect(service.stdout()).not.toContain(KEY);
  child!.kill('SIGTERM');
  expect(await service.exited).toBe(0);
}, 90_000);
