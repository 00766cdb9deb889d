// One deadline per summary: every model call of a summary (first answer, repairs, the next provider) and of a ward batch ends by it.
import request from 'supertest';
import { openaiReply, startFakeUpstream, type FakeStep, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

const DEADLINE_MS = 1000;
// Fallback assembly, the summary.read commit and HTTP on a loaded 2-core machine: generous, but far below
// what a deadline restarted per call would take (each scenario below needs 2–4 × 900 ms that way).
const MARGIN_MS = 600;

let a: FakeUpstream;
let b: FakeUpstream;
let one: TestApp;
let two: TestApp;
let wardId: string;
let patients: string[];
/** A patient of its own per test: no test can be answered from another's cached summary. */
let nextPatient = 0;

const yaml = (providers: { name: string; url: string; weight: number }[]) => `
providers:
${providers.map((p) => `  - { name: ${p.name}, type: openai, base_url: ${p.url}, api_key: k, model: m-${p.name}, weight: ${p.weight} }`).join('\n')}
routing: { strategy: failover, fallback_on: [5xx, timeout, 429, connection], attempt_timeout_ms: 2000, deadline_ms: ${DEADLINE_MS}, retries_per_provider: 0 }
`;

/** Valid JSON, answered in time, and false: each one gets the grounding repair turn. */
// 97: no NEWS2 is that high, so the claim is false for every seeded patient (0 is true for some, depending on the
// time of day the template database was seeded).
const slowUngrounded: FakeStep = { ...openaiReply(JSON.stringify({ sentences: [{ text: 'NEWS2 is 97.', facts: [] }] })), delayMs: 900 };
/** Answered inside every timeout (900 ms of a 2000 ms attempt timeout and a 1000 ms call deadline), but unusable. */
const slowGarbage: FakeStep = { ...openaiReply('Sure! Here is the summary you asked for: the patient'), delayMs: 900 };

beforeAll(async () => {
  [a, b] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
  one = await startTestApp({ llmYaml: yaml([{ name: 'a', url: a.url, weight: 100 }]) });
  two = await startTestApp({
    llmYaml: yaml([
      { name: 'a', url: a.url, weight: 100 },
      { name: 'b', url: b.url, weight: 0 },
    ]),
    database: one.database,
    instance: 'second',
  });
  const w1 = await one.db.ward.findFirstOrThrow({ where: { code: 'W1' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  patients = w1.patients.map((p) => p.id);
  wardId = (await one.db.ward.findFirstOrThrow({ where: { code: 'W2' } })).id;
  // One read first, answered at once: the timed reads then measure the deadline, not a cold start.
  a.setDefault(openaiReply('warm-up'));
  await timedSummary(one, patients[patients.length - 1]);
  await timedSummary(two, patients[patients.length - 2]);
});

afterAll(async () => {
  await two.close();
  await one.close();
  await Promise.all([a.close(), b.close()]);
});

beforeEach(() => {
  a.reset();
  b.reset();
});

async function timedSummary(t: TestApp, id = patients[nextPatient++]) {
  const token = await t.token(['clinician']);
  const started = performance.now();
  const res = await request(t.app).get(`/v1/patients/${id}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  return { body: res.body, ms: performance.now() - started };
}

/** Quick enough that an answer gets its repair turn and the next provider is asked; all four calls outlast the deadline. */
const quickGarbage: FakeStep = { ...slowGarbage, delayMs: 300 };
const quickUngrounded: FakeStep = { ...slowUngrounded, delayMs: 300 };

describe.each([
  ['slow garbage', slowGarbage, 1],
  ['slow ungrounded JSON', slowUngrounded, 1],
  ['quick garbage (every answer repaired)', quickGarbage, 2],
  ['quick ungrounded JSON (every answer repaired)', quickUngrounded, 2],
])('%s from every provider', (_name, step, calls) => {
  test('one provider: the fallback arrives by the deadline', async () => {
    a.setDefault(step);
    const { body, ms } = await timedSummary(one);
    expect(body.source).toBe('fallback');
    // The quick answers leave time for a repair turn (what remains ≥ what the answer took); the slow ones do not.
    expect(a.requests.length).toBe(calls);
    expect(body.grounding.repair.attempted).toBe(calls > 1);
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  });

  test('two providers: the fallback arrives by the same deadline', async () => {
    a.setDefault(step);
    b.setDefault(step);
    const { body, ms } = await timedSummary(two);
    expect(body.source).toBe('fallback');
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  });
});

test('garbage, then a provider that hangs: the fallback arrives by the deadline', async () => {
  a.setDefault(slowGarbage);
  b.setDefault({ hang: true });
  const { body, ms } = await timedSummary(two);
  expect(body.source).toBe('fallback');
  expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
});

test('a hanging provider: the fallback arrives by the deadline', async () => {
  a.setDefault({ hang: true });
  b.setDefault({ hang: true });
  const { body, ms } = await timedSummary(two);
  expect(body.source).toBe('fallback');
  expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
});

test('a ward batch shares one deadline: every patient (12, 4 at a time) is answered by it', async () => {
  a.setDefault(slowGarbage);
  const token = await one.token(['clinician']);
  const started = performance.now();
  const res = await request(one.app).get(`/v1/wards/${wardId}/summaries`).set('Authorization', `Bearer ${token}`).expect(200);
  const ms = performance.now() - started;
  expect(res.body.results).toHaveLength(12);
  expect(
    res.body.results.every((r: { status: string; summary?: { source: string } }) => r.status === 'ok' && r.summary?.source === 'fallback'),
  ).toBe(true);
  expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  // Patients whose turn came after the deadline made no model call at all.
  expect(a.requests.length).toBeLessThanOrEqual(8);
});
