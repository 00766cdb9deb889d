// Anthropic translation both ways, over real HTTP: request body and headers out, content/stop/usage back.
import { createLlmClient, type LlmClient } from '../../src/llm';
import { type FakeUpstream, anthropicReply, openaiReply, startFakeUpstream } from '../support/fake-upstream';
import { API_KEY, chat, makeConfig, recordingHooks } from './helpers';

let upstream: FakeUpstream;
let client: LlmClient;

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: anthropicReply('unused') });
});
beforeEach(() => upstream.reset());
afterEach(() => client.close());
afterAll(() => upstream.close());

function anthropicClient(url = upstream.url) {
  const hooks = recordingHooks();
  client = createLlmClient(makeConfig([{ name: 'claude', type: 'anthropic', url, baa: true }]), hooks);
  return hooks;
}

test('request: /v1/messages, x-api-key, anthropic-version, top-level system, max_tokens', async () => {
  upstream.script([anthropicReply('fine')]);
  const hooks = anthropicClient();
  await client.complete({ ...chat, json: true }, { meta: {} });

  const req = upstream.requests[0];
  expect(req.path).toBe('/v1/messages');
  expect(req.headers['x-api-key']).toBe(API_KEY);
  expect(req.headers['anthropic-version']).toBe('2023-06-01');
  expect(req.headers.authorization).toBeUndefined();
  expect(req.headers['x-audit-event-id']).toBe(hooks.ends[0].auditEventId);
  expect(req.json).toEqual({
    model: 'claude-model',
    system: chat.system,
    messages: chat.messages,
    max_tokens: 200,
    temperature: 0,
  });
  expect(hooks.starts[0]).toMatchObject({ type: 'anthropic', baa: true });
});

test('response: text blocks joined, end_turn → stop, usage mapped', async () => {
  upstream.script([
    {
      status: 200,
      json: {
        content: [
          { type: 'text', text: 'Stable overnight. ' },
          { type: 'tool_use', id: 'x', name: 'ignored', input: {} },
          { type: 'text', text: 'NEWS2 2.' },
        ],
        stop_reason: 'end_turn',
        usage: { input_tokens: 321, output_tokens: 12 },
      },
    },
  ]);
  anthropicClient();
  const answer = await client.complete(chat, { meta: {} });
  expect(answer).toEqual({
    text: 'Stable overnight. NEWS2 2.',
    provider: 'claude',
    model: 'claude-model',
    usage: { inputTokens: 321, outputTokens: 12 },
    stopReason: 'stop',
  });
});

test('max_tokens → length; a base_url ending in /v1 is not doubled', async () => {
  upstream.script([{ status: 200, json: { content: [{ type: 'text', text: 'cut' }], stop_reason: 'max_tokens' } }]);
  anthropicClient(`${upstream.url}/v1`);
  const answer = await client.complete(chat, { meta: {} });
  expect(answer.stopReason).toBe('length');
  expect(answer.usage).toBeUndefined();
  expect(upstream.requests[0].path).toBe('/v1/messages');
});

test('an OpenAI-shaped answer from an Anthropic endpoint is malformed', async () => {
  upstream.script([openaiReply('wrong shape')]);
  const hooks = anthropicClient();
  await expect(client.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
  expect(hooks.ends[0].outcome).toBe('malformed');
});
