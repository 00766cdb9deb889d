// Audit commits that cannot happen: another session holds the chain head's lock. Summaries fail fast with 503,
// /readyz says not ready, and both recover by themselves once the lock is gone.
import pg from 'pg';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let patients: string[];
let token: string;
const LOCK_TIMEOUT_MS = 300;

beforeAll(async () => {
  t = await startTestApp({ realReadiness: true, audit: { lockTimeoutMs: LOCK_TIMEOUT_MS, probeIntervalMs: 50 } });
  patients = (await t.db.patient.findMany({ orderBy: { bed: 'asc' }, take: 20, select: { id: true } })).map((p) => p.id);
  token = await t.token(['clinician']);
});

afterAll(async () => {
  await t.close();
});

const read = (id: string) => request(t.app).get(`/v1/patients/${id}/summary`).set('Authorization', `Bearer ${token}`);

/** Re-checks on every turn of the event loop until it holds (bounded). */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test.each([
  ['a long transaction holding the head row', 'SELECT * FROM audit_chain_head WHERE id = 1 FOR UPDATE'],
  ['ALTER TABLE / VACUUM FULL (an exclusive lock on the table)', 'LOCK TABLE audit_chain_head IN ACCESS EXCLUSIVE MODE'],
])('while %s: 20 summaries fail fast with 503, /readyz is not ready; after it, both recover', async (_what, lockSql) => {
  await expect(read(patients[0])).resolves.toMatchObject({ status: 200 });
  await request(t.app).get('/readyz').expect(200);

  const locker = new pg.Client({ connectionString: t.database.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query(lockSql);
  try {
    const started = performance.now();
    const results = await Promise.all(patients.map(read));
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.status)).toEqual(patients.map(() => 503));
    for (const r of results) {
      expect(r.body.error).toMatchObject({ code: 'unavailable', requestId: r.headers['x-request-id'] });
      expect(r.headers['retry-after']).toBeDefined();
    }
    // One lock timeout (all 20 share a commit), not a wait for the lock holder; generous for a loaded machine.
    expect(elapsed).toBeLessThan(LOCK_TIMEOUT_MS + 3000);

    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', audit: 'unavailable', reason: 'the chain head is locked' });

    // Now known: a read fails at once, without waiting out another lock timeout.
    const again = performance.now();
    await read(patients[1]).expect(503);
    expect(performance.now() - again).toBeLessThan(LOCK_TIMEOUT_MS);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }

  await until(async () => (await request(t.app).get('/readyz')).status === 200, '/readyz ready again');
  await read(patients[2]).expect(200);
  const { rows } = await t.pool.query(
    `SELECT count(*)::int AS n FROM audit_event WHERE action = 'summary.read' AND patient_id = ANY($1::uuid[])`,
    [patients],
  );
  expect(rows[0].n).toBeGreaterThanOrEqual(2);
});
