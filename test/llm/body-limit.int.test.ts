// Provider answers are bounded while they are read: a bigger one is a failed attempt, cut off, never kept or echoed.
import { createLlmClient, LlmUnavailableError, type LlmClient } from '../../src/llm';
import { type FakeUpstream, openaiBody, openaiReply, startFakeUpstream } from '../support/fake-upstream';
import { chat, makeConfig, recordingHooks } from './helpers';

const MB = 1024 * 1024;
// Something a model might send and a repair turn might echo: a recognisable marker, repeated.
const garbage = `{"choices":[{"message":{"content":"${'GARBAGE-'.repeat(8191)}`;

let a: FakeUpstream;
let b: FakeUpstream;
let client: LlmClient | undefined;

beforeAll(async () => {
  [a, b] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
});
beforeEach(() => {
  a.reset();
  b.reset();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(() => Promise.all([a.close(), b.close()]));

function clientFor(routing: Record<string, unknown> = {}, single = false) {
  const hooks = recordingHooks();
  const providers = [{ name: 'a', url: a.url, weight: 10 }, ...(single ? [] : [{ name: 'b', url: b.url, weight: 0 }])];
  client = createLlmClient(makeConfig(providers, { retries_per_provider: 1, backoff: { base_ms: 1, max_ms: 2 }, ...routing }), hooks);
  return { hooks, client };
}

describe.each([
  ['chunked (no Content-Length)', false],
  ['with a Content-Length above the limit', true],
])('a 50 MB answer %s', (_name, declareLength) => {
  test('is cut off while reading: too_large, not retried there, the next provider answers', async () => {
    a.setDefault({ stream: { chunk: garbage, totalBytes: 50 * MB, declareLength } });
    b.setDefault(openaiReply('from b'));
    const { hooks, client } = clientFor({ max_response_bytes: 256 * 1024 });

    const answer = await client.complete(chat, { meta: {} });

    expect(answer).toMatchObject({ provider: 'b', text: 'from b' });
    expect(hooks.ends.map((e) => [e.provider, e.outcome, e.status])).toEqual([
      ['a', 'too_large', 200],
      ['b', 'success', 200],
    ]);
    expect(a.requests).toHaveLength(1);
    await a.waitFor((r) => r[0].state !== 'pending');
    // The client hung up long before the 50 MB were out (what is written is socket buffers at most).
    expect(a.requests[0].bytesWritten).toBeLessThan(16 * MB);
    // Nothing of it travelled on: the next provider got the original request only.
    expect(b.requests[0].body).not.toContain('GARBAGE');
    expect(b.requests[0].json).toMatchObject({ messages: [{ role: 'system' }, ...chat.messages] });
  });
});

test('an answer within the limit is read whole; one byte over is too large', async () => {
  const body = JSON.stringify(openaiBody('x'.repeat(4000)));
  const { client } = clientFor({ max_response_bytes: Buffer.byteLength(body) }, true);
  a.script([{ body }, { body: body.replace('"x', '"xx') }]);
  expect((await client.complete(chat, { meta: {} })).text).toHaveLength(4000);
  const err = await client.complete(chat, { meta: {} }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LlmUnavailableError);
  expect((err as LlmUnavailableError).failures).toEqual([{ provider: 'a', outcome: 'too_large' }]);
});

test('a provider max_response_bytes overrides the routing one', async () => {
  const hooks = recordingHooks();
  client = createLlmClient(makeConfig([{ name: 'a', url: a.url, max_response_bytes: 2048 }], { max_response_bytes: 64 * MB }), hooks);
  a.setDefault({ stream: { chunk: garbage, totalBytes: 4096 } });
  await expect(client.complete(chat, { meta: {} })).rejects.toBeInstanceOf(LlmUnavailableError);
  expect(hooks.ends.map((e) => e.outcome)).toEqual(['too_large']);
});

test('memory stays flat under a flood of 50 MB answers (generous bound: a buffered read would add GBs)', async () => {
  a.setDefault({ stream: { chunk: garbage, totalBytes: 50 * MB } });
  b.setDefault({ stream: { chunk: garbage, totalBytes: 50 * MB, declareLength: true } });
  // A breaker that never opens, so every round reaches both providers.
  const { hooks, client } = clientFor({
    retries_per_provider: 0,
    breaker: { failure_threshold: 1000, failure_rate: 1, window: 1000, min_volume: 1000 },
  });
  const rounds = 20; // 40 answers of 50 MB: 2 GB offered
  const before = process.memoryUsage().rss;
  let peak = before;
  for (let i = 0; i < rounds; i++) {
    await expect(client.complete(chat, { meta: {} })).rejects.toBeInstanceOf(LlmUnavailableError);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  expect(hooks.ends.filter((e) => e.outcome === 'too_large')).toHaveLength(2 * rounds);
  expect(peak - before).toBeLessThan(150 * MB);
});
