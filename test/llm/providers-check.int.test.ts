// `npm run providers:check` against fakes of all five provider types and a real PostgreSQL: the table, the exit
// code, and the audit rows (llm.request committed before each request, no patient, purpose HOPERAT).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { AuditWriter, llmAuditHooks } from '../../src/audit';
import { createLlmClient, parseLlmConfig, type AttemptEnd } from '../../src/llm';
import { checkContext, checkProviders, formatTable, passed, recordingEnds } from '../../scripts/providers-check';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { type FakeProviders, startFakeProviders } from '../support/fake-providers';
import type { FakeStep } from '../support/fake-upstream';

let database: TestDatabase;
let pool: pg.Pool;
let fakes: FakeProviders;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  fakes = await startFakeProviders();
  for (const [k, v] of Object.entries(fakes.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(async () => {
  await fakes.close();
  await pool.end();
  await database.drop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function run(yaml: string, vertexStep?: FakeStep) {
  fakes.reset();
  if (vertexStep) fakes.upstreams.vertex.setDefault(vertexStep);
  const audit = new AuditWriter(pool);
  const ends: AttemptEnd[] = [];
  const base = parseLlmConfig(yaml, process.env);
  const client = createLlmClient(
    { ...base, routing: { ...base.routing, retries_per_provider: 0 } },
    recordingEnds(llmAuditHooks(audit), ends),
  );
  // Every request must find its llm.request row already committed.
  const committedAtArrival: boolean[] = [];
  for (const up of Object.values(fakes.upstreams)) {
    up.onRequest(async (req) => {
      const { rows } = await pool.query('SELECT 1 FROM audit_event WHERE id = $1 AND action = $2', [
        req.headers['x-audit-event-id'],
        'llm.request',
      ]);
      committedAtArrival.push(rows.length === 1);
    });
  }
  const requestId = `providers-check-test-${Math.random()}`;
  try {
    const rows = await checkProviders(client, () => ({ ...checkContext(requestId) }), ends);
    return { rows, committedAtArrival, requestId };
  } finally {
    await client.close();
    await audit.close();
  }
}

test('all five types answer: every column yes, audited as operations with no patient', async () => {
  const { rows, committedAtArrival, requestId } = await run(fakes.yaml);
  expect(rows.map((r) => [r.provider, r.type, r.reachable, r.authenticated, r.modelServed, r.json, r.result])).toEqual([
    ['openai', 'openai', true, true, true, true, 'ok'],
    ['azure', 'azure-openai', true, true, true, true, 'ok'],
    ['anthropic', 'anthropic', true, true, true, true, 'ok'],
    ['bedrock', 'bedrock', true, true, true, true, 'ok'],
    ['vertex', 'vertex', true, true, true, true, 'ok'],
  ]);
  expect(rows.every(passed)).toBe(true);
  for (const up of Object.values(fakes.upstreams)) expect(up.requests.map((r) => r.rejected)).toEqual([undefined]);
  expect(committedAtArrival).toEqual([true, true, true, true, true]);

  const { rows: audit } = await pool.query(
    `SELECT action, patient_id, purpose_of_use, actor_id, details->>'purpose' AS purpose, target->>'provider' AS provider
       FROM audit_event WHERE request_id = $1 AND action = 'llm.request' ORDER BY seq`,
    [requestId],
  );
  expect(audit).toEqual(
    ['openai', 'azure', 'anthropic', 'bedrock', 'vertex'].map((provider) => ({
      action: 'llm.request',
      patient_id: null,
      purpose_of_use: 'HOPERAT',
      actor_id: 'shiftnote-providers-check',
      purpose: 'operations: provider connectivity check',
      provider,
    })),
  );
  const table = formatTable(rows);
  expect(table.split('\n')[0]).toMatch(
    /^provider\s+type\s+model\s+reachable\s+authenticated\s+model served\s+JSON honoured\s+latency\s+result$/,
  );
});

test('a retired model, a wrong key, a model that ignores JSON: each row says which check failed', async () => {
  const yaml = fakes.yaml
    .replace('model: claude-haiku-5-5', 'model: claude-3-5-haiku-latest')
    .replace('api_key: sk-fake-openai-key-0001', 'api_key: sk-wrong-key-9999');
  const chatty: FakeStep = {
    status: 200,
    json: { candidates: [{ content: { role: 'model', parts: [{ text: 'Sure! Everything is fine.' }] }, finishReason: 'STOP' }] },
  };
  try {
    const { rows } = await run(yaml, chatty);
    const byName = Object.fromEntries(rows.map((r) => [r.provider, r]));
    expect(byName.openai).toMatchObject({
      reachable: true,
      authenticated: false,
      modelServed: null,
      json: null,
      result: expect.stringMatching(
        /^misconfigured \(invalid_api_key\): 401 invalid_api_key: Incorrect API key provided: sk-\*\*\*\*\*9999/,
      ),
    });
    expect(byName.anthropic).toMatchObject({
      reachable: true,
      authenticated: true,
      modelServed: false,
      json: null,
      result: 'misconfigured (not_found_error): 404 not_found_error: model: claude-3-5-haiku-latest',
    });
    expect(byName.vertex).toMatchObject({
      reachable: true,
      authenticated: true,
      modelServed: true,
      json: false,
      result: 'answered, not the JSON asked for',
    });
    expect(byName.bedrock.result).toBe('ok');
    expect(rows.filter(passed).map((r) => r.provider)).toEqual(['azure', 'bedrock']);
  } finally {
    fakes.reset();
  }
});

test('the npm script: prints the table and exits non-zero when a provider fails', async () => {
  fakes.reset();
  const bad = fakes.configPath.replace(/llm\.yaml$/, 'llm-bad.yaml');
  writeFileSync(bad, fakes.yaml.replace('model: claude-haiku-5-5', 'model: claude-3-5-haiku-latest'));
  const runScript = (config: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', join(__dirname, '../../scripts/providers-check.ts')],
        { env: { ...process.env, ...fakes.env, LLM_CONFIG: config, DATABASE_URL: database.url, LOG_LEVEL: 'silent' }, timeout: 60_000 },
        (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
  const good = await runScript(fakes.configPath);
  expect(good.stderr).toBe('');
  expect(good.code).toBe(0);
  expect(good.stdout).toMatch(/all 5 providers answered/);
  const failing = await runScript(bad);
  expect(failing.code).toBe(1);
  expect(failing.stdout).toMatch(/^anthropic\s+anthropic\s+claude-3-5-haiku-latest\s+yes\s+yes\s+NO\s+—/m);
  expect(failing.stdout).toMatch(/1 of 5 providers FAILED/);
}, 120_000);
