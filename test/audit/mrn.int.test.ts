// Compliance names patients by MRN: typed variants normalised, resolved server-side, every lookup audited, unknown → 404.
import request from 'supertest';
import { normalizeMrn, type AuditRecord } from '../../src/audit';
import { startTestApp, type TestApp } from '../support/app';
import { recordAttempt } from './fixtures';

let t: TestApp;
let officer: string;
let patient: { id: string; mrn: string };
let odd: { id: string; mrn: string };

beforeAll(async () => {
  t = await startTestApp();
  officer = await t.token(['compliance'], { sub: 'officer-mrn' });
  patient = await t.db.patient.findFirstOrThrow({ orderBy: { mrn: 'asc' }, select: { id: true, mrn: true } });
  const wardId = (await t.db.ward.findFirstOrThrow()).id;
  const make = (mrn: string, bed: string) =>
    t.db.patient.create({
      data: { mrn, givenName: 'Test', familyName: 'Patient', birthDate: new Date('1950-01-01'), wardId, bed },
      select: { id: true, mrn: true },
    });
  // Stored the way some EHR exports keep them: not in canonical form.
  odd = await make('abc-123 45', 'Z1');
  await make('dup-77', 'Z2');
  await make('DUP 77', 'Z3');
  await recordAttempt(t.audit, patient.id, 'r-mrn');
  // The result row is queued to ride with the next commit: wait until it has committed.
  await t.audit.settled();
});
afterAll(() => t.close());

const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${officer}`);

async function rowById(id: string): Promise<AuditRecord & { details: Record<string, unknown> }> {
  const { rows } = await t.pool.query(`SELECT id, action, outcome, patient_id AS "patientId", details FROM audit_event WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}
async function lastRow(): Promise<AuditRecord & { details: Record<string, unknown> }> {
  const { rows } = await t.pool.query(
    `SELECT id, action, outcome, patient_id AS "patientId", details FROM audit_event ORDER BY seq DESC LIMIT 1`,
  );
  return rows[0];
}

test.each([
  ['SYN0107919', 'SYN0107919'],
  ['syn0107919', 'SYN0107919'],
  ['  SYN 010 7919 ', 'SYN0107919'],
  ['SYN-010-7919', 'SYN0107919'],
  ['SYN\u2013010\u20117919', 'SYN0107919'], // en dash, non-breaking hyphen
  ['SYN\u00a00107919', 'SYN0107919'], // no-break space
  ['ＳＹＮ０１０７９１９', 'SYN0107919'], // full-width, as some input methods type
  ['SYN/0107919', 'SYN/0107919'], // not a separator: kept, then refused by the pattern
])('normalizeMrn(%j) → %j', (typed, canonical) => {
  expect(normalizeMrn(typed)).toBe(canonical);
});

test('the review by MRN: typed loosely, resolved to the patient, recorded as a lookup without the MRN itself', async () => {
  const typed = `${patient.mrn.slice(0, 3).toLowerCase()} ${patient.mrn.slice(3, 6)}-${patient.mrn.slice(6)}`;
  const res = await get(`/v1/audit-events?mrn=${encodeURIComponent(typed)}`).expect(200);
  expect(res.body.patient).toEqual({ id: patient.id, mrn: patient.mrn });
  expect(res.body.events.length).toBeGreaterThanOrEqual(2);
  expect(res.body.events.every((e: AuditRecord) => e.patientId === patient.id)).toBe(true);
  const row = await rowById(res.headers['x-audit-event-id']);
  expect(row).toMatchObject({
    action: 'audit.read',
    outcome: 'success',
    patientId: patient.id,
    details: { view: 'list', lookup: 'mrn', filters: { patientId: patient.id } },
  });
  expect(JSON.stringify(row)).not.toContain(patient.mrn);
});

test('a stored MRN in another form is still found (same normalisation on both sides)', async () => {
  const res = await get('/v1/audit-events?mrn=ABC12345').expect(200);
  expect(res.body.patient).toEqual(odd);
});

test('an unknown MRN: 404 in the envelope, and the failed lookup is its own audit row', async () => {
  const res = await get('/v1/audit-events?mrn=NOPE0000001').expect(404);
  expect(res.body.error).toEqual({ code: 'not_found', message: 'patient with that MRN not found', requestId: res.headers['x-request-id'] });
  const row = await lastRow();
  expect(row).toMatchObject({
    action: 'audit.read',
    outcome: 'minor_failure',
    patientId: null,
    details: { view: 'list', lookup: 'mrn', found: false },
  });
  expect(JSON.stringify(row)).not.toContain('NOPE');
});

test('an MRN that two patients share once normalised: 409, nobody picked', async () => {
  const res = await get('/v1/disclosures?mrn=dup77').expect(409);
  expect(res.body.error.code).toBe('conflict');
  expect(await lastRow()).toMatchObject({ outcome: 'minor_failure', details: { view: 'disclosures', lookup: 'mrn', found: 'ambiguous' } });
});

test.each([
  ['both keys', () => `/v1/audit-events?mrn=${patient.mrn}&patientId=${patient.id}`],
  ['an MRN with a slash', () => '/v1/audit-events?mrn=SYN%2F01'],
  ['an empty MRN', () => '/v1/audit-events?mrn='],
  ['disclosures without a key', () => '/v1/disclosures'],
  ['disclosures with both keys', () => `/v1/disclosures?mrn=${patient.mrn}&patientId=${patient.id}`],
])('%s → 400', async (_name, path) => {
  const res = await get(path()).expect(400);
  expect(res.body.error.code).toBe('bad_request');
});

test('the accounting of disclosures by MRN names the patient by id and MRN (by id: no MRN added), audited as a lookup', async () => {
  const res = await get(`/v1/disclosures?mrn=${patient.mrn.toLowerCase()}`).expect(200);
  expect(res.body).toMatchObject({ patientId: patient.id, mrn: patient.mrn, from: null, to: null });
  expect(res.body.disclosures).toHaveLength(1);
  expect(await rowById(res.headers['x-audit-event-id'])).toMatchObject({
    patientId: patient.id,
    details: { view: 'disclosures', lookup: 'mrn' },
  });
  // By id, the same report (and no lookup recorded).
  const byId = await get(`/v1/disclosures?patientId=${patient.id}`).expect(200);
  expect(byId.body).toMatchObject({ patientId: patient.id, mrn: null });
  expect(byId.body.disclosures).toEqual(res.body.disclosures);
  expect((await rowById(byId.headers['x-audit-event-id'])).details.lookup).toBeUndefined();
  expect((await get(`/v1/disclosures?patientId=00000000-0000-4000-8000-000000000000`).expect(404)).body.error.code).toBe('not_found');
});

test('the export by MRN holds only that patient and records the lookup', async () => {
  const res = await get(`/v1/audit-events/export?mrn=${patient.mrn}`).expect(200);
  const rows = res.text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditRecord);
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => r.patientId))).toEqual(new Set([patient.id]));
  expect(await rowById(res.headers['x-audit-event-id'])).toMatchObject({
    action: 'audit.export',
    patientId: patient.id,
    details: { lookup: 'mrn' },
  });
});
