// The retry rules at the wire, as the official SDKs apply them: which statuses are retried, the server's wait
// (retry-after-ms, Retry-After seconds or date) on any retryable status, x-should-retry both ways, the deadline cap.
import { createLlmClient, type LlmClient } from '../../src/llm';
import { type FakeStep, type FakeUpstream, openaiReply, startFakeUpstream } from '../support/fake-upstream';
import { chat, makeConfig, recordingHooks } from './helpers';

let a: FakeUpstream;
let b: FakeUpstream;
let client: LlmClient | undefined;

beforeAll(async () => {
  [a, b] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
});
beforeEach(() => {
  a.reset();
  b.reset();
  a.setDefault(openaiReply('from a'));
  b.setDefault(openaiReply('from b'));
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(() => Promise.all([a.close(), b.close()]));

function start(routing: Record<string, unknown> = {}) {
  const hooks = recordingHooks();
  client = createLlmClient(
    makeConfig(
      [
        { name: 'a', url: a.url, weight: 10 },
        { name: 'b', url: b.url, weight: 0 },
      ],
      { retries_per_provider: 1, backoff: { base_ms: 1, max_ms: 2 }, deadline_ms: 8000, ...routing },
    ),
    hooks,
  );
  return { hooks, client };
}

const err = (status: number, headers?: Record<string, string>): FakeStep => ({
  status,
  json: { error: { message: `status ${status}` } },
  headers,
});

describe('one failure, then an answer: retried at the same provider or not', () => {
  test.each([
    // name, first answer, who answers in the end, outcomes in order, minimum wait between a's requests (ms)
    ['408 request timeout', err(408), 'a', ['transient', 'success'], 0],
    ['409 lock conflict', err(409), 'a', ['transient', 'success'], 0],
    ['429 with retry-after-ms', err(429, { 'retry-after-ms': '150' }), 'a', ['429', 'success'], 150],
    ['500 with Retry-After seconds (not only 429/503)', err(500, { 'retry-after': '0.3' }), 'a', ['5xx', 'success'], 300],
    ['502', err(502), 'a', ['5xx', 'success'], 0],
    ['529 overloaded', err(529), 'a', ['5xx', 'success'], 0],
    [
      '503 with a Retry-After date in the past (own backoff)',
      err(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }),
      'a',
      ['5xx', 'success'],
      0,
    ],
    ['500 with x-should-retry: false', err(500, { 'x-should-retry': 'false' }), 'b', ['5xx', 'success'], 0],
    ['429 with x-should-retry: false', err(429, { 'x-should-retry': 'false', 'retry-after-ms': '10' }), 'b', ['429', 'success'], 0],
    ['400 with x-should-retry: true', err(400, { 'x-should-retry': 'true' }), 'a', ['transient', 'success'], 0],
    ['404 (misconfigured: never retried)', err(404), 'b', ['misconfigured', 'success'], 0],
    ['422 (another 4xx: never retried)', err(422), 'b', ['client_error', 'success'], 0],
  ])('%s', async (_name, first, answeredBy, outcomes, minGapMs) => {
    a.script([first]);
    const { hooks, client } = start();
    const answer = await client.complete(chat, { meta: {} });
    expect(answer.provider).toBe(answeredBy);
    expect(hooks.ends.map((e) => e.outcome)).toEqual(outcomes);
    if (answeredBy === 'a') {
      expect(a.requests).toHaveLength(2);
      expect(a.requests[1].receivedAt - a.requests[0].receivedAt).toBeGreaterThanOrEqual(minGapMs - 5);
    } else {
      expect(a.requests).toHaveLength(1);
    }
  });
});

test('a Retry-After as an HTTP date in the future is honoured', async () => {
  const when = new Date(Date.now() + 2000).toUTCString(); // second precision: 1–2 s from now
  a.script([err(503, { 'retry-after': when })]);
  const { client } = start();
  expect((await client.complete(chat, { meta: {} })).provider).toBe('a');
  expect(a.requests[1].receivedAt - a.requests[0].receivedAt).toBeGreaterThanOrEqual(900);
});

test.each([
  ['retry-after-ms', { 'retry-after-ms': '10000' }],
  ['Retry-After seconds', { 'retry-after': '10' }],
])('a server wait (%s) beyond the deadline goes to the next provider at once', async (_name, headers) => {
  a.setDefault(err(429, headers));
  const { client } = start({ deadline_ms: 3000 });
  const t0 = performance.now();
  expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
  expect(a.requests).toHaveLength(1);
  expect(performance.now() - t0).toBeLessThan(1500);
});

test('the caller deadline (deadlineAt) caps waits the same way', async () => {
  a.setDefault(err(503, { 'retry-after': '2' }));
  const { client } = start({ deadline_ms: 20_000 });
  expect((await client.complete(chat, { meta: {}, deadlineAt: Date.now() + 1500 })).provider).toBe('b');
  expect(a.requests).toHaveLength(1);
});

test('retries stop at the budget: one retry means two requests, then the next provider', async () => {
  a.setDefault(err(500));
  const { hooks, client } = start({ retries_per_provider: 1 });
  expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
  expect(a.requests).toHaveLength(2);
  expect(hooks.ends.map((e) => [e.provider, e.providerAttempt])).toEqual([
    ['a', 1],
    ['a', 2],
    ['b', 1],
  ]);
});
