// Hash-chain verification against real PostgreSQL: tampering through a superuser is found at the exact row.
import pg from 'pg';
import { AuditWriter, verifyChain } from '../../src/audit';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { allRows, asTamperer, readEvent } from './fixtures';

let database: TestDatabase;
let pool: pg.Pool;
let writer: AuditWriter;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  writer = new AuditWriter(pool);
});

afterAll(async () => {
  await writer.close();
  await pool.end();
  await database.drop();
});

test('an empty chain verifies', async () => {
  await expect(verifyChain(pool)).resolves.toMatchObject({ ok: true, checked: 0, firstBrokenId: null, head: { seq: '0' } });
});

test('a long chain verifies in bounded batches: one query per batch, never the whole table', async () => {
  await Promise.all(Array.from({ length: 1234 }, (_, i) => writer.append(readEvent(i))));
  const counting = new pg.Pool({ connectionString: database.url, max: 1 });
  const query = jest.spyOn(counting, 'query');
  const result = await verifyChain(counting, { batchSize: 100 });
  await counting.end();
  expect(result).toMatchObject({ ok: true, checked: 1234, firstBrokenId: null, firstBrokenSeq: null, reason: null });
  // 1 head read + 13 batches (12 full, 1 partial); each batch asks for at most 100 rows.
  expect(query).toHaveBeenCalledTimes(14);
  for (const call of query.mock.calls.slice(1)) expect((call[1] as unknown[]).at(-1)).toBe(100);
});

/** Tampers, checks what verification reports, then restores the original rows so later tests start clean. */
async function tamperAndVerify(seq: number, tamper: (c: pg.Client) => Promise<unknown>) {
  const before = await allRows(pool);
  await asTamperer(database.url, tamper);
  const result = await verifyChain(pool, { batchSize: 50 });
  await asTamperer(database.url, async (c) => {
    await c.query('DELETE FROM audit_event');
    await c.query(`INSERT INTO audit_event SELECT * FROM jsonb_populate_recordset(NULL::audit_event, $1::jsonb)`, [
      JSON.stringify(
        before.map((r) => ({
          ...r,
          recorded_at: r.recordedAt,
          actor_id: r.actorId,
          actor_roles: r.actorRoles,
          patient_id: r.patientId,
          purpose_of_use: r.purposeOfUse,
          request_id: r.requestId,
          prev_hash: r.prevHash,
        })),
      ),
    ]);
    await c.query('UPDATE audit_chain_head SET seq = $1, hash = $2', [before.at(-1)!.seq, before.at(-1)!.hash]);
  });
  await expect(verifyChain(pool)).resolves.toMatchObject({ ok: true });
  return { result, row: before[seq - 1] };
}

test('an altered row is reported at exactly that row', async () => {
  const { result, row } = await tamperAndVerify(777, (c) =>
    c.query(`UPDATE audit_event SET details = details || '{"n": -1}' WHERE seq = 777`),
  );
  expect(result).toMatchObject({ ok: false, firstBrokenId: row.id, firstBrokenSeq: '777', reason: 'hash_mismatch', checked: 1234 });
  expect(result.breaks).toMatchObject({ count: 1, firstSeq: '777', lastSeq: '777', byReason: { hash_mismatch: 1 } });
});

test('an altered row whose hash was recomputed breaks the link at the next row', async () => {
  const { result } = await tamperAndVerify(500, async (c) => {
    // The tamperer recomputes row 500's own hash; row 501 still points at the old one.
    const { chainHash } = await import('../../src/audit');
    const rows = await allRows(pool);
    const { hash: _old, ...unhashed } = { ...rows[499], outcome: 'minor_failure' };
    await c.query(`UPDATE audit_event SET outcome = 'minor_failure', hash = $1 WHERE seq = 500`, [chainHash(unhashed)]);
  });
  const rows = await allRows(pool);
  expect(result).toMatchObject({ ok: false, firstBrokenId: rows[500].id, firstBrokenSeq: '501', reason: 'prev_hash_mismatch' });
  expect(result.breaks).toMatchObject({ count: 1, byReason: { prev_hash_mismatch: 1 } });
});

test('a deleted row in the middle is a gap at the row after it', async () => {
  const { result } = await tamperAndVerify(100, (c) => c.query('DELETE FROM audit_event WHERE seq = 100'));
  const rows = await allRows(pool);
  expect(result).toMatchObject({ ok: false, firstBrokenId: rows[100].id, firstBrokenSeq: '101', reason: 'seq_gap' });
  expect(result.breaks).toMatchObject({ count: 1, byReason: { seq_gap: 1 } });
});

test('deleting the tail is caught by the chain head', async () => {
  const { result } = await tamperAndVerify(1233, (c) => c.query('DELETE FROM audit_event WHERE seq >= 1233'));
  expect(result).toMatchObject({ ok: false, firstBrokenId: null, firstBrokenSeq: '1233', reason: 'missing_rows', checked: 1232 });
});

test('a chain head that does not match the last row is reported', async () => {
  const { result, row } = await tamperAndVerify(1234, (c) => c.query(`UPDATE audit_chain_head SET hash = repeat('f', 64)`));
  expect(result).toMatchObject({ ok: false, firstBrokenId: row.id, firstBrokenSeq: '1234', reason: 'head_mismatch' });
});

test('every break is reported in one pass: a forged first row does not hide later edits and deletions', async () => {
  const { result } = await tamperAndVerify(1, async (c) => {
    await c.query(`UPDATE audit_event SET actor_id = 'forger' WHERE seq = 1`);
    await c.query(`UPDATE audit_event SET outcome = 'minor_failure' WHERE seq IN (300, 301)`);
    await c.query('DELETE FROM audit_event WHERE seq IN (600, 900, 901)');
    await c.query('DELETE FROM audit_event WHERE seq >= 1230');
  });
  const rows = await allRows(pool);
  expect(result).toMatchObject({ ok: false, firstBrokenSeq: '1', firstBrokenId: rows[0].id, reason: 'hash_mismatch', checked: 1229 - 3 });
  expect(result.breaks).toEqual({
    count: 6,
    firstSeq: '1',
    lastSeq: '1230',
    byReason: { hash_mismatch: 3, seq_gap: 2, missing_rows: 1, prev_hash_mismatch: 0, head_mismatch: 0 },
    rows: [
      { seq: '1', id: rows[0].id, reason: 'hash_mismatch' },
      { seq: '300', id: rows[299].id, reason: 'hash_mismatch' },
      { seq: '301', id: rows[300].id, reason: 'hash_mismatch' },
      { seq: '601', id: rows[600].id, reason: 'seq_gap' },
      { seq: '902', id: rows[901].id, reason: 'seq_gap' },
      { seq: '1230', id: null, reason: 'missing_rows' },
    ],
  });
});

test('rows appended while verification runs are left for the next run, not reported as broken', async () => {
  const appending = Promise.all(Array.from({ length: 300 }, (_, i) => writer.append(readEvent(5000 + i))));
  const result = await verifyChain(pool, { batchSize: 25 });
  await appending;
  expect(result.ok).toBe(true);
  expect(result.checked).toBe(Number(result.head.seq));
  await expect(verifyChain(pool)).resolves.toMatchObject({ ok: true, checked: 1534 });
});

test('what callers pass is hashed as it is stored: upper-case uuids, Dates and undefined in details still verify', async () => {
  await writer.append(
    readEvent(1, {
      id: 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D',
      patientId: '7D1F3C2E-8A4B-4C5D-9E6F-0A1B2C3D4E5F',
      details: { at: new Date('2026-01-02T03:04:05Z') as never, missing: undefined as never, list: [1, 0.1 + 0.2, -0, 2 ** 60] },
    }),
  );
  await expect(verifyChain(pool)).resolves.toMatchObject({ ok: true });
});

test('a disclosure whose result row was lost (a crash between answer and commit) is counted, not hidden', async () => {
  const request = await writer.append({ ...readEvent(7000), action: 'llm.request' });
  const answered = await writer.append({ ...readEvent(7001), action: 'llm.request' });
  await writer.append({ ...readEvent(7002), action: 'llm.response', details: { requestEventId: answered.id, status: 200 } });
  const result = await verifyChain(pool, { unansweredAfterMs: 0 });
  expect(result).toMatchObject({ ok: true, unansweredRequests: { count: 1, firstSeq: request.seq } });
  // A request still within its grace period may yet be answered: not counted.
  await expect(verifyChain(pool)).resolves.toMatchObject({ unansweredRequests: { count: 0, firstSeq: null } });
});
