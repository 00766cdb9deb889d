// OpenAI at the wire, against a fake that checks every request as the API does: parameters by model family,
// refusals, and a provider that cannot answer (wrong model, parameter, key) taken out of rotation loudly.
import { Registry } from 'prom-client';
import { createLlmClient, LlmUnavailableError, type LlmClient } from '../../src/llm';
import { type FakeOpenAi, openaiAnswer, openaiRefusal, startFakeOpenAi } from '../support/fake-openai';
import { API_KEY, captureLogger, chat, configOf, jsonChat, manualClock, recordingHooks } from './helpers';

const models = ['gpt-5.4-mini', 'gpt-4.1-mini', 'o4-mini', 'gpt-5.3-chat-latest'];
let a: FakeOpenAi;
let b: FakeOpenAi;
let client: LlmClient | undefined;
const log = captureLogger();

beforeAll(async () => {
  [a, b] = await Promise.all([startFakeOpenAi({ apiKey: API_KEY, models }), startFakeOpenAi({ apiKey: API_KEY, models })]);
});
beforeEach(() => {
  a.reset();
  b.reset();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  expect(log.text()).not.toContain(API_KEY);
});

const provider = (name: string, url: string, model: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'openai',
  base_url: url,
  api_key: API_KEY,
  model,
  ...extra,
});

function start(
  providers: Record<string, unknown>[],
  routing: Record<string, unknown> = {},
  opts: { clock?: () => number; metrics?: Registry } = {},
) {
  const hooks = recordingHooks();
  client = createLlmClient(configOf(providers, routing), hooks, { logger: log, ...opts });
  return { hooks, client };
}

describe('parameters the model family accepts (the fake rejects what the API rejects)', () => {
  test.each([
    // model, expected body fields, absent fields
    [
      'gpt-5.4-mini',
      { max_completion_tokens: 2048, reasoning_effort: 'low', response_format: { type: 'json_object' } },
      ['max_tokens', 'temperature'],
    ],
    ['o4-mini', { max_completion_tokens: 2048, reasoning_effort: 'low' }, ['max_tokens', 'temperature']],
    ['gpt-5.3-chat-latest', { max_completion_tokens: 200 }, ['max_tokens', 'temperature', 'reasoning_effort']],
    [
      'gpt-4.1-mini',
      { max_tokens: 200, temperature: 0, response_format: { type: 'json_object' } },
      ['max_completion_tokens', 'reasoning_effort'],
    ],
  ])('%s', async (model, present, absent) => {
    const { hooks, client } = start([provider('a', a.url, model)]);
    const answer = await client.complete(jsonChat, { meta: {} });
    expect(answer).toMatchObject({ provider: 'a', model, text: 'answer 0' });
    expect(a.problems[0]).toEqual([]);
    expect(a.requests[0].path).toBe('/v1/chat/completions');
    expect(a.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(a.requests[0].headers['x-audit-event-id']).toBe(hooks.ends[0].auditEventId);
    const body = a.requests[0].json as Record<string, unknown>;
    expect(body).toMatchObject({ model, messages: [{ role: 'system', content: jsonChat.system }, ...jsonChat.messages], ...present });
    for (const key of absent) expect(body).not.toHaveProperty(key);
  });

  test('params: overrides the family defaults', async () => {
    const { client } = start([
      provider('a', a.url, 'gpt-5.4-mini', { params: { reasoning_effort: 'medium', min_output_tokens: 4000, json_mode: false } }),
    ]);
    await client.complete(jsonChat, { meta: {} });
    expect(a.requests[0].json).toMatchObject({ max_completion_tokens: 4000, reasoning_effort: 'medium' });
    expect(a.requests[0].json).not.toHaveProperty('response_format');
  });
});

describe('a provider that cannot answer is loud and out of rotation', () => {
  test.each([
    // what is wrong, provider entry, status, errorType, message fragment
    ['a retired model', provider('a', '', 'gpt-4-0613'), 404, 'model_not_found', 'does not exist'],
    [
      'a parameter the model rejects',
      provider('a', '', 'gpt-5.4-mini', { params: { output_tokens_param: 'max_tokens' } }),
      400,
      'unsupported_parameter',
      "Unsupported parameter: 'max_tokens'",
    ],
    [
      'a temperature the model rejects',
      provider('a', '', 'o4-mini', { params: { temperature: true } }),
      400,
      'unsupported_value',
      "Unsupported value: 'temperature'",
    ],
    [
      'a wrong key',
      provider('a', '', 'gpt-4.1-mini', { api_key: 'sk-wrong-key-0000' }),
      401,
      'invalid_api_key',
      'Incorrect API key provided: sk-*****0000',
    ],
  ])(
    '%s: misconfigured, no retry, one error log with the provider’s type and message, the fallback answers',
    async (_what, entry, status, errorType, fragment) => {
      const clock = manualClock();
      const registry = new Registry();
      const { hooks, client } = start(
        [{ ...entry, base_url: a.url }, provider('b', b.url, 'gpt-4.1-mini', { weight: 0 })],
        { retries_per_provider: 2 },
        { clock: clock.now, metrics: registry },
      );
      const before = log.lines.length;

      expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
      expect(hooks.ends.map((e) => [e.provider, e.outcome, e.status, e.reason])).toEqual([
        ['a', 'misconfigured', status, errorType],
        ['b', 'success', 200, undefined],
      ]);
      const errors = log.lines.slice(before).filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].obj).toMatchObject({ provider: 'a', status, errorType, errorMessage: expect.stringContaining(fragment) });

      // Out of rotation: more calls do not reach it (no further disclosures) and log nothing more.
      for (let i = 0; i < 3; i++) expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
      expect(a.requests).toHaveLength(1);
      expect(log.lines.slice(before).filter((l) => l.level === 'error')).toHaveLength(1);
      expect(client.health()).toMatchObject({
        status: 'degraded',
        reasons: [expect.stringMatching(new RegExp(`^a: misconfigured \\(${status} ${errorType}: `))],
      });
      expect(client.enabledProviders()[0]).toMatchObject({ name: 'a', state: 'misconfigured', cause: expect.stringContaining(fragment) });
      const text = await registry.metrics();
      expect(text).toContain('shiftnote_llm_provider_state{provider="a",state="misconfigured"} 1');
      expect(text).toContain('shiftnote_llm_provider_state{provider="a",state="available"} 0');
      expect(text).toContain('shiftnote_llm_provider_state{provider="b",state="available"} 1');
      expect(text).toContain('shiftnote_llm_breaker_state{provider="a"} 0');

      // After the cool-down, one probe; still wrong → out again, without a second log line.
      clock.advance(300_000);
      expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
      expect(a.requests).toHaveLength(2);
      expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
      expect(a.requests).toHaveLength(2);
      expect(log.lines.slice(before).filter((l) => l.level === 'error')).toHaveLength(1);
    },
  );

  test('a probe that is answered puts it back in rotation', async () => {
    const clock = manualClock();
    const { client } = start(
      [provider('a', a.url, 'gpt-4.1-mini'), provider('b', b.url, 'gpt-4.1-mini', { weight: 0 })],
      {},
      { clock: clock.now },
    );
    a.script([
      {
        status: 404,
        json: {
          error: {
            message: 'The model `gpt-4.1-mini` does not exist',
            type: 'invalid_request_error',
            param: null,
            code: 'model_not_found',
          },
        },
      },
    ]);
    expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
    expect(client.health().status).toBe('degraded');
    clock.advance(300_000);
    expect((await client.complete(chat, { meta: {} })).provider).toBe('a');
    expect(client.health()).toEqual({ status: 'ok', providers: expect.any(Array), reasons: [] });
    expect(client.enabledProviders()[0].state).toBe('available');
  });

  test('concurrent calls after the cool-down send one probe, not one each', async () => {
    const clock = manualClock();
    const { client } = start(
      [provider('a', a.url, 'gpt-4-0613'), provider('b', b.url, 'gpt-4.1-mini', { weight: 0 })],
      {},
      { clock: clock.now },
    );
    await client.complete(chat, { meta: {} });
    clock.advance(300_000);
    await Promise.all(Array.from({ length: 8 }, () => client.complete(chat, { meta: {} })));
    expect(a.requests).toHaveLength(2);
  });
});

describe('refusals', () => {
  test('refusal (content null): not retried there, not a breaker failure, the next provider answers', async () => {
    a.setDefault(openaiRefusal());
    const { hooks, client } = start([provider('a', a.url, 'gpt-4.1-mini'), provider('b', b.url, 'gpt-4.1-mini', { weight: 0 })], {
      retries_per_provider: 2,
      breaker: { failure_threshold: 2 },
    });
    for (let i = 0; i < 4; i++) expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
    expect(a.requests).toHaveLength(4);
    expect(hooks.ends.filter((e) => e.provider === 'a').map((e) => [e.outcome, e.reason])).toEqual(Array(4).fill(['refused', 'refusal']));
    expect(client.enabledProviders()[0]).toMatchObject({ breaker: 'closed', state: 'available' });
  });

  test('routing.on_refusal: fallback → no other provider is asked; the caller gets reason "refused"', async () => {
    a.setDefault(openaiRefusal());
    const { client } = start([provider('a', a.url, 'gpt-4.1-mini'), provider('b', b.url, 'gpt-4.1-mini', { weight: 0 })], {
      on_refusal: 'fallback',
    });
    const err = await client.complete(chat, { meta: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err).toMatchObject({ reason: 'refused', failures: [{ provider: 'a', outcome: 'refused', reason: 'refusal' }] });
    expect(b.requests).toHaveLength(0);
  });

  test('finish_reason content_filter is a refusal too', async () => {
    a.setDefault(openaiAnswer('partial', { finish: 'content_filter' }));
    const { hooks, client } = start([provider('a', a.url, 'gpt-4.1-mini'), provider('b', b.url, 'gpt-4.1-mini', { weight: 0 })]);
    expect((await client.complete(chat, { meta: {} })).provider).toBe('b');
    expect(hooks.ends[0]).toMatchObject({ outcome: 'refused', reason: 'content_filter' });
  });
});

test('no empty assistant turn leaves: a repair after an empty answer joins the turns around it', async () => {
  const { client } = start([provider('a', a.url, 'gpt-4.1-mini')]);
  await client.complete(
    {
      ...chat,
      messages: [chat.messages[0], { role: 'assistant', content: '' }, { role: 'user', content: 'Reply with only the JSON object.' }],
    },
    { meta: {} },
  );
  expect(a.problems[0]).toEqual([]);
  expect((a.requests[0].json as { messages: unknown[] }).messages).toEqual([
    { role: 'system', content: chat.system },
    { role: 'user', content: `${chat.messages[0].content}\n\nReply with only the JSON object.` },
  ]);
});

test('token usage is counted per provider', async () => {
  const registry = new Registry();
  const { client } = start([provider('a', a.url, 'gpt-4.1-mini')], {}, { metrics: registry });
  a.script([
    openaiAnswer('one', { usage: { prompt: 120, completion: 30 } }),
    openaiAnswer('two', { usage: { prompt: 80, completion: 20 } }),
  ]);
  await client.complete(chat, { meta: {} });
  await client.complete(chat, { meta: {} });
  const text = await registry.metrics();
  expect(text).toContain('shiftnote_llm_tokens_total{provider="a",type="input"} 200');
  expect(text).toContain('shiftnote_llm_tokens_total{provider="a",type="output"} 50');
});
