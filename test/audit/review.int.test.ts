// Compliance review API: role checks, filters, stable cursor pagination, and every read audited before it is answered.
import request from 'supertest';
import { AUDIT_ACTIONS, type AuditRecord } from '../../src/audit';
import { startTestApp, type TestApp } from '../support/app';
import { asTamperer, PATIENT, readEvent } from './fixtures';

let t: TestApp;
let officer: string;
let clinician: string;
const OTHER_PATIENT = '11111111-2222-4333-8444-555555555555';

beforeAll(async () => {
  t = await startTestApp();
  officer = await t.token(['compliance'], { sub: 'officer-1' });
  clinician = await t.token(['clinician'], { sub: 'clin-1' });
  for (let i = 0; i < 30; i++) {
    await t.audit.append(readEvent(i, { patientId: i % 3 === 0 ? OTHER_PATIENT : PATIENT, actorId: i % 2 ? 'clin-odd' : 'clin-even' }));
  }
});

afterAll(async () => {
  await t.close();
});

const get = (path: string, token = officer) => request(t.app).get(path).set('Authorization', `Bearer ${token}`);

async function lastRow(): Promise<AuditRecord & { details: Record<string, unknown> }> {
  const { rows } = await t.pool.query(
    `SELECT id, action, outcome, actor_id AS "actorId", patient_id AS "patientId", purpose_of_use AS "purposeOfUse", request_id AS "requestId", details
       FROM audit_event ORDER BY seq DESC LIMIT 1`,
  );
  return rows[0];
}

describe('access', () => {
  const paths = [
    '/v1/audit-events',
    '/v1/audit-events/verify',
    '/v1/audit-events/export',
    `/v1/audit-events/${PATIENT}`,
    `/v1/patients/${PATIENT}/disclosures`,
  ];

  test.each(paths)('a clinician gets 403 on %s', async (path) => {
    const res = await get(path, clinician);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden' });
  });

  test.each(paths)('no token gets 401 on %s', async (path) => {
    expect((await request(t.app).get(path)).status).toBe(401);
  });

  test.each([
    ['DELETE', '/v1/audit-events'],
    ['DELETE', `/v1/audit-events/${PATIENT}`],
    ['PUT', `/v1/audit-events/${PATIENT}`],
    ['PATCH', `/v1/audit-events/${PATIENT}`],
    ['POST', '/v1/audit-events'],
  ])('no API changes or deletes audit rows: %s %s → 404 envelope', async (method, path) => {
    const res = await request(t.app)[method.toLowerCase() as 'delete'](path).set('Authorization', `Bearer ${officer}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', requestId: expect.any(String) });
  });
});

describe('GET /v1/audit-events', () => {
  test('newest first, default limit 50, each read recorded before the response with its filters', async () => {
    const res = await get('/v1/audit-events').set('X-Request-Id', 'review-1');
    expect(res.status).toBe(200);
    const seqs = res.body.events.map((e: AuditRecord) => Number(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(res.body.events.length).toBeLessThanOrEqual(50);
    expect(res.body.events[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: expect.any(String) }),
    );
    // Read straight after the response: the audit row was committed before it was sent.
    expect(await lastRow()).toMatchObject({
      action: 'audit.read',
      actorId: 'officer-1',
      purposeOfUse: 'HOPERAT',
      // Our own id, never the client's (which could reuse another request's): that one is echoed beside it.
      requestId: res.headers['x-request-id'],
      details: { view: 'list', filters: { limit: 50 }, returned: res.body.events.length },
    });
  });

  test('filters combine: patient, actor, action, time window', async () => {
    const res = await get(`/v1/audit-events?patientId=${OTHER_PATIENT}&actorId=clin-even&action=summary.read&limit=500`);
    expect(res.status).toBe(200);
    // i % 3 === 0 and i even, i < 30: 0, 6, 12, 18, 24
    expect(res.body.events).toHaveLength(5);
    for (const e of res.body.events) expect(e).toMatchObject({ patientId: OTHER_PATIENT, actorId: 'clin-even', action: 'summary.read' });
    expect(res.body.nextCursor).toBeNull();
    expect(await lastRow()).toMatchObject({
      patientId: OTHER_PATIENT,
      details: { filters: { patientId: OTHER_PATIENT, actorId: 'clin-even', action: 'summary.read', limit: 500 } },
    });

    const future = await get('/v1/audit-events?from=2999-01-01T00:00:00Z');
    expect(future.body.events).toEqual([]);
    const past = await get('/v1/audit-events?to=2000-01-01');
    expect(past.body.events).toEqual([]);
    const now = await get(
      `/v1/audit-events?from=2000-01-01&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&action=summary.read&limit=500`,
    );
    expect(now.body.events).toHaveLength(30);
  });

  test('the cursor is stable under concurrent inserts: pages never repeat or skip', async () => {
    const first = await get('/v1/audit-events?action=summary.read&limit=7');
    expect(first.body.events).toHaveLength(7);
    // New rows arrive between pages; they are newer than every cursor, so the walk is unaffected.
    await Promise.all(Array.from({ length: 10 }, (_, i) => t.audit.append(readEvent(100 + i))));
    const seen: string[] = first.body.events.map((e: AuditRecord) => e.seq);
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await get(`/v1/audit-events?action=summary.read&limit=7&cursor=${cursor}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.events.map((e: AuditRecord) => e.seq));
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));
    expect(await lastRow()).toMatchObject({ details: { filters: { cursor: expect.any(String) } } });
  });

  test.each([
    ['limit=0'],
    ['limit=501'],
    ['limit=abc'],
    ['cursor=bm90LWEtc2Vx'],
    ['cursor=%21%21'],
    [`cursor=${Buffer.from('9999999999999999999').toString('base64url')}`],
    ['patientId=not-a-uuid'],
    ['action=summary.delete'],
    ['from=yesterday'],
    ['from=2026-01-02T00:00:00'],
    ['from=2026-01-02&to=2026-01-01'],
    ['actorId='],
    ['limit=5&limit=6'],
    ['colour=blue'],
  ])('%s → 400 envelope, not audited', async (qs) => {
    const before = await lastRow();
    const res = await get(`/v1/audit-events?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', requestId: expect.any(String) });
    expect((await lastRow()).id).toBe(before.id);
  });

  test('every action the service writes is a valid filter', async () => {
    for (const action of AUDIT_ACTIONS) expect((await get(`/v1/audit-events?action=${action}&limit=1`)).status).toBe(200);
  });
});

describe('GET /v1/audit-events/:id', () => {
  test('returns the row and records the read', async () => {
    const row = await t.audit.append(readEvent(999));
    const res = await get(`/v1/audit-events/${row.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(row);
    expect(await lastRow()).toMatchObject({ action: 'audit.read', details: { view: 'event', eventId: row.id, returned: 1 } });
  });

  test('an unknown id is a 404 envelope (and the attempt is recorded); a malformed one a 400', async () => {
    const res = await get('/v1/audit-events/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found' });
    expect(await lastRow()).toMatchObject({ details: { returned: 0 } });
    expect((await get('/v1/audit-events/12345')).status).toBe(400);
  });
});

describe('GET /v1/audit-events/verify', () => {
  test('reports ok and is itself audited', async () => {
    const res = await get('/v1/audit-events/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, firstBrokenId: null, firstBrokenSeq: null, auditEventId: expect.any(String) });
    expect(res.body.checked).toBe(Number(res.body.head.seq));
    expect(await lastRow()).toMatchObject({ id: res.body.auditEventId, action: 'audit.verify', outcome: 'success', details: { ok: true } });
  });

  test('a row altered behind the triggers fails verification at exactly that row, recorded as a serious failure', async () => {
    const victim = await t.audit.append(readEvent(4242));
    await t.audit.append(readEvent(4243));
    await asTamperer(t.database.url, (c) => c.query(`UPDATE audit_event SET actor_id = 'someone-else' WHERE id = $1`, [victim.id]));
    const res = await get('/v1/audit-events/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenId: victim.id, firstBrokenSeq: victim.seq, reason: 'hash_mismatch' });
    expect(await lastRow()).toMatchObject({
      id: res.body.auditEventId,
      action: 'audit.verify',
      outcome: 'serious_failure',
      details: { ok: false, firstBrokenId: victim.id, firstBrokenSeq: victim.seq },
    });
    // The FHIR view of that row is a DICOM Security Alert.
    const fhir = await get(`/v1/audit-events/export?format=fhir&action=audit.verify`);
    const alert = JSON.parse(fhir.text).entry.find((e: { resource: { id: string } }) => e.resource.id === res.body.auditEventId);
    // The export's snapshot ends before its own row, which came after the verify row.
    expect(alert.resource.type).toMatchObject({ code: '110113', display: 'Security Alert' });
  });

  test('verify takes no parameters', async () => {
    expect((await get('/v1/audit-events/verify?full=1')).status).toBe(400);
  });
});
