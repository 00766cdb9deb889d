// Three instances on one database under load, one SIGKILLed mid-load and restarted: every request answered by a
// survivor or failed cleanly, no fingerprint generated twice, the chain verifies, every outbound request committed first.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { verifyChain } from '../../src/audit';
import { mintToken } from '../../src/http/auth';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { openaiReply, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const SECRET = 'instances-secret-instances-secret-0123456789';
const PATIENTS = 48;
const LANES = 6;
const REQUESTS_PER_LANE = 40;

jest.setTimeout(240_000);

let database: TestDatabase;
let pool: pg.Pool;
let upstream: FakeUpstream;
let tmp: string;
const children = new Set<ChildProcess>();
/** X-Audit-Event-Id values that were not committed when they reached the model (must stay empty). */
const uncommittedArrivals: unknown[] = [];

/** A ward of stable patients (complete sets, NEWS2 0, half an hour ago): one true sentence fits each of them. */
async function seedStableWard(): Promise<string[]> {
  const wardId = randomUUID();
  await pool.query(`INSERT INTO ward (id, code, name) VALUES ($1, 'SC', 'Scale test ward')`, [wardId]);
  const ids: string[] = [];
  for (let i = 0; i < PATIENTS; i++) {
    const id = randomUUID();
    ids.push(id);
    await pool.query(
      `INSERT INTO patient (id, mrn, given_name, family_name, birth_date, ward_id, bed) VALUES ($1, $2, 'Test', 'Patient', '1960-01-01', $3, $4)`,
      [id, `SC${String(i).padStart(6, '0')}`, wardId, `SC-B${String(i + 1).padStart(2, '0')}`],
    );
    await pool.query(
      `INSERT INTO vital_sign_observation (id, patient_id, taken_at, respiratory_rate, spo2, spo2_scale, on_oxygen, systolic_bp, diastolic_bp, heart_rate, consciousness, temperature_c)
       VALUES ($1, $2, now() - interval '30 minutes', 16, 97, 1, false, 125, 78, ${60 + (i % 30)}, 'A', 36.8)`,
      [randomUUID(), id],
    );
  }
  return ids;
}

/** Each instance reaches the model under its own path prefix, so the fake knows which instance sent what. */
function writeLlmConfig(name: string): string {
  const file = path.join(tmp, `llm-${name}.yaml`);
  fs.writeFileSync(
    file,
    [
      'providers:',
      '  - name: openai',
      '    type: openai',
      `    base_url: ${upstream.url}/via-${name}`,
      '    api_key: test-key',
      '    model: gpt-4o-mini',
      '    weight: 100',
      '    baa: true',
      'routing:',
      '  attempt_timeout_ms: 4000',
      // Longer than a waiter takes to see a dead instance's claim is free (its session gone; looked at each second)
      // plus a model call: a waiter can still be answered by the model.
      '  deadline_ms: 8000',
      '  retries_per_provider: 0',
      '',
    ].join('\n'),
  );
  return file;
}

const startInstance = (name: string) =>
  startServerProcess(
    {
      DATABASE_URL: database.url,
      SEED_DEMO: 'false',
      PREWARM_TIMES: 'off',
      AUTH_JWT_SECRET: SECRET,
      LLM_CONFIG: writeLlmConfig(name),
      RATE_LIMIT_PER_MINUTE: '100000',
      SERVICE_INSTANCE: name,
    },
    children,
  );

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // Each answer takes a moment, so generations are in flight when an instance dies.
  const answer = JSON.stringify({ sentences: [{ text: 'The latest NEWS2 is 0 (low risk).', facts: ['news2.latest.total'] }] });
  upstream = await startFakeUpstream({ defaultStep: { ...openaiReply(answer), delayMs: 150 } });
  upstream.onRequest(async (req) => {
    const id = req.headers['x-audit-event-id'];
    const { rowCount } = await pool.query(`SELECT 1 FROM audit_event WHERE id = $1::uuid AND action = 'llm.request'`, [id]);
    if (rowCount !== 1) uncommittedArrivals.push(id);
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-instances-'));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await upstream?.close();
  await pool?.end();
  await database?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  body: { source?: string; auditEventId?: string; error?: { code: string } };
}

test('three instances, one killed and restarted under load', async () => {
  const patients = await seedStableWard();
  const instances: (ServerProcess | null)[] = await Promise.all(['one', 'two', 'three'].map(startInstance));
  const token = await mintToken(SECRET, { sub: 'round-nurse', roles: ['clinician'] });
  // One fingerprint per patient (the window is not part of it when the facts are the same).
  const targets = patients.map((id) => `/v1/patients/${id}/summary`);

  const outcomes: Outcome[] = [];
  /** Requests that reached the killed instance and got no answer: a load balancer sends them elsewhere. */
  let cleanFailures = 0;
  let done = 0;

  /** Like a load balancer: the next live instance, and on a refused or reset connection the one after it. */
  async function send(target: string, start: number): Promise<Outcome> {
    for (let hop = 0; hop < 6; hop++) {
      const instance = instances[(start + hop) % instances.length];
      if (!instance) continue;
      try {
        const res = await fetch(instance.base + target, { headers: { Authorization: `Bearer ${token}` } });
        return { status: res.status, body: (await res.json()) as Outcome['body'] };
      } catch {
        cleanFailures += 1;
      }
    }
    throw new Error('no instance answered');
  }

  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    for (let n = 0; n < REQUESTS_PER_LANE; n++) {
      // Lanes overlap on targets, so instances race for the same fingerprints.
      const target = targets[(lane * 7 + n * 5) % targets.length];
      outcomes.push(await send(target, lane + n));
      done += 1;
    }
  });

  // Kill the second instance while one of its model calls is in flight (synchronised on what the model has seen), so
  // a client is waiting on it when it dies.
  await upstream.waitFor(
    (requests) => requests.length >= targets.length / 3 && requests.some((r) => r.path.startsWith('/via-two/') && r.state === 'pending'),
    120_000,
  );
  const victim = instances[1]!;
  instances[1] = null;
  victim.child.kill('SIGKILL');
  await victim.exited;
  const killedAt = upstream.requests.length;

  // Restart it on the same database once the load has moved on.
  await upstream.waitForRequests(killedAt + Math.floor(targets.length / 4), 120_000);
  instances[1] = await startInstance('two-restarted');
  await Promise.all(lanes);
  expect(done).toBe(LANES * REQUESTS_PER_LANE);

  // Every request got an answer from a live instance: a summary with its committed read row, never a 5xx.
  expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
  const readIds = outcomes.map((o) => o.body.auditEventId);
  const { rows: reads } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_event WHERE id = ANY($1::uuid[]) AND action = 'summary.read'`,
    [readIds],
  );
  expect(reads[0].n).toBe(new Set(readIds).size);
  expect(outcomes.filter((o) => o.body.source !== 'llm' && o.body.source !== 'cache')).toEqual([]);

  // Write-ahead held on every instance: each request reached the model only after its row was committed.
  expect(uncommittedArrivals).toEqual([]);
  const verification = await verifyChain(pool);
  expect(verification).toMatchObject({ ok: true, firstBrokenId: null });
  expect(verification.checked).toBe(Number(verification.head.seq));

  // No fingerprint generated twice — except one the killed instance had sent to the model when it died: a survivor
  // may generate it once more, once the dead claim is free. One it had claimed but not sent is generated once.
  const sent = await pool.query<{ id: string; fingerprint: string; request_id: string }>(
    `SELECT id, details->>'fingerprint' AS fingerprint, request_id FROM audit_event WHERE action = 'llm.request' AND id = ANY($1::uuid[])`,
    [upstream.requests.map((r) => r.headers['x-audit-event-id'])],
  );
  const fingerprintOf = new Map(sent.rows.map((r) => [r.id, r.fingerprint]));
  const sends = upstream.requests.map((r) => ({
    via: r.path.split('/')[1],
    fingerprint: fingerprintOf.get(String(r.headers['x-audit-event-id'])),
  }));
  const sentByVictim = new Set(sends.filter((r) => r.via === 'via-two').map((r) => r.fingerprint));
  const generations = new Map<string, Set<string>>();
  for (const r of sent.rows) generations.set(r.fingerprint, (generations.get(r.fingerprint) ?? new Set()).add(r.request_id));
  expect(generations.size).toBe(PATIENTS);
  const allowed = (fingerprint: string) => (sentByVictim.has(fingerprint) ? 2 : 1);
  const twice = [...generations].filter(([fingerprint, requests]) => requests.size > allowed(fingerprint));
  expect(
    twice.map(([fingerprint]) => ({ fingerprint, sends: sends.filter((r) => r.fingerprint === fingerprint).map((r) => r.via) })),
  ).toEqual([]);
  // The kill really landed under load: some reads went to the dead instance and were sent on.
  expect(cleanFailures).toBeGreaterThan(0);

  for (const instance of instances) instance?.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => i?.exited ?? Promise.resolve()));
});
