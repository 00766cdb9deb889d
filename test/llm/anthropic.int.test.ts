// Anthropic's Messages API at the wire, against a fake that checks every request as the API does (SDK-typed bodies).
import { createLlmClient, type LlmClient } from '../../src/llm';
import {
  anthropicError,
  claudeAnswer,
  claudeMessage,
  claudeRefusal,
  type FakeAnthropic,
  startFakeAnthropic,
} from '../support/fake-anthropic';
import { openaiReply } from '../support/fake-upstream';
import { API_KEY, captureLogger, chat, configOf, recordingHooks } from './helpers';

const models = ['claude-haiku-5-5', 'claude-sonnet-4-6', 'claude-haiku-4-5'];
let upstream: FakeAnthropic;
let other: FakeAnthropic;
let client: LlmClient | undefined;
const log = captureLogger();

beforeAll(async () => {
  [upstream, other] = await Promise.all([startFakeAnthropic({ apiKey: API_KEY, models }), startFakeAnthropic({ apiKey: API_KEY, models })]);
});
beforeEach(() => {
  upstream.reset();
  other.reset();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(() => Promise.all([upstream.close(), other.close()]));

function start(entry: Record<string, unknown> = {}, routing: Record<string, unknown> = {}, withFallback = false) {
  const hooks = recordingHooks();
  const providers = [
    {
      name: 'claude',
      type: 'anthropic',
      base_url: upstream.url,
      api_key: API_KEY,
      model: 'claude-haiku-5-5',
      baa: true,
      weight: 10,
      ...entry,
    },
    ...(withFallback
      ? [{ name: 'other', type: 'anthropic', base_url: other.url, api_key: API_KEY, model: 'claude-sonnet-4-6', baa: true, weight: 0 }]
      : []),
  ];
  client = createLlmClient(configOf(providers, routing), hooks, { logger: log });
  return { hooks, client };
}

test('request: /v1/messages, x-api-key, anthropic-version 2026-10-21, top-level system, effort, no temperature', async () => {
  const { hooks, client } = start();
  await client.complete({ ...chat, json: true }, { meta: {} });
  const req = upstream.requests[0];
  expect(upstream.problems[0]).toEqual([]);
  expect(req.path).toBe('/v1/messages');
  expect(req.headers['x-api-key']).toBe(API_KEY);
  expect(req.headers['anthropic-version']).toBe('2026-10-21');
  expect(req.headers.authorization).toBeUndefined();
  expect(req.headers['x-audit-event-id']).toBe(hooks.ends[0].auditEventId);
  expect(req.json).toEqual({
    model: 'claude-haiku-5-5',
    max_tokens: 1024, // thinking tokens count toward it
    system: chat.system,
    messages: chat.messages,
    output_config: { effort: 'low' },
  });
  expect(hooks.starts[0]).toMatchObject({ type: 'anthropic', baa: true });
});

test('an older Claude: no effort, the request budget as it is', async () => {
  start({ model: 'claude-haiku-4-5' });
  await client!.complete(chat, { meta: {} });
  expect(upstream.problems[0]).toEqual([]);
  expect(upstream.requests[0].json).toEqual({ model: 'claude-haiku-4-5', max_tokens: 200, system: chat.system, messages: chat.messages });
});

test('api_version 2023-06-01 with params.temperature sends a temperature (the old API takes one)', async () => {
  start({ api_version: '2023-06-01', params: { temperature: true } });
  await client!.complete(chat, { meta: {} });
  expect(upstream.problems[0]).toEqual([]);
  expect(upstream.requests[0].headers['anthropic-version']).toBe('2023-06-01');
  expect(upstream.requests[0].json).toMatchObject({ temperature: 0 });
});

test('params: thinking disabled and another effort', async () => {
  start({ params: { thinking: 'disabled', reasoning_effort: 'medium' } });
  await client!.complete(chat, { meta: {} });
  expect(upstream.problems[0]).toEqual([]);
  expect(upstream.requests[0].json).toMatchObject({ thinking: { type: 'disabled' }, output_config: { effort: 'medium' } });
});

test('response: text blocks joined (thinking ignored), end_turn → stop, usage and model mapped', async () => {
  const message = claudeMessage('Stable overnight. ', { model: 'claude-haiku-5-5-20261001', usage: { input: 321, output: 12 } });
  message.content = [
    { type: 'thinking', thinking: 'private reasoning', signature: 'sig' },
    ...message.content,
    { type: 'text', text: 'NEWS2 2.', citations: null },
  ];
  upstream.script([{ status: 200, json: message }]);
  start();
  expect(await client!.complete(chat, { meta: {} })).toEqual({
    text: 'Stable overnight. NEWS2 2.',
    provider: 'claude',
    model: 'claude-haiku-5-5',
    usage: { inputTokens: 321, outputTokens: 12 },
    stopReason: 'stop',
  });
});

test('max_tokens → length; a base_url ending in /v1 is not doubled', async () => {
  upstream.script([claudeAnswer('cut', { stop: 'max_tokens' })]);
  start({ base_url: `${upstream.url}/v1` });
  expect((await client!.complete(chat, { meta: {} })).stopReason).toBe('length');
  expect(upstream.requests[0].path).toBe('/v1/messages');
});

test('an OpenAI-shaped answer from an Anthropic endpoint is malformed', async () => {
  upstream.setDefault(openaiReply('wrong shape'));
  const { hooks } = start();
  await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
  expect(hooks.ends[0].outcome).toBe('malformed');
});

describe('refusal (stop_reason "refusal", empty content)', () => {
  test('never retried on the same provider, never "repaired" with an empty assistant turn; the next provider answers', async () => {
    upstream.setDefault(claudeRefusal());
    const { hooks } = start({}, { retries_per_provider: 2 }, true);
    const answer = await client!.complete(chat, { meta: {} });
    expect(answer.provider).toBe('other');
    expect(upstream.requests).toHaveLength(1);
    expect(hooks.ends.map((e) => [e.provider, e.outcome, e.reason])).toEqual([
      ['claude', 'refused', 'refusal'],
      ['other', 'success', undefined],
    ]);
    expect(other.problems[0]).toEqual([]);
  });

  test('a repair request that carries an empty assistant turn leaves without it (the API rejects one)', async () => {
    start();
    await client!.complete(
      { ...chat, messages: [chat.messages[0], { role: 'assistant', content: '   ' }, { role: 'user', content: 'Reply with JSON only.' }] },
      { meta: {} },
    );
    expect(upstream.problems[0]).toEqual([]);
    expect((upstream.requests[0].json as { messages: unknown }).messages).toEqual([
      { role: 'user', content: `${chat.messages[0].content}\n\nReply with JSON only.` },
    ]);
  });
});

describe('errors by type, as the SDK names them', () => {
  test.each([
    // label, step, outcome, requests at the provider with one retry allowed
    ['529 overloaded_error', anthropicError(529, 'overloaded_error', 'Overloaded'), '5xx', 2],
    ['500 api_error', anthropicError(500, 'api_error', 'Internal server error'), '5xx', 2],
    [
      '429 rate_limit_error',
      anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', { 'retry-after': '0' }),
      '429',
      2,
    ],
    ['529 with x-should-retry: false', anthropicError(529, 'overloaded_error', 'Overloaded', { 'x-should-retry': 'false' }), '5xx', 1],
    ['404 not_found_error', anthropicError(404, 'not_found_error', 'model: claude-3-5-haiku-latest'), 'misconfigured', 1],
    [
      '400 invalid_request_error',
      anthropicError(400, 'invalid_request_error', 'temperature: Extra inputs are not permitted'),
      'misconfigured',
      1,
    ],
    ['401 authentication_error', anthropicError(401, 'authentication_error', 'invalid x-api-key'), 'misconfigured', 1],
    [
      '403 permission_error',
      anthropicError(403, 'permission_error', 'Your API key does not have permission to use the specified resource.'),
      'misconfigured',
      1,
    ],
  ])('%s → %s', async (_label, step, outcome, requests) => {
    upstream.setDefault(step);
    const { hooks } = start({}, { retries_per_provider: 1 }, true);
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('other');
    expect(upstream.requests).toHaveLength(requests);
    const type = (step.json as { error: { type: string } }).error.type;
    expect(hooks.ends.filter((e) => e.provider === 'claude').map((e) => [e.outcome, e.reason])).toEqual(
      Array(requests).fill([outcome, type]),
    );
  });

  test('the retired claude-3-5-haiku-latest (the old shipped fallback) is misconfigured with its 404, not a silent fallback', async () => {
    const { hooks } = start({ model: 'claude-3-5-haiku-latest' });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({
      name: 'LlmUnavailableError',
      failures: [{ provider: 'claude', outcome: 'misconfigured', reason: 'not_found_error' }],
    });
    expect(hooks.ends[0]).toMatchObject({ status: 404, outcome: 'misconfigured' });
    expect(client!.health().reasons).toEqual(['claude: misconfigured (404 not_found_error: model: claude-3-5-haiku-latest)']);
  });
});
