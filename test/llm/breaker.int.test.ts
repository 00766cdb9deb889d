// Circuit breaker through the client: an open provider is skipped without any network attempt or audit row.
import { Registry } from 'prom-client';
import { createLlmClient, type LlmClient } from '../../src/llm';
import { type FakeUpstream, openaiReply, startFakeUpstream } from '../support/fake-upstream';
import { captureLogger, chat, makeConfig, recordingHooks } from './helpers';

let a: FakeUpstream;
let b: FakeUpstream;
let client: LlmClient;
let now = 0;
const clock = () => now;

beforeAll(async () => {
  [a, b] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
});
afterAll(() => Promise.all([a.close(), b.close()]));

function setup() {
  a.reset();
  b.reset();
  b.setDefault(openaiReply('from b'));
  now = 1_000_000;
  const hooks = recordingHooks();
  const registry = new Registry();
  const log = captureLogger();
  const config = makeConfig(
    [
      { name: 'a', url: a.url, weight: 2 },
      { name: 'b', url: b.url, weight: 1 },
    ],
    { breaker: { failure_threshold: 2, failure_rate: 1, window: 10, cooldown_ms: 30_000 } },
  );
  client = createLlmClient(config, hooks, { clock, metrics: registry, logger: log });
  return { hooks, registry, log };
}
afterEach(() => client.close());

const stateOf = (name: string) => client.enabledProviders().find((p) => p.name === name)?.breaker;

test('opens after N consecutive failures, then skips the provider without contacting or auditing it', async () => {
  const { hooks, registry, log } = setup();
  a.setDefault({ status: 500 });

  await client.complete(chat, { meta: {} });
  expect(stateOf('a')).toBe('closed');
  await client.complete(chat, { meta: {} });
  expect(stateOf('a')).toBe('open');
  expect(log.lines.some((l) => l.level === 'warn' && /breaker opened/.test(l.msg))).toBe(true);
  expect(await registry.metrics()).toContain('shiftnote_llm_breaker_state{provider="a"} 2');

  const requestsBefore = a.requests.length;
  const auditsBefore = hooks.starts.length;
  const answer = await client.complete(chat, { meta: {} });
  expect(answer.provider).toBe('b');
  expect(a.requests.length).toBe(requestsBefore); // zero network attempts to the open provider
  expect(hooks.starts.slice(auditsBefore).map((s) => s.provider)).toEqual(['b']); // and no audit row for it
});

test('after the cooldown one probe goes through; success closes the breaker', async () => {
  const { hooks, registry } = setup();
  a.setDefault({ status: 500 });
  await client.complete(chat, { meta: {} });
  await client.complete(chat, { meta: {} });
  expect(stateOf('a')).toBe('open');

  now += 30_000;
  expect(stateOf('a')).toBe('half-open');
  expect(await registry.metrics()).toContain('shiftnote_llm_breaker_state{provider="a"} 1');

  a.setDefault(openaiReply('a is back'));
  const before = a.requests.length;
  const answer = await client.complete(chat, { meta: {} });
  expect(answer).toMatchObject({ provider: 'a', text: 'a is back' });
  expect(a.requests.length).toBe(before + 1);
  expect(stateOf('a')).toBe('closed');
  expect(hooks.ends.at(-1)).toMatchObject({ provider: 'a', outcome: 'success' });
});

test('a failed probe re-opens the breaker for another cooldown', async () => {
  setup();
  a.setDefault({ status: 502 });
  await client.complete(chat, { meta: {} });
  await client.complete(chat, { meta: {} });
  now += 30_000;

  const before = a.requests.length;
  const answer = await client.complete(chat, { meta: {} });
  expect(answer.provider).toBe('b');
  expect(a.requests.length).toBe(before + 1); // exactly one probe, no retry of it
  expect(stateOf('a')).toBe('open');

  await client.complete(chat, { meta: {} });
  expect(a.requests.length).toBe(before + 1);
});

test('while the probe is in flight, other calls skip the provider', async () => {
  setup();
  a.setDefault({ status: 500 });
  await client.complete(chat, { meta: {} });
  await client.complete(chat, { meta: {} });
  now += 30_000;

  a.setDefault({ ...openaiReply('slow probe'), delayMs: 1000 });
  const probe = client.complete(chat, { meta: {} });
  await a.waitFor((r) => r.length === 3);
  const meanwhile = await client.complete(chat, { meta: {} });
  expect(meanwhile.provider).toBe('b');
  expect(a.requests).toHaveLength(3);
  expect((await probe).provider).toBe('a');
  expect(stateOf('a')).toBe('closed');
});
