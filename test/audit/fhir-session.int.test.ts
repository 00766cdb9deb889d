// A ward session through the real failover client (retries, failover, a hedge) to two fake upstreams: the FHIR
// export and the accounting of disclosures count each outbound request exactly once.
import request from 'supertest';
import { openaiReply, startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';
import { bundleProblems } from './fhir-rules';

const grounded = JSON.stringify({ sentences: [{ text: 'The patient is being monitored on the ward.', facts: [] }] });

let a: FakeUpstream;
let b: FakeUpstream;
let t: TestApp;
let patients: string[];
let bundle: { id: string; entry: { fullUrl: string; resource: any }[] };
let received: RecordedRequest[];

const disclosures = () =>
  bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'AuditEvent' && r.subtype?.some((s: { code: string }) => s.code === 'disclose'));

beforeAll(async () => {
  [a, b] = await Promise.all([
    startFakeUpstream({ defaultStep: openaiReply(grounded) }),
    startFakeUpstream({ defaultStep: openaiReply(grounded) }),
  ]);
  t = await startTestApp({
    llmYaml: `
providers:
  - { name: primary, type: openai, base_url: ${a.url}, api_key: k, model: m-a, weight: 100, baa: true }
  - { name: secondary, type: openai, base_url: ${b.url}, api_key: k, model: m-b, weight: 0, baa: true }
routing:
  strategy: failover
  fallback_on: [5xx, timeout, 429, connection]
  attempt_timeout_ms: 8000
  deadline_ms: 15000
  retries_per_provider: 1
  hedge: { enabled: true, delay_ms: 1000 }
  breaker: { failure_threshold: 100, min_volume: 100 }
  backoff: { base_ms: 1, max_ms: 5 }
`,
  });
  patients = (await t.db.patient.findMany({ orderBy: { mrn: 'asc' }, take: 3, select: { id: true } })).map((p) => p.id);
  const nurse = await t.token(['clinician'], { sub: 'nurse-session' });
  const summary = (patientId: string) =>
    request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${nurse}`).expect(200);

  // 1. The primary fails twice (first try and its retry): failover to the secondary.
  a.script([{ status: 503 }, { status: 503 }]);
  await summary(patients[0]);
  // 2. The primary is slow: a hedge goes to the secondary, which answers once the primary has the request; the primary loses.
  a.script([{ ...openaiReply(grounded), delayMs: 10_000 }]);
  const sentToA = a.requests.length;
  b.onRequest(() => a.waitForRequests(sentToA + 1, 10_000));
  const hedged = await summary(patients[1]);
  b.onRequest(null);
  expect(hedged.body.provider).toBe('secondary');
  await a.waitFor((r) => r[sentToA]?.state === 'aborted', 10_000);
  // 3. A plain answer from the primary.
  await summary(patients[2]);

  // Results are queued behind the reads (appendLater): wait until each attempt's result row is committed.
  await t.audit.settled();
  const { rows } = await t.pool.query(
    `SELECT count(*) FILTER (WHERE action = 'llm.request')::int AS sent, count(*) FILTER (WHERE action = 'llm.response')::int AS answered FROM audit_event`,
  );
  expect(rows[0].answered).toBe(rows[0].sent);
  received = [...a.requests, ...b.requests];
  const officer = await t.token(['compliance'], { sub: 'officer-session' });
  bundle = JSON.parse(
    (await request(t.app).get('/v1/audit-events/export?format=fhir').set('Authorization', `Bearer ${officer}`).expect(200)).text,
  );
}, 60_000);

afterAll(async () => {
  await t.close();
  await Promise.all([a.close(), b.close()]);
});

test('the session had retries, a failover and a hedge', () => {
  const starts = received.map((r) => r.headers['x-audit-event-id']);
  expect(new Set(starts).size).toBe(received.length);
  expect(received.length).toBeGreaterThanOrEqual(6); // 503, 503 retry, failover; primary + hedge; primary
  expect(a.requests.filter((r) => r.state === 'aborted')).toHaveLength(1);
});

test('one disclosure event per outbound request: the same ids that went out as X-Audit-Event-Id, each once', async () => {
  const ids = disclosures().map((e) => e.id);
  expect(ids.sort()).toEqual(received.map((r) => String(r.headers['x-audit-event-id'])).sort());
  const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'llm.request'`);
  expect(ids).toHaveLength(rows[0].n);
  // The llm.response rows are inside those events, not beside them.
  expect(bundle.entry.filter((e) => e.resource.resourceType === 'AuditEvent')).toHaveLength(
    (
      await t.pool.query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action <> 'llm.response' AND seq < (SELECT seq FROM audit_event WHERE id = $1)`,
        [bundle.id],
      )
    ).rows[0].n,
  );
  expect(bundleProblems(bundle)).toEqual([]);
});

test("each disclosure carries its attempt's outcome: two 503s, a lost hedge, successes", () => {
  const byOutcome = (code: string) => disclosures().filter((e) => e.outcome === code);
  expect(
    byOutcome('8')
      .map((e) => e.outcomeDesc)
      .sort(),
  ).toEqual(['5xx, HTTP 503', '5xx, HTTP 503', 'hedge_lost']);
  expect(byOutcome('0')).toHaveLength(received.length - 3);
  for (const e of disclosures())
    expect(e.entity.find((x: any) => x.role?.code === '3').detail.map((d: any) => d.type)).toContain('responseEventId');
});

test('the accounting of disclosures agrees, patient by patient', async () => {
  const officer = await t.token(['compliance']);
  const perPatient = await Promise.all(
    patients.map(
      async (id) =>
        (await request(t.app).get(`/v1/patients/${id}/disclosures`).set('Authorization', `Bearer ${officer}`).expect(200)).body.disclosures
          .length,
    ),
  );
  expect(perPatient.reduce((x: number, y: number) => x + y, 0)).toBe(received.length);
  const fhirPerPatient = patients.map(
    (id) => disclosures().filter((e) => e.entity.some((x: any) => x.what?.reference === `urn:uuid:${id}`)).length,
  );
  expect(fhirPerPatient).toEqual(perPatient);
});
