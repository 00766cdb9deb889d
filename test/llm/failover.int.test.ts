// The failover client against real HTTP fakes: fault matrix, retries, Retry-After, audit ordering, deadline, abort.
import { createHash } from 'node:crypto';
import { Registry } from 'prom-client';
import { createLlmClient, LlmAbortedError, LlmAuditError, LlmUnavailableError, type AttemptOutcome, type LlmClient } from '../../src/llm';
import { type FakeStep, type FakeUpstream, openaiReply, refusedUrl, startFakeUpstream } from '../support/fake-upstream';
import { API_KEY, captureLogger, chat, checkAuditIds, makeConfig, recordingHooks } from './helpers';

let a: FakeUpstream;
let b: FakeUpstream;
let client: LlmClient | undefined;
const log = captureLogger();
const errorMessages: string[] = [];

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
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  // Nothing captured during the whole file may carry the key.
  expect(log.text()).not.toContain(API_KEY);
  for (const message of errorMessages) expect(message).not.toContain(API_KEY);
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    errorMessages.push(String((err as Error).message));
    return err as Error;
  }
  throw new Error('expected a rejection');
}

function twoProviders(routing: Record<string, unknown> = {}, metrics?: Registry) {
  const hooks = recordingHooks();
  const config = makeConfig(
    [
      // A short per-provider timeout for the one that hangs; the routing default stays roomy for a loaded machine.
      { name: 'a', url: a.url, weight: 100, attempt_timeout_ms: 400 },
      { name: 'b', url: b.url, weight: 0 },
    ],
    { retries_per_provider: 1, backoff: { base_ms: 1, max_ms: 5 }, attempt_timeout_ms: 3000, ...routing },
  );
  client = createLlmClient(config, hooks, { logger: log, metrics });
  return { hooks, client, seenA: checkAuditIds(a, hooks), seenB: checkAuditIds(b, hooks) };
}

describe('fault matrix: the first provider fails, the fallback answers', () => {
  const faults: [string, FakeStep, AttemptOutcome, number][] = [
    ['500', { status: 500, json: { error: 'boom' } }, '5xx', 2],
    ['502', { status: 502, body: 'bad gateway' }, '5xx', 2],
    ['503', { status: 503 }, '5xx', 2],
    ['a hang past the attempt timeout', { hang: true }, 'timeout', 2],
    ['a reset mid-body', { resetMidBody: true }, 'connection', 2],
    ['a body stalling past the attempt timeout', { stallMidBody: true }, 'timeout', 2],
    ['a reset on arrival', { reset: true }, 'connection', 2],
    ['malformed JSON', { malformed: true }, 'malformed', 2],
    ['an unexpected JSON shape', { status: 200, json: { result: 'no choices here' } }, 'malformed', 2],
    ['400 (not retried: misconfigured)', { status: 400, json: { error: { message: 'bad model' } } }, 'misconfigured', 1],
    ['422 (not retried: another 4xx)', { status: 422, json: { error: { message: 'unprocessable' } } }, 'client_error', 1],
  ];

  test.each(faults)('%s', async (_name, step, outcome, requestsAtA) => {
    a.setDefault(step);
    const { hooks, client, seenA, seenB } = twoProviders();

    const answer = await client.complete(chat, { meta: { requestId: 'r1' } });

    expect(answer).toMatchObject({ text: 'from b', provider: 'b', model: 'b-model' });
    expect(a.requests).toHaveLength(requestsAtA);
    expect(b.requests).toHaveLength(1);
    // Every arrival carried an audit id that beforeAttempt had already committed.
    expect([...seenA, ...seenB]).toHaveLength(requestsAtA + 1);
    for (const s of [...seenA, ...seenB]) expect(s.known).toBe(true);
    expect(hooks.ends.map((e) => [e.provider, e.outcome])).toEqual([
      ...Array.from({ length: requestsAtA }, () => ['a', outcome]),
      ['b', 'success'],
    ]);
    expect(hooks.ends.map((e) => e.attempt)).toEqual(hooks.ends.map((_e, i) => i + 1));
    expect(hooks.ends.at(-1)).toMatchObject({ status: 200, usage: { inputTokens: 10, outputTokens: 5 }, meta: { requestId: 'r1' } });
  });

  test('connection refused → next provider', async () => {
    const hooks = recordingHooks();
    const config = makeConfig([
      { name: 'dead', url: await refusedUrl(), weight: 10 },
      { name: 'b', url: b.url, weight: 1 },
    ]);
    client = createLlmClient(config, hooks, { logger: log });
    const answer = await client.complete(chat, { meta: {} });
    expect(answer.provider).toBe('b');
    expect(hooks.ends.map((e) => [e.provider, e.outcome, e.status])).toEqual([
      ['dead', 'connection', null],
      ['b', 'success', 200],
    ]);
  });

  test('a 400 is reported once as a configuration error for that provider', async () => {
    a.setDefault({ status: 400 });
    const { client } = twoProviders();
    const before = log.lines.length;
    await client.complete(chat, { meta: {} });
    await client.complete(chat, { meta: {} });
    const errors = log.lines.slice(before).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].obj).toMatchObject({ provider: 'a', status: 400 });
    expect(errors[0].msg).toMatch(/configuration/);
  });
});

describe('429 and Retry-After', () => {
  test('a Retry-After within the deadline is honoured: same provider, after the wait', async () => {
    a.script([{ status: 429, headers: { 'retry-after': '1' } }, openaiReply('after the wait')]);
    const { hooks, client } = twoProviders({ deadline_ms: 5000 });

    const answer = await client.complete(chat, { meta: {} });

    expect(answer).toMatchObject({ provider: 'a', text: 'after the wait' });
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(0);
    expect(a.requests[1].receivedAt - a.requests[0].receivedAt).toBeGreaterThanOrEqual(1000 - 25);
    expect(hooks.ends.map((e) => [e.outcome, e.providerAttempt])).toEqual([
      ['429', 1],
      ['success', 2],
    ]);
  });

  test('a Retry-After beyond the deadline moves on to the next provider at once', async () => {
    a.setDefault({ status: 429, headers: { 'retry-after': '30' } });
    const { client } = twoProviders({ deadline_ms: 3000 });
    const t0 = performance.now();
    const answer = await client.complete(chat, { meta: {} });
    expect(answer.provider).toBe('b');
    expect(a.requests).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('when nothing answers', () => {
  test('all providers fail → LlmUnavailableError naming providers and outcome classes only', async () => {
    a.setDefault({ status: 500, json: { error: `echo: ${chat.messages[0].content}` } });
    b.setDefault({ malformed: true });
    const { hooks, client } = twoProviders({ retries_per_provider: 0 });

    const err = await failureOf(client.complete(chat, { meta: {} }));

    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err.message).toBe('all LLM providers failed (a: 5xx; b: malformed)');
    expect((err as LlmUnavailableError).failures).toEqual([
      { provider: 'a', outcome: '5xx' },
      { provider: 'b', outcome: 'malformed' },
    ]);
    expect(hooks.ends).toHaveLength(2);
  });

  test('a class missing from fallback_on stops failover', async () => {
    a.setDefault({ hang: true });
    const { client } = twoProviders({ fallback_on: ['5xx', '429', 'connection'] });
    const err = await failureOf(client.complete(chat, { meta: {} }));
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect((err as LlmUnavailableError).reason).toBe('not_retryable');
    expect(a.requests).toHaveLength(1); // not retried either
    expect(b.requests).toHaveLength(0);
  });

  test('the deadline holds even when every provider hangs', async () => {
    a.setDefault({ hang: true });
    b.setDefault({ hang: true });
    const hooks = recordingHooks();
    const config = makeConfig(
      [
        { name: 'a', url: a.url, weight: 1 },
        { name: 'b', url: b.url, weight: 0 },
      ],
      { attempt_timeout_ms: 5000, deadline_ms: 600 },
    );
    client = createLlmClient(config, hooks, { logger: log });
    const t0 = performance.now();

    const err = await failureOf(client.complete(chat, { meta: {} }));

    const elapsed = performance.now() - t0;
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect((err as LlmUnavailableError).reason).toBe('deadline');
    expect(elapsed).toBeLessThan(600 + 1000);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(hooks.ends.map((e) => e.outcome)).toEqual(['timeout']);
    await a.waitFor((r) => r[0]?.state === 'aborted');
  });

  test('no enabled provider → LlmUnavailableError without any attempt', async () => {
    const hooks = recordingHooks();
    client = createLlmClient(makeConfig([]), hooks);
    const err = await failureOf(client.complete(chat, { meta: {} }));
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect((err as LlmUnavailableError).reason).toBe('no_provider');
    expect(hooks.starts).toHaveLength(0);
    expect(client.enabledProviders()).toEqual([]);
  });
});

describe('audit hooks', () => {
  test('beforeAttempt failing → nothing is sent and no other provider is tried (fail closed)', async () => {
    const { hooks, client } = twoProviders();
    hooks.failBefore = true;
    const err = await failureOf(client.complete(chat, { meta: {} }));
    expect(err).toBeInstanceOf(LlmAuditError);
    expect(err.message).not.toContain('audit database unavailable');
    expect((err.cause as Error).message).toBe('audit database unavailable');
    expect(a.requests).toHaveLength(0);
    expect(b.requests).toHaveLength(0);
    expect(hooks.ends).toHaveLength(0);
  });

  test('afterAttempt failing is logged and does not fail a successful answer', async () => {
    const { hooks, client } = twoProviders();
    hooks.failAfter = true;
    const before = log.lines.length;
    const answer = await client.complete(chat, { meta: {} });
    expect(answer.provider).toBe('a');
    const errors = log.lines.slice(before).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toMatch(/afterAttempt/);
  });

  test('the hash and size describe the exact bytes that arrived; the audit id is the header sent', async () => {
    a.setDefault({ status: 500 });
    const { hooks, client } = twoProviders();
    await client.complete({ ...chat, json: true }, { meta: {} });
    const arrivals = [...a.requests, ...b.requests];
    expect(hooks.ends).toHaveLength(arrivals.length);
    hooks.ends.forEach((end, i) => {
      expect(end.requestSha256).toBe(createHash('sha256').update(arrivals[i].body).digest('hex'));
      expect(end.requestBytes).toBe(Buffer.byteLength(arrivals[i].body));
      expect(arrivals[i].headers['x-audit-event-id']).toBe(end.auditEventId);
    });
    expect(hooks.starts[0]).toMatchObject({
      provider: 'a',
      type: 'openai',
      model: 'a-model',
      host: `127.0.0.1:${a.port}`,
      baa: false,
      hedge: false,
    });
  });
});

describe('caller control', () => {
  test('a caller abort cancels the in-flight upstream request and rejects with an AbortError', async () => {
    a.setDefault({ hang: true });
    const hooks = recordingHooks();
    client = createLlmClient(
      makeConfig(
        [
          { name: 'a', url: a.url },
          { name: 'b', url: b.url, weight: 0 },
        ],
        { deadline_ms: 20_000 },
      ),
      hooks,
    );
    const controller = new AbortController();
    const pending = failureOf(client.complete(chat, { signal: controller.signal, meta: {} }));
    await a.waitForRequests(1);
    controller.abort();

    const err = await pending;
    expect(err).toBeInstanceOf(LlmAbortedError);
    expect(err.name).toBe('AbortError');
    await a.waitFor((r) => r[0].state === 'aborted');
    expect(b.requests).toHaveLength(0);
    expect(hooks.ends.map((e) => [e.provider, e.outcome, e.status])).toEqual([['a', 'aborted', null]]);
  });

  test('an already-aborted signal rejects without any attempt', async () => {
    const { hooks, client } = twoProviders();
    await expect(client.complete(chat, { signal: AbortSignal.abort(), meta: {} })).rejects.toBeInstanceOf(LlmAbortedError);
    expect(hooks.starts).toHaveLength(0);
  });

  test('excludeProviders skips a provider without contacting it', async () => {
    const { hooks, client } = twoProviders();
    const answer = await client.complete(chat, { meta: {}, excludeProviders: ['a'] });
    expect(answer.provider).toBe('b');
    expect(a.requests).toHaveLength(0);
    expect(hooks.starts.map((s) => s.provider)).toEqual(['b']);
  });

  test('onlyProvider sends to that provider alone, and no failover follows its failure', async () => {
    b.setDefault({ status: 500 });
    const { hooks, client } = twoProviders({ retries_per_provider: 0 });
    const err = await failureOf(client.complete(chat, { meta: {}, onlyProvider: 'b' }));
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(a.requests).toHaveLength(0);
    expect(hooks.starts.map((s) => s.provider)).toEqual(['b']);
    b.setDefault(openaiReply('from b'));
    expect((await client.complete(chat, { meta: {}, onlyProvider: 'b' })).provider).toBe('b');
    expect(a.requests).toHaveLength(0);
  });

  test('a caller deadline (deadlineAt) earlier than routing.deadline_ms bounds the call', async () => {
    a.setDefault({ hang: true });
    b.setDefault({ hang: true });
    const hooks = recordingHooks();
    client = createLlmClient(
      makeConfig(
        [
          { name: 'a', url: a.url, weight: 1 },
          { name: 'b', url: b.url, weight: 0 },
        ],
        { attempt_timeout_ms: 5000, deadline_ms: 20_000 },
      ),
      hooks,
    );
    const t0 = performance.now();
    const err = await failureOf(client.complete(chat, { meta: {}, deadlineAt: Date.now() + 500 }));
    const elapsed = performance.now() - t0;
    expect((err as LlmUnavailableError).reason).toBe('deadline');
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(500 + 1000);
    expect(hooks.ends.map((e) => e.outcome)).toEqual(['timeout']);
  });

  test('a caller deadline already past: no attempt, no audit row', async () => {
    const { hooks, client } = twoProviders();
    const err = await failureOf(client.complete(chat, { meta: {}, deadlineAt: Date.now() - 1 }));
    expect((err as LlmUnavailableError).reason).toBe('deadline');
    expect(hooks.starts).toHaveLength(0);
    expect(a.requests).toHaveLength(0);
  });
});

describe('OpenAI request shape and metrics', () => {
  test('request body, path and headers', async () => {
    const { client } = twoProviders();
    await client.complete({ ...chat, json: true }, { meta: {} });
    const req = a.requests[0];
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.json).toEqual({
      model: 'a-model',
      messages: [{ role: 'system', content: chat.system }, ...chat.messages],
      max_tokens: 200,
      temperature: 0,
      response_format: { type: 'json_object' },
    });
  });

  test('a base_url ending in /v1 (with a base path) is not doubled', async () => {
    const hooks = recordingHooks();
    client = createLlmClient(makeConfig([{ name: 'a', url: `${a.url}/openai/v1/` }]), hooks);
    await client.complete(chat, { meta: {} });
    expect(a.requests[0].path).toBe('/openai/v1/chat/completions');
  });

  test('attempt counters, durations and breaker states are exported', async () => {
    a.setDefault({ status: 503 });
    const registry = new Registry();
    const { client } = twoProviders({ retries_per_provider: 0 }, registry);
    await client.complete(chat, { meta: {} });
    const text = await registry.metrics();
    expect(text).toContain('shiftnote_llm_attempts_total{provider="a",outcome="5xx"} 1');
    expect(text).toContain('shiftnote_llm_attempts_total{provider="b",outcome="success"} 1');
    expect(text).toContain('shiftnote_llm_attempt_duration_seconds_count{provider="b",outcome="success"} 1');
    expect(text).toContain('shiftnote_llm_breaker_state{provider="a"} 0');
  });
});
