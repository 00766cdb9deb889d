// The repair turn through the real client and HTTP fakes: same provider, its own audited attempt, nothing echoed, roles alternating.
import request from 'supertest';
import { carefulAnswer } from '../support/careful-answer';
import { anthropicReply, openaiReply, startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let first: FakeUpstream;
let second: FakeUpstream;
let t: TestApp;
let patients: { id: string; givenName: string; familyName: string; mrn: string; bed: string }[];
let next = 0;

beforeAll(async () => {
  [first, second] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
  // An Anthropic provider first (its API rejects an empty assistant turn), an OpenAI-compatible one as failover.
  t = await startTestApp({
    cache: false,
    llmYaml: `
providers:
  - { name: claude, type: anthropic, base_url: ${first.url}, api_key: k, model: claude-test, weight: 100 }
  - { name: backup, type: openai, base_url: ${second.url}, api_key: k, model: gpt-test, weight: 0 }
routing: { strategy: failover, fallback_on: [5xx, timeout, 429, connection], attempt_timeout_ms: 4000, deadline_ms: 8000, retries_per_provider: 0 }
`,
  });
  patients = await t.db.patient.findMany({ orderBy: { bed: 'asc' } });
});

afterAll(async () => {
  await t.close();
  await Promise.all([first.close(), second.close()]);
});

beforeEach(() => {
  first.reset();
  second.reset();
});

async function summary() {
  const patient = patients[next++];
  const token = await t.token(['clinician']);
  const res = await request(t.app).get(`/v1/patients/${patient.id}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  const { rows } = await t.pool.query(`SELECT action, target FROM audit_event WHERE request_id = $1 ORDER BY seq`, [
    res.headers['x-request-id'],
  ]);
  return { body: res.body, rows, patient };
}

type Message = { role: string; content: string };
const messages = (r: RecordedRequest) => (r.json as { messages: Message[] }).messages;
/** The careful answer for the request the upstream received, as an Anthropic reply. */
const careful = { reply: (r: RecordedRequest) => anthropicReply(carefulAnswer(r.json)) };

test('an unusable answer (180 KB of garbage, under the body cap) is never sent back: the repair carries a fixed stand-in, roles alternate, nothing is empty', async () => {
  const garbage = `Sure, here it is: ${'lorem ipsum '.repeat(15_000)}`;
  first.script([anthropicReply(garbage), careful]);
  const { body, rows } = await summary();
  expect(body).toMatchObject({ source: 'llm', provider: 'claude', grounding: { ok: true, repair: { attempted: true, rescued: true } } });
  expect(first.requests).toHaveLength(2);
  expect(second.requests).toHaveLength(0);
  const repair = first.requests[1];
  expect(repair.body).not.toContain('lorem ipsum');
  expect(repair.body.length).toBeLessThan(first.requests[0].body.length + 2_000);
  const turns = messages(repair);
  expect(turns.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(turns.every((m) => m.content.trim().length > 0)).toBe(true);
  expect(turns[2].content).toMatch(/not a JSON object/);
  // Two attempts, each its own audited disclosure, both to the provider that answered.
  expect(rows.filter((r) => r.action === 'llm.request').map((r) => r.target.provider)).toEqual(['claude', 'claude']);
  expect(repair.headers['x-audit-event-id']).not.toBe(first.requests[0].headers['x-audit-event-id']);
});

test('an empty answer: the repair still has a non-empty assistant turn', async () => {
  first.script([anthropicReply(''), careful]);
  const { body } = await summary();
  expect(body.source).toBe('llm');
  expect(messages(first.requests[1]).every((m) => m.content.trim().length > 0)).toBe(true);
});

test('an ungrounded answer gets one repair turn at the same provider, listing what was unsupported and why, and the rescue is reported', async () => {
  first.script([anthropicReply(JSON.stringify({ sentences: [{ text: 'NEWS2 is 25; observations normal.' }] })), careful]);
  const { body, patient, rows } = await summary();
  expect(body).toMatchObject({
    source: 'llm',
    provider: 'claude',
    grounding: { ok: true, unsupported: [], repair: { attempted: true, rescued: true } },
  });
  expect(body.grounding.rejected).toEqual([
    expect.objectContaining({
      provider: 'claude',
      reason: 'ungrounded',
      repair: false,
      unsupported: expect.arrayContaining(['NEWS2 is 25']),
    }),
  ]);
  const [, assistant, note] = messages(first.requests[1]);
  expect(assistant).toEqual({
    role: 'assistant',
    content: JSON.stringify({ sentences: [{ text: 'NEWS2 is 25; observations normal.', facts: [] }] }),
  });
  expect(note.content).toContain(
    `"NEWS2 is 25": the latest NEWS2 is ${body.facts.news2.latest.partial ? 'a partial ' : ''}${body.facts.news2.latest.total}`,
  );
  // Built from the answer's words and the facts: no identifier of the patient, no note text.
  for (const identifier of [patient.givenName, patient.familyName, patient.mrn, patient.bed])
    expect(note.content).not.toContain(identifier);
  expect(note.content).not.toContain('noteExcerpts');
  expect(rows.filter((r) => r.action === 'llm.request').map((r) => r.target.provider)).toEqual(['claude', 'claude']);
});

test('still ungrounded after the repair: the next provider (the first excluded), its own repair, then the fallback — all audited', async () => {
  const wrong = JSON.stringify({ sentences: [{ text: 'NEWS2 is 97.' }] });
  first.setDefault(anthropicReply(wrong));
  second.setDefault(openaiReply(wrong));
  const { body, rows } = await summary();
  expect(body).toMatchObject({ source: 'fallback', grounding: { ok: true, repair: { attempted: true, rescued: false } } });
  expect(body.grounding.rejected.map((r: { provider: string; repair: boolean }) => [r.provider, r.repair])).toEqual([
    ['claude', false],
    ['claude', true],
    ['backup', false],
    ['backup', true],
  ]);
  expect(first.requests).toHaveLength(2);
  expect(second.requests).toHaveLength(2);
  expect(rows.filter((r) => r.action === 'llm.request').map((r) => r.target.provider)).toEqual(['claude', 'claude', 'backup', 'backup']);
});

test("a repair turn that fails at its provider ends that provider's round; the next provider is asked", async () => {
  first.script([anthropicReply(JSON.stringify({ sentences: [{ text: 'NEWS2 is 97.' }] })), { status: 500, json: { error: 'down' } }]);
  second.setDefault({ reply: (r: RecordedRequest) => openaiReply(carefulAnswer(r.json)) });
  const { body } = await summary();
  expect(body).toMatchObject({ source: 'llm', provider: 'backup', grounding: { ok: true } });
  expect(first.requests).toHaveLength(2);
  expect(second.requests).toHaveLength(1);
});
