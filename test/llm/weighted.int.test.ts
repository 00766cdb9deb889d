// Weighted routing over real HTTP: first picks follow the weights, failures still fail over.
import { createLlmClient, type LlmClient } from '../../src/llm';
import { type FakeUpstream, startFakeUpstream } from '../support/fake-upstream';
import { chat, makeConfig, recordingHooks, seededRandom } from './helpers';

let heavy: FakeUpstream;
let light: FakeUpstream;
let client: LlmClient;

beforeAll(async () => {
  [heavy, light] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
});
afterEach(() => client.close());
afterAll(() => Promise.all([heavy.close(), light.close()]));

function weightedClient() {
  heavy.reset();
  light.reset();
  const config = makeConfig(
    [
      { name: 'light', url: light.url, weight: 1 },
      { name: 'heavy', url: heavy.url, weight: 3 },
    ],
    { strategy: 'weighted' },
  );
  client = createLlmClient(config, recordingHooks(), { random: seededRandom(7) });
}

test('the share of first attempts roughly follows the weights (3:1)', async () => {
  weightedClient();
  const counts = { heavy: 0, light: 0 };
  for (let i = 0; i < 400; i++) counts[(await client.complete(chat, { meta: {} })).provider as keyof typeof counts]++;
  expect(counts.heavy + counts.light).toBe(400);
  expect(counts.heavy / 400).toBeGreaterThan(0.65);
  expect(counts.heavy / 400).toBeLessThan(0.85);
  expect(heavy.requests.length).toBe(counts.heavy);
});

test('when the weighted pick fails, the others are tried in failover order', async () => {
  weightedClient();
  heavy.setDefault({ status: 500 });
  for (let i = 0; i < 20; i++) expect((await client.complete(chat, { meta: {} })).provider).toBe('light');
});
