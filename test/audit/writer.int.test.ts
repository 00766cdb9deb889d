// The audit writer against real PostgreSQL: committed rows, gap-free chain, append-only table.
import pg from 'pg';
import { AuditUnavailableError, AuditWriter, chainHash, GENESIS_HASH, type AuditEventInput } from '../../src/audit';
import { createTestDatabase, type TestDatabase } from '../support/db';

let database: TestDatabase;
let pool: pg.Pool;

const event = (n: number): AuditEventInput => ({
  action: 'summary.read',
  outcome: 'success',
  actorId: `clinician-${n}`,
  actorRoles: ['clinician'],
  patientId: '7d1f3c2e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
  purposeOfUse: 'TREAT',
  requestId: `req-${n}`,
  target: null,
  details: { windowDays: 7, n },
});

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

async function chainRows(client: pg.Pool = pool) {
  const { rows } = await client.query(
    `SELECT id, seq::text AS seq, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt",
            action, outcome, actor_id AS "actorId", actor_roles AS "actorRoles", patient_id AS "patientId",
            purpose_of_use AS "purposeOfUse", request_id AS "requestId", target, details, prev_hash AS "prevHash", hash
       FROM audit_event ORDER BY audit_event.seq`,
  );
  return rows;
}

test('an appended row is committed and readable from another connection when append resolves', async () => {
  const writer = new AuditWriter(pool);
  const row = await writer.append(event(1));
  const other = new pg.Client({ connectionString: database.url });
  await other.connect();
  const { rows } = await other.query('SELECT action, actor_id FROM audit_event WHERE id = $1', [row.id]);
  await other.end();
  expect(rows).toEqual([{ action: 'summary.read', actor_id: 'clinician-1' }]);
  await writer.close();
});

test('concurrent appends from two writers (two "instances") form one gap-free, verifiable chain', async () => {
  const poolB = new pg.Pool({ connectionString: database.url, max: 4 });
  const a = new AuditWriter(pool);
  const b = new AuditWriter(poolB);
  await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).append(event(i))));
  await a.close();
  await b.close();
  await poolB.end();

  const rows = await chainRows();
  expect(rows.length).toBeGreaterThanOrEqual(200);
  let prev = GENESIS_HASH;
  rows.forEach((row, i) => {
    expect(row.seq).toBe(String(i + 1));
    expect(row.prevHash).toBe(prev);
    const { hash, ...unhashed } = row;
    expect(chainHash(unhashed)).toBe(hash);
    prev = hash;
  });
  const head = await pool.query('SELECT seq::text AS seq, hash FROM audit_chain_head');
  expect(head.rows[0]).toEqual({ seq: String(rows.length), hash: prev });
});

test.each([
  ['UPDATE', `UPDATE audit_event SET outcome = 'serious_failure'`],
  ['DELETE', 'DELETE FROM audit_event'],
  ['TRUNCATE', 'TRUNCATE audit_event'],
])('the database rejects %s on the audit table', async (_op, sql) => {
  await new AuditWriter(pool).append(event(99));
  await expect(pool.query(sql)).rejects.toThrow(/append-only/);
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM audit_event');
  expect(rows[0].n).toBeGreaterThan(0);
});

test('a failed commit rejects its callers and leaves the chain untouched', async () => {
  const writer = new AuditWriter(pool);
  const before = await pool.query('SELECT seq::text AS seq FROM audit_chain_head');
  await expect(writer.append({ ...event(1), patientId: 'not-a-uuid' })).rejects.toThrow();
  const after = await pool.query('SELECT seq::text AS seq FROM audit_chain_head');
  expect(after.rows[0].seq).toBe(before.rows[0].seq);
  await expect(writer.append(event(2))).resolves.toMatchObject({ seq: String(Number(before.rows[0].seq) + 1) });
});

test('values travel as one escaped literal: quotes, backslashes, dollar quotes and SQL text are stored byte for byte', async () => {
  const writer = new AuditWriter(pool);
  const hostile = `it's "quoted" \\ back\\\\slash $$ dollar $tag$ ; COMMIT; DROP TABLE audit_event; -- é 漢字 \u{1F489}\n\t`;
  const row = await writer.append({
    ...event(9),
    actorId: hostile,
    requestId: `req-'${hostile}`,
    target: { note: hostile },
    details: { [hostile]: [hostile, 1.5, null] },
  });
  await writer.close();
  const stored = (await chainRows()).find((r) => r.id === row.id);
  expect(stored).toMatchObject({
    actorId: hostile,
    requestId: `req-'${hostile}`,
    target: { note: hostile },
    details: { [hostile]: [hostile, 1.5, null] },
  });
  expect(chainHash({ ...stored, hash: undefined } as never)).toBe(stored.hash);
  expect(stored.hash).toBe(row.hash);
});

test('appendLater: the row rides with the next commit; alone it is committed after laterMs; close commits it at once', async () => {
  const commits: number[] = [];
  const writer = new AuditWriter(pool, { onCommit: (rows) => commits.push(rows), laterMs: 60_000 });
  const later = writer.appendLater(event(20));
  expect(writer.queueDepth()).toBe(1);
  const now = await writer.append(event(21));
  const rode = await later;
  expect(commits).toEqual([2]);
  expect(BigInt(rode.seq) + 1n).toBe(BigInt(now.seq));

  // Nothing else comes: close() does not wait out laterMs.
  const pending = writer.appendLater(event(22));
  await writer.close();
  await expect(pending).resolves.toMatchObject({ actorId: 'clinician-22' });
  expect(commits).toEqual([2, 1]);

  const timed = new AuditWriter(pool, { onCommit: (rows) => commits.push(rows), laterMs: 5 });
  const alone = await timed.appendLater(event(23));
  expect(alone.actorId).toBe('clinician-23');
  expect(commits).toEqual([2, 1, 1]);
  await timed.close();
  const ids = new Set((await chainRows()).map((r) => r.id));
  expect([rode.id, now.id, (await pending).id, alone.id].every((id) => ids.has(id))).toBe(true);
});

test('rows appended in one turn of the event loop (a ward of reads) share one commit', async () => {
  const commits: number[] = [];
  const writer = new AuditWriter(pool, { onCommit: (rows) => commits.push(rows) });
  const rows = await Promise.all(Array.from({ length: 30 }, (_, i) => writer.append(event(100 + i))));
  await writer.close();
  expect(commits).toEqual([30]);
  expect(rows.map((r) => Number(r.seq) - Number(rows[0].seq))).toEqual(Array.from({ length: 30 }, (_, i) => i));
});

/** The pool, but its next `failures` audit_append calls fail as a restarting database would (57P01) before reaching it. */
function restarting(failures: number, code = '57P01'): pg.Pool & { failed: number } {
  const flaky = Object.create(pool) as pg.Pool & { failed: number };
  flaky.failed = 0;
  flaky.query = ((text: string, values?: unknown[]) => {
    if (failures > 0 && /audit_append/.test(text)) {
      failures -= 1;
      flaky.failed += 1;
      return Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code }));
    }
    return pool.query(text, values);
  }) as never;
  return flaky;
}

test('appendLater rows whose commit could not happen (a database restart) are kept and committed once commits work again', async () => {
  const flaky = restarting(3);
  const changes: boolean[] = [];
  const writer = new AuditWriter(flaky, { laterMs: 1, probeIntervalMs: 5, onAvailability: (available) => changes.push(available) });
  const rows = [writer.appendLater({ ...event(40), action: 'llm.response' }), writer.appendLater({ ...event(41), action: 'llm.response' })];
  const stored = await Promise.all(rows);
  // The batch failed once, the probe failed twice (the database still restarting), then the batch committed.
  expect(flaky.failed).toBe(3);
  expect(changes).toEqual([false, true]);
  const ids = (await chainRows()).map((r) => r.id);
  expect(ids).toEqual(expect.arrayContaining(stored.map((r) => r.id)));
  await writer.close();
});

test('while commits cannot happen, append fails at once with AuditUnavailableError; a probe brings the writer back', async () => {
  const flaky = restarting(2, '55P03');
  let back!: () => void;
  const recovered = new Promise<void>((resolve) => (back = resolve));
  const writer = new AuditWriter(flaky, { probeIntervalMs: 20, onAvailability: (available) => available && back() });
  await expect(writer.append(event(50))).rejects.toBeInstanceOf(AuditUnavailableError);
  expect(writer.available()).toBe(false);
  expect(writer.unavailableReason()).toBe('the chain head is locked');
  // Fails at once: no statement is sent.
  const sentBefore = flaky.failed;
  await expect(writer.append(event(51))).rejects.toThrow(/audit trail unavailable: the chain head is locked/);
  expect(flaky.failed).toBe(sentBefore);
  // The first probe fails (still locked), the second succeeds.
  await recovered;
  expect(writer.available()).toBe(true);
  await expect(writer.append(event(52))).resolves.toMatchObject({ actorId: 'clinician-52' });
  await writer.close();
});

test('a row the database refuses is not retried and does not make the writer unavailable', async () => {
  const writer = new AuditWriter(pool, { laterMs: 1 });
  await expect(writer.appendLater({ ...event(60), patientId: 'not-a-uuid' })).rejects.toThrow();
  expect(writer.available()).toBe(true);
  await writer.close();
});
