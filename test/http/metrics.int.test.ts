// GET /metrics: Prometheus text with request latency by route pattern, summary sources, audit and pool gauges; no PHI.
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let patientIds: string[];

beforeAll(async () => {
  t = await startTestApp();
  patientIds = (await t.db.patient.findMany({ orderBy: { bed: 'asc' }, take: 3, select: { id: true } })).map((p) => p.id);
});
afterAll(() => t.close());

test('latency is labelled by route pattern and status, never by the raw URL or a patient id', async () => {
  const token = await t.token(['clinician']);
  for (const id of patientIds)
    await request(t.app).get(`/v1/patients/${id}/summary?days=2`).set('Authorization', `Bearer ${token}`).expect(200);
  await request(t.app).get('/v1/patients/not-a-uuid/summary').set('Authorization', `Bearer ${token}`).expect(400);
  await request(t.app).get(`/v1/patients/${patientIds[0]}/summary`).expect(401);
  await request(t.app).get('/nowhere/at/all').expect(404);

  const text = (
    await request(t.app)
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /text\/plain/)
  ).text;
  const count = (labels: string) =>
    Number(new RegExp(`^shiftnote_http_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1]);
  expect(count('method="GET",route="/v1/patients/{patientId}/summary",status="200"')).toBe(3);
  // The failed request keeps its route label (Express forgets the mount path once an error leaves the router).
  expect(count('method="GET",route="/v1/patients/{patientId}/summary",status="400"')).toBe(1);
  expect(count('method="GET",route="unmatched",status="404"')).toBe(1);
  for (const id of patientIds) expect(text).not.toContain(id);
  expect(text).not.toContain('not-a-uuid');
  expect(text).not.toContain('days=');
});

test('summary sources, audit commits, audit queue depth and the audit pool are reported', async () => {
  const token = await t.token(['clinician']);
  await request(t.app).get(`/v1/patients/${patientIds[0]}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  const text = (await request(t.app).get('/metrics').expect(200)).text;
  expect(text).toMatch(/^shiftnote_summary_source_total\{source="fallback"\} [1-9]\d*$/m);
  expect(text).toMatch(/^shiftnote_audit_commit_duration_seconds_count [1-9]\d*$/m);
  expect(text).toMatch(/^shiftnote_audit_events_committed_total [1-9]\d*$/m);
  expect(text).toMatch(/^shiftnote_audit_queue_depth 0$/m);
  expect(text).toMatch(/^shiftnote_db_pool_connections\{pool="audit"\} \d+$/m);
  expect(text).toMatch(/^shiftnote_db_pool_idle_connections\{pool="audit"\} \d+$/m);
  expect(text).toMatch(/^shiftnote_db_pool_waiting_clients\{pool="audit"\} 0$/m);
});

test('with METRICS_TOKEN set, /metrics needs it', async () => {
  const guarded = await startTestApp({ seed: false, metricsToken: 'scrape-token-0123456789' });
  try {
    const res = await request(guarded.app).get('/metrics').expect(401);
    expect(res.body.error.code).toBe('unauthorized');
    await request(guarded.app).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    await request(guarded.app).get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789').expect(200);
  } finally {
    await guarded.close();
  }
});

test('the process registry carries default process metrics', async () => {
  const { createMetrics } = await import('../../src/metrics');
  const text = await createMetrics().registry.metrics();
  expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
});
