// Crash safety: SIGKILL the real server under load, restart it on the same database, and the audit trail still holds.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { mintToken } from '../../src/http/auth';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { openaiReply, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startServerProcess } from '../support/server-process';

const SECRET = 'crash-test-secret-crash-test-secret-0123456789';
const LOAD_CLIENTS = 20;
const KILL_AFTER_UPSTREAM_REQUESTS = 40;

jest.setTimeout(240_000);

let database: TestDatabase;
let upstream: FakeUpstream;
let pool: pg.Pool;
let tmp: string;
const children = new Set<ChildProcess>();

/** A server process on this test's database and fake model. */
const startServer = () =>
  startServerProcess(
    {
      DATABASE_URL: database.url,
      SEED_DEMO: 'true',
      AUTH_JWT_SECRET: SECRET,
      LLM_CONFIG: path.join(tmp, 'llm.yaml'),
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    children,
  );

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // Each answer takes a moment, so requests are in flight when the server dies.
  const answer = JSON.stringify({ sentences: [{ text: 'Observations were recorded through the week.', facts: [] }] });
  upstream = await startFakeUpstream({ defaultStep: { ...openaiReply(answer), delayMs: 50 } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-crash-'));
  fs.writeFileSync(
    path.join(tmp, 'llm.yaml'),
    [
      'providers:',
      '  - name: openai',
      '    type: openai',
      `    base_url: ${upstream.url}`,
      '    api_key: test-key',
      '    model: gpt-4o-mini',
      '    weight: 100',
      '    baa: true',
      'routing:',
      '  strategy: failover',
      '  fallback_on: [5xx, timeout, 429, connection]',
      '  attempt_timeout_ms: 2000',
      '  deadline_ms: 4000',
      '  retries_per_provider: 1',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await upstream?.close();
  await pool?.end();
  await database?.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('after a SIGKILL under load: every id sent upstream was committed first, the chain verifies, seq has no gaps', async () => {
  const first = await startServer();
  const { rows: patients } = await pool.query<{ id: string }>('SELECT id FROM patient ORDER BY mrn');
  expect(patients.length).toBeGreaterThan(0);
  const clinician = await mintToken(SECRET, { sub: 'crash-clinician', roles: ['clinician'] });
  const auth = { Authorization: `Bearer ${clinician}` };

  // Load: 20 clients in a closed loop over patients × window lengths (distinct requests, so caching cannot absorb them).
  let stop = false;
  let served = 0;
  const load = Array.from({ length: LOAD_CLIENTS }, async (_, c) => {
    for (let n = c; !stop; n += LOAD_CLIENTS) {
      const patient = patients[n % patients.length].id;
      const days = 1 + (Math.floor(n / patients.length) % 14);
      try {
        const res = await fetch(`${first.base}/v1/patients/${patient}/summary?days=${days}`, { headers: auth });
        await res.arrayBuffer();
        if (res.ok) served += 1;
      } catch {
        // the server has been killed: the loop ends on `stop`
        if (stop) return;
      }
    }
  });

  // Synchronise on what the upstream has seen, not on time.
  await upstream.waitForRequests(KILL_AFTER_UPSTREAM_REQUESTS, 120_000);
  first.child.kill('SIGKILL');
  await first.exited;
  stop = true;
  await Promise.all(load);
  const sentIds = upstream.requests.map((r) => r.headers['x-audit-event-id']);
  expect(sentIds.length).toBeGreaterThanOrEqual(KILL_AFTER_UPSTREAM_REQUESTS);
  expect(sentIds.every((id) => typeof id === 'string' && id.length === 36)).toBe(true);

  // Restart on the same database; the chain continues where the last committed row left it.
  const second = await startServer();
  const officer = await mintToken(SECRET, { sub: 'crash-officer', roles: ['compliance'] });
  const verify = await fetch(`${second.base}/v1/audit-events/verify`, { headers: { Authorization: `Bearer ${officer}` } });
  expect(verify.status).toBe(200);
  const result = (await verify.json()) as { ok: boolean; checked: number; firstBrokenId: string | null; head: { seq: string } };
  expect(result).toMatchObject({ ok: true, firstBrokenId: null });
  expect(result.checked).toBe(Number(result.head.seq));

  // seq is 1..N with no gaps, and the head points at N.
  const {
    rows: [span],
  } = await pool.query<{ n: string; min: string; max: string; head: string }>(
    'SELECT count(*)::text AS n, min(seq)::text AS min, max(seq)::text AS max, (SELECT seq::text FROM audit_chain_head) AS head FROM audit_event',
  );
  expect(span.min).toBe('1');
  expect(span.max).toBe(span.n);
  expect(span.head).toBe(span.n);

  // Every X-Audit-Event-Id the upstream received is a committed llm.request row (write-ahead, fail closed).
  const { rows: found } = await pool.query<{ id: string; action: string }>(
    'SELECT id, action FROM audit_event WHERE id = ANY($1::uuid[])',
    [sentIds],
  );
  expect(found).toHaveLength(new Set(sentIds).size);
  expect(found.every((r) => r.action === 'llm.request')).toBe(true);

  // The kill landed mid-call: some attempts have their request row but no response row (never an update).
  const { rows: unanswered } = await pool.query(
    `SELECT q.id FROM audit_event q WHERE q.id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM audit_event r WHERE r.action = 'llm.response' AND r.details->>'requestEventId' = q.id::text)`,
    [sentIds],
  );
  expect(unanswered.length).toBeGreaterThan(0);

  // Summaries were really being served before the crash (the load was real, not all errors).
  expect(served).toBeGreaterThan(0);

  second.child.kill('SIGTERM');
  await second.exited;
});
