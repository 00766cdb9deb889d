// Two identifiers on the ward board: name, date of birth and MRN reach clinicians who may see the ward, every view
// is audited, and none of them reaches the model, the logs, the metrics, the spans or the audit rows' content.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mintToken } from '../../src/http/auth';
import { carefulReply } from '../support/careful-answer';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';
import { llmYaml, startOpenAiStub } from './openai-stub';

let upstream: FakeUpstream;
let t: TestApp;
const logLines: string[] = [];
let ward: { id: string; patients: { id: string; bed: string; givenName: string; familyName: string; mrn: string; birthDate: Date }[] };

/** Every spelling of a patient's identifiers that would count as a leak. */
function spellings(p: (typeof ward.patients)[number]): string[] {
  const iso = p.birthDate.toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-');
  return [
    p.givenName,
    p.familyName,
    `${p.familyName}, ${p.givenName}`,
    p.mrn,
    p.mrn.toLowerCase(),
    iso,
    `${d}/${m}/${y}`,
    `${m}/${d}/${y}`,
    `${d}.${m}.${y}`,
  ];
}
const leaks = (text: string) => ward.patients.flatMap(spellings).filter((s) => text.includes(s));

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: carefulReply() });
  // One clock for the file: its revalidations must not straddle a 0.1 h step of every "hours ago" (which rightly
  // changes the ETag). Nothing here writes patient data.
  const clock = new Date();
  t = await startTestApp({
    now: () => clock,
    logStream: { write: (line: string) => void logLines.push(line) },
    llmYaml: `
providers:
  - { name: local, type: openai, base_url: ${upstream.url}, api_key: k, model: m, weight: 100 }
routing: { strategy: failover, attempt_timeout_ms: 4000, deadline_ms: 8000, retries_per_provider: 0 }
`,
  });
  ward = await t.db.ward.findFirstOrThrow({
    orderBy: { code: 'asc' },
    select: {
      id: true,
      patients: { orderBy: { bed: 'asc' }, select: { id: true, bed: true, givenName: true, familyName: true, mrn: true, birthDate: true } },
    },
  });
});

afterAll(async () => {
  await t.close();
  await upstream.close();
});

const expected = (p: (typeof ward.patients)[number]) => ({
  givenName: p.givenName,
  familyName: p.familyName,
  birthDate: p.birthDate.toISOString().slice(0, 10),
  mrn: p.mrn,
});
/** The audit rows of one response (audit rows carry the server's request id, returned in X-Request-Id). */
const rowsOf = async (res: { headers: Record<string, string> }) =>
  (
    await t.pool.query(`SELECT action, patient_id, purpose_of_use, details FROM audit_event WHERE request_id = $1 ORDER BY seq`, [
      res.headers['x-request-id'],
    ])
  ).rows;

describe('GET /v1/wards/{wardId}/patients', () => {
  test('a clinician sees name, date of birth and MRN for every patient; one patient.list row per patient records it', async () => {
    const nurse = await t.token(['clinician'], { sub: 'nurse-ids', wardIds: [ward.id] });
    const res = await request(t.app).get(`/v1/wards/${ward.id}/patients`).set('Authorization', `Bearer ${nurse}`).expect(200);
    expect(res.body.patients).toEqual(ward.patients.map((p) => ({ id: p.id, bed: p.bed, identifiers: expected(p) })));
    const rows = await rowsOf(res);
    expect(rows).toHaveLength(ward.patients.length);
    expect(new Set(rows.map((r) => r.patient_id))).toEqual(new Set(ward.patients.map((p) => p.id)));
    for (const r of rows) {
      expect(r).toMatchObject({
        action: 'patient.list',
        purpose_of_use: 'TREAT',
        details: { wardId: ward.id, identifiersShown: ['name', 'birthDate', 'mrn'] },
      });
    }
    // The rows say that identifiers were shown, never what they were.
    expect(leaks(JSON.stringify(rows))).toEqual([]);
  });

  test('a service token gets the listing without identifiers, and nothing is recorded', async () => {
    const service = await t.token(['service'], { sub: 'dashboard-ids' });
    const res = await request(t.app).get(`/v1/wards/${ward.id}/patients`).set('Authorization', `Bearer ${service}`).expect(200);
    expect(res.body.patients.every((p: { identifiers: unknown }) => p.identifiers === null)).toBe(true);
    expect(leaks(res.text)).toEqual([]);
    expect(await rowsOf(res)).toEqual([]);
  });

  test('a clinician of another ward sees nothing', async () => {
    const other = await t.token(['clinician'], { wardIds: ['00000000-0000-4000-8000-000000000001'] });
    const res = await request(t.app).get(`/v1/wards/${ward.id}/patients`).set('Authorization', `Bearer ${other}`).expect(403);
    expect(leaks(res.text)).toEqual([]);
  });
});

describe('GET /v1/wards/{wardId}/summaries', () => {
  let etag: string;

  test.each(['json', 'ndjson'])(
    '%s: each result carries the identifiers and its summary.read row records identifiersShown',
    async (format) => {
      const nurse = await t.token(['clinician'], { sub: 'nurse-board' });
      const res = await request(t.app)
        .get(`/v1/wards/${ward.id}/summaries?format=${format}`)
        .set('Authorization', `Bearer ${nurse}`)
        .expect(200);
      const results =
        format === 'json'
          ? res.body.results
          : res.text
              .trimEnd()
              .split('\n')
              .map((l) => JSON.parse(l));
      expect(results).toHaveLength(ward.patients.length);
      for (const r of results) {
        expect(r.status).toBe('ok');
        expect(r.identifiers).toEqual(expected(ward.patients.find((p) => p.id === r.patientId)!));
        // The summary itself stays free of identifiers.
        expect(leaks(JSON.stringify(r.summary))).toEqual([]);
      }
      const reads = (await rowsOf(res)).filter((r) => r.action === 'summary.read');
      expect(reads).toHaveLength(ward.patients.length);
      for (const r of reads) expect(r.details).toMatchObject({ wardId: ward.id, identifiersShown: ['name', 'birthDate', 'mrn'] });
      etag = res.headers.etag;
    },
  );

  test('a revalidation (304) is audited as a view of the identifiers too; a service token gets none and another ETag', async () => {
    const nurse = await t.token(['clinician'], { sub: 'nurse-board' });
    const revalidated = await request(t.app)
      .get(`/v1/wards/${ward.id}/summaries`)
      .set('Authorization', `Bearer ${nurse}`)
      .set('If-None-Match', etag)
      .expect(304);
    const rows = await rowsOf(revalidated);
    expect(rows).toHaveLength(ward.patients.length);
    for (const r of rows) expect(r.details).toMatchObject({ notModified: true, identifiersShown: ['name', 'birthDate', 'mrn'] });

    const service = await t.token(['service'], { sub: 'dashboard-board' });
    const res = await request(t.app)
      .get(`/v1/wards/${ward.id}/summaries`)
      .set('Authorization', `Bearer ${service}`)
      .set('If-None-Match', etag)
      .expect(200);
    expect(res.headers.etag).not.toBe(etag);
    expect(res.body.results.every((r: { identifiers: unknown }) => r.identifiers === null)).toBe(true);
    expect(leaks(res.text)).toEqual([]);
    for (const r of await rowsOf(res)) expect(r.details.identifiersShown).toBeUndefined();
  });

  test('no identifier reached the model, the logs, the metrics or any audit row', async () => {
    expect(upstream.requests.length).toBeGreaterThanOrEqual(ward.patients.length);
    expect(leaks(upstream.requests.map((r) => r.body).join('\n'))).toEqual([]);
    expect(logLines.length).toBeGreaterThan(5);
    expect(leaks(logLines.join('\n'))).toEqual([]);
    const metrics = await request(t.app).get('/metrics').expect(200);
    expect(leaks(metrics.text)).toEqual([]);
    const { rows } = await t.pool.query('SELECT target, details, actor_id, request_id FROM audit_event');
    expect(leaks(JSON.stringify(rows))).toEqual([]);
  });
});

test('no span of a traced board (ward patients, ward summaries as NDJSON) holds an identifier', async () => {
  const stub = await startOpenAiStub();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-ids-')), 'spans.json');
  const secret = 'ids-trace-secret-ids-trace-secret-0123456789';
  const token = await mintToken(secret, { sub: 'nurse-trace', roles: ['clinician'] });
  const paths = [`/v1/wards/${ward.id}/patients`, `/v1/wards/${ward.id}/summaries?format=ndjson`];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, '..', 'telemetry', 'trace-child.ts')],
        {
          cwd: path.resolve(__dirname, '..', '..'),
          env: {
            ...process.env,
            DATABASE_URL: t.database.url,
            LLM_YAML: llmYaml(stub.url),
            AUTH_JWT_SECRET: secret,
            TOKEN: token,
            PATHS: JSON.stringify(paths),
            SPANS_OUT: out,
          },
          timeout: 60_000,
        },
        (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
      );
    });
  } finally {
    await stub.close();
  }
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    answers: { status: number; body: unknown }[];
    spans: { name: string; attributes: object; events: { attributes?: object }[] }[];
  };
  expect(result.answers.map((a) => a.status)).toEqual([200, 200]);
  // The responses did carry identifiers (so the spans had the chance to leak them)…
  expect(leaks(JSON.stringify(result.answers)).length).toBeGreaterThan(0);
  expect(result.spans.length).toBeGreaterThan(20);
  // …and no span name, attribute or event holds one. Nor did the model see one.
  expect(leaks(JSON.stringify(result.spans))).toEqual([]);
  expect(leaks(stub.requests.map((r) => r.body).join('\n'))).toEqual([]);
}, 90_000);
