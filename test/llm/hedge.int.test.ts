// Hedging: a slow first provider gets a second attempt at the next one; the first success wins, the loser is aborted.
import { createLlmClient, type LlmClient } from '../../src/llm';
import { HEDGE_MIN_SAMPLES } from '../../src/llm/latency';
import { type FakeUpstream, openaiReply, startFakeUpstream } from '../support/fake-upstream';
import { chat, checkAuditIds, makeConfig, recordingHooks } from './helpers';

let slow: FakeUpstream;
let fast: FakeUpstream;
let client: LlmClient;

beforeAll(async () => {
  [slow, fast] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
});
beforeEach(() => {
  slow.reset();
  fast.reset();
});
afterEach(() => client.close());
afterAll(() => Promise.all([slow.close(), fast.close()]));

function hedgedClient(routing: Record<string, unknown> = {}) {
  const hooks = recordingHooks();
  const config = makeConfig(
    [
      { name: 'slow', url: slow.url, weight: 10 },
      { name: 'fast', url: fast.url, weight: 1 },
    ],
    { hedge: { enabled: true, delay_ms: 50 }, attempt_timeout_ms: 10_000, deadline_ms: 20_000, ...routing },
  );
  client = createLlmClient(config, hooks);
  return { hooks, seen: [checkAuditIds(slow, hooks), checkAuditIds(fast, hooks)] };
}

test('slow first provider, fast second: the hedge wins, the first is aborted, both are audited', async () => {
  slow.setDefault({ hang: true });
  fast.setDefault(openaiReply('hedged answer'));
  const { hooks, seen } = hedgedClient();
  const t0 = performance.now();

  const answer = await client.complete(chat, { meta: {} });

  expect(answer).toMatchObject({ provider: 'fast', text: 'hedged answer' });
  await slow.waitFor((r) => r[0]?.state === 'aborted');
  expect(seen.flat().every((s) => s.known)).toBe(true);
  expect(hooks.starts.map((s) => [s.provider, s.hedge, s.attempt])).toEqual([
    ['slow', false, 1],
    ['fast', true, 2],
  ]);
  const outcomes = Object.fromEntries(hooks.ends.map((e) => [e.provider, e.outcome]));
  expect(outcomes).toEqual({ slow: 'hedge_lost', fast: 'success' });
  // The hedge waited for its delay (50 ms) before going out.
  expect(fast.requests[0].receivedAt - t0).toBeGreaterThanOrEqual(45);
});

test('a first provider answering before the hedge delay means no hedge at all', async () => {
  slow.setDefault(openaiReply('quick enough'));
  const { hooks } = hedgedClient({ hedge: { enabled: true, delay_ms: 5000 } });
  const answer = await client.complete(chat, { meta: {} });
  expect(answer.provider).toBe('slow');
  expect(fast.requests).toHaveLength(0);
  expect(hooks.starts).toHaveLength(1);
});

test('the hedge failing leaves the first attempt to answer', async () => {
  slow.setDefault({ ...openaiReply('slow but right'), delayMs: 300 });
  fast.setDefault({ status: 500 });
  const { hooks } = hedgedClient({ retries_per_provider: 0 });
  const answer = await client.complete(chat, { meta: {} });
  expect(answer.provider).toBe('slow');
  expect(hooks.ends.map((e) => [e.provider, e.outcome])).toEqual([
    ['fast', '5xx'],
    ['slow', 'success'],
  ]);
});

test('a caller abort during a hedge cancels both upstream requests', async () => {
  slow.setDefault({ hang: true });
  fast.setDefault({ hang: true });
  const { hooks } = hedgedClient();
  const controller = new AbortController();
  const pending = client.complete(chat, { meta: {}, signal: controller.signal });
  await fast.waitForRequests(1);
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  await slow.waitFor((r) => r[0].state === 'aborted');
  await fast.waitFor((r) => r[0].state === 'aborted');
  expect(hooks.ends.map((e) => e.outcome)).toEqual(['aborted', 'aborted']);
});

test("after enough answers the hedge delay is the provider's observed p95, not delay_ms", async () => {
  slow.setDefault(openaiReply('quick while warm'));
  fast.setDefault(openaiReply('hedge'));
  hedgedClient({ hedge: { enabled: true, delay_ms: 10_000 } });
  // Until HEDGE_MIN_SAMPLES answers are seen the delay is delay_ms (10 s): none of these can hedge, however busy
  // the machine. After them the p95 of those quick answers is the delay.
  for (let i = 0; i < HEDGE_MIN_SAMPLES; i++) expect((await client.complete(chat, { meta: {} })).provider).toBe('slow');
  expect(fast.requests).toHaveLength(0);

  slow.setDefault({ hang: true });
  const t0 = performance.now();
  const answer = await client.complete(chat, { meta: {} });
  expect(answer.provider).toBe('fast');
  expect(performance.now() - t0).toBeLessThan(5000); // far sooner than delay_ms
});
