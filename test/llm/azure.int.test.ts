// Azure OpenAI at the wire: classic deployments and the v1 path, api-key and Entra ID (managed identity and client
// credentials) with tokens cached, refreshed ahead of expiry, replaced when the service rejects one, and bounded in time.
import { createLlmClient, type LlmClient } from '../../src/llm';
import { azureCompletionFiltered, azurePromptFiltered, startFakeAzure } from '../support/fake-azure';
import { type FakeIssuer, startFakeEntra, testTls } from '../support/fake-identity';
import { openaiAnswer, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai';
import type { FakeUpstream } from '../support/fake-upstream';
import { API_KEY, captureLogger, chat, configOf, jsonChat, manualClock, recordingHooks } from './helpers';

const AZURE_KEY = 'azure-key-0123456789abcdef';
const CLIENT_SECRET = 'entra-client-secret-NEVER-LOG';
let entra: FakeIssuer; // managed identity endpoint (HTTP, as on App Service)
let authority: FakeIssuer; // client credentials authority (HTTPS)
let azure: FakeUpstream;
let fallback: FakeOpenAi;
let client: LlmClient | undefined;
const log = captureLogger();
const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  entra = await startFakeEntra({
    tenant: 'tenant-1',
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    identityHeader: 'identity-header-1',
  });
  authority = await startFakeEntra({
    tenant: 'tenant-1',
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    identityHeader: 'x',
    tls: true,
  });
  // Tokens from either issuer are good at this resource.
  const both: FakeIssuer = { ...entra, valid: (t) => entra.valid(t) || authority.valid(t) };
  azure = await startFakeAzure({ deployments: { summaries: 'gpt-5.4-mini', legacy: 'gpt-4.1-mini' }, apiKey: AZURE_KEY, entra: both });
  fallback = await startFakeOpenAi({ apiKey: API_KEY, models: ['gpt-4.1-mini'] });
  process.env.IDENTITY_ENDPOINT = `${entra.url}/msi/token`;
  process.env.IDENTITY_HEADER = 'identity-header-1';
});
beforeEach(() => {
  azure.reset();
  fallback.reset();
  entra.lifetimeSeconds = 3600;
  entra.hang(false);
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(async () => {
  await Promise.all([entra.close(), authority.close(), azure.close(), fallback.close()]);
  process.env.IDENTITY_ENDPOINT = saved.endpoint;
  process.env.IDENTITY_HEADER = saved.header;
  if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
  if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
  const text = log.text();
  for (const secret of [AZURE_KEY, CLIENT_SECRET, API_KEY, ...entra.issued.map((i) => i.token), ...authority.issued.map((i) => i.token)])
    expect(text).not.toContain(secret);
});

const fallbackEntry = () => ({
  name: 'fallback',
  type: 'openai',
  base_url: fallback.url,
  api_key: API_KEY,
  model: 'gpt-4.1-mini',
  weight: 0,
});

function start(entry: Record<string, unknown>, routing: Record<string, unknown> = {}, clock?: () => number) {
  const hooks = recordingHooks();
  const providers = [
    {
      name: 'azure',
      type: 'azure-openai',
      endpoint: 'https://myres.openai.azure.com',
      base_url: azure.url,
      weight: 10,
      baa: true,
      ...entry,
    },
    fallbackEntry(),
  ];
  client = createLlmClient(configOf(providers, routing), hooks, { logger: log, clock });
  return { hooks, client };
}

const classic = { deployment: 'summaries', api_version: '2024-10-21', model: 'gpt-5.4-mini', api_key: AZURE_KEY };
let identities = 0;
/**
 * A user-assigned managed identity of its own for each test: MSAL keeps managed-identity tokens in a process-wide
 * cache keyed by identity, so tests sharing one would share (and revoke) each other's tokens.
 */
const msi = () => ({
  deployment: 'summaries',
  api_version: '2024-10-21',
  model: 'gpt-5.4-mini',
  auth: 'entra',
  client_id: `identity-${++identities}`,
});

describe('paths and keys', () => {
  test('classic deployment: /openai/deployments/{name}/chat/completions?api-version, api-key header, no model in the body', async () => {
    const { hooks, client } = start(classic);
    const answer = await client.complete(jsonChat, { meta: {} });
    expect(answer).toMatchObject({ provider: 'azure', model: 'gpt-5.4-mini' });
    const req = azure.requests[0];
    expect(req.rejected).toBeUndefined();
    expect(req.path).toBe('/openai/deployments/summaries/chat/completions?api-version=2024-10-21');
    expect(req.headers['api-key']).toBe(AZURE_KEY);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.json).not.toHaveProperty('model');
    expect(req.json).toMatchObject({ max_completion_tokens: 2048, reasoning_effort: 'low', response_format: { type: 'json_object' } });
    expect(hooks.starts[0]).toMatchObject({ type: 'azure-openai', host: `127.0.0.1:${azure.port}`, baa: true, model: 'gpt-5.4-mini' });
  });

  test('v1 path: /openai/v1/chat/completions with the deployment name as model', async () => {
    start({
      model: 'summaries',
      api_key: AZURE_KEY,
      params: { reasoning_effort: 'low', output_tokens_param: 'max_completion_tokens', temperature: false },
    });
    await client!.complete(chat, { meta: {} });
    expect(azure.requests[0].rejected).toBeUndefined();
    expect(azure.requests[0].path).toBe('/openai/v1/chat/completions');
    expect(azure.requests[0].json).toMatchObject({ model: 'summaries' });
  });

  test('a classic deployment whose model is not named gets parameters every current model accepts', async () => {
    start({ deployment: 'legacy', api_version: '2024-10-21', api_key: AZURE_KEY });
    await client!.complete(chat, { meta: {} });
    expect(azure.requests[0].rejected).toBeUndefined();
    expect(azure.requests[0].json).toMatchObject({ max_completion_tokens: 200 });
    expect(azure.requests[0].json).not.toHaveProperty('temperature');
  });

  test.each([
    ['an unknown deployment', { ...classic, deployment: 'nope' }, 404, 'DeploymentNotFound'],
    ['an unsupported api-version', { ...classic, api_version: '2023-01-01' }, 404, 'NotFound'],
    ['a wrong key', { ...classic, api_key: 'wrong-key-000000' }, 401, '401'],
  ])('%s: misconfigured, the fallback answers', async (_what, entry, status, errorType) => {
    const { hooks } = start(entry);
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('fallback');
    expect(hooks.ends[0]).toMatchObject({ provider: 'azure', outcome: 'misconfigured', status, reason: errorType });
  });
});

describe('content filters are refusals, not configuration errors', () => {
  test.each([
    ['the prompt filtered (400 content_filter)', azurePromptFiltered(), 400, 'content_filter'],
    ['the completion filtered (finish_reason content_filter)', azureCompletionFiltered(), 200, 'content_filter'],
  ])('%s', async (_what, step, status, reason) => {
    azure.setDefault(step);
    const { hooks } = start(classic, { retries_per_provider: 2 });
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('fallback');
    expect(hooks.ends.map((e) => [e.provider, e.outcome, e.status, e.reason])).toEqual([
      ['azure', 'refused', status, reason],
      ['fallback', 'success', 200, undefined],
    ]);
    expect(client!.enabledProviders()[0]).toMatchObject({ state: 'available', breaker: 'closed' });
  });
});

test('429 with retry-after-ms (as Azure sends it): the same deployment again after the wait', async () => {
  azure.script([
    {
      status: 429,
      json: { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation have exceeded the rate limit.' } },
      headers: { 'retry-after-ms': '120', 'retry-after': '1' },
    },
  ]);
  const { hooks } = start(classic, { retries_per_provider: 1 });
  expect((await client!.complete(chat, { meta: {} })).provider).toBe('azure');
  expect(hooks.ends.map((e) => e.outcome)).toEqual(['429', 'success']);
  const gap = azure.requests[1].receivedAt - azure.requests[0].receivedAt;
  expect(gap).toBeGreaterThanOrEqual(110);
  expect(gap).toBeLessThan(900); // retry-after-ms wins over the 1 s retry-after
});

describe('Entra ID: managed identity', () => {
  test('one token for many calls, sent as a bearer token (no api-key); concurrent cold calls fetch it once', async () => {
    const issuedBefore = entra.issued.length;
    start(msi());
    await Promise.all([client!.complete(chat, { meta: {} }), client!.complete(chat, { meta: {} })]);
    await client!.complete(chat, { meta: {} });
    expect(entra.issued.length - issuedBefore).toBe(1);
    const token = entra.issued[entra.issued.length - 1].token;
    for (const req of azure.requests) {
      expect(req.rejected).toBeUndefined();
      expect(req.headers.authorization).toBe(`Bearer ${token}`);
      expect(req.headers['api-key']).toBeUndefined();
    }
  });

  test('a revoked token: the service answers 401, the client fetches a new one and retries once, no misconfiguration', async () => {
    // Short-lived tokens: MSAL itself does not cache them (under its 5-minute margin), as with the real service near expiry.
    entra.lifetimeSeconds = 120;
    const { hooks } = start(msi());
    await client!.complete(chat, { meta: {} });
    const first = entra.issued[entra.issued.length - 1].token;
    entra.revoke(first);
    const before = log.lines.length;

    const answer = await client!.complete(chat, { meta: {} });

    expect(answer.provider).toBe('azure');
    const second = entra.issued[entra.issued.length - 1].token;
    expect(second).not.toBe(first);
    expect(azure.requests.slice(1).map((r) => r.headers.authorization)).toEqual([`Bearer ${first}`, `Bearer ${second}`]);
    expect(hooks.ends.slice(1).map((e) => [e.outcome, e.status, e.providerAttempt])).toEqual([
      ['misconfigured', 401, 1],
      ['success', 200, 2],
    ]);
    expect(log.lines.slice(before).filter((l) => l.level === 'error')).toEqual([]);
    expect(client!.enabledProviders()[0].state).toBe('available');
  });

  test('a revoked token the identity source hands back again: misconfigured, loudly, without a third request', async () => {
    // Long-lived: MSAL's own (process-wide) managed-identity cache answers the second fetch with the same token.
    const { hooks } = start(msi());
    await client!.complete(chat, { meta: {} });
    entra.revoke(entra.issued[entra.issued.length - 1].token);
    const before = log.lines.length;
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('fallback');
    expect(azure.requests).toHaveLength(2);
    expect(hooks.ends.filter((e) => e.provider === 'azure').map((e) => e.outcome)).toEqual(['success', 'misconfigured']);
    expect(client!.enabledProviders()[0]).toMatchObject({
      state: 'misconfigured',
      cause: expect.stringMatching(/^credentials credential_rejected/),
    });
    expect(log.lines.slice(before).filter((l) => l.level === 'error')).toHaveLength(1);
  });

  test('refreshed ahead of expiry in the background: the call at refresh time does not wait for the token endpoint', async () => {
    const clock = manualClock();
    entra.lifetimeSeconds = 120; // short-lived, so MSAL fetches rather than answering from its cache
    const { hooks } = start(msi(), {}, clock.now);
    await client!.complete(chat, { meta: {} });
    const token = entra.issued[entra.issued.length - 1];
    const requestsBefore = entra.requests.length;
    // Past the refresh point (half the lifetime of a short token), still valid. The endpoint now hangs.
    clock.advance(70_000);
    entra.hang(true);
    const answer = await client!.complete(chat, { meta: {} });
    expect(answer.provider).toBe('azure');
    expect(azure.requests[1].headers.authorization).toBe(`Bearer ${token.token}`);
    // The refresh went out while the call proceeded with the token in hand.
    expect(entra.requests.length).toBeGreaterThan(requestsBefore);
    expect(hooks.ends.map((e) => e.outcome)).toEqual(['success', 'success']);
  });

  test('past expiry: the next call fetches a new token first (and uses it)', async () => {
    const clock = manualClock();
    entra.lifetimeSeconds = 120; // below MSAL's own cache margin, so its fetch goes to the endpoint
    start(msi(), {}, clock.now);
    await client!.complete(chat, { meta: {} });
    const first = entra.issued[entra.issued.length - 1].token;
    clock.advance(121_000);
    await client!.complete(chat, { meta: {} });
    const second = entra.issued[entra.issued.length - 1].token;
    expect(second).not.toBe(first);
    expect(azure.requests[1].headers.authorization).toBe(`Bearer ${second}`);
  });

  test('a hanging token endpoint is bounded by the attempt timeout: auth_error, no audit row, the fallback answers', async () => {
    entra.hang(true);
    const { hooks } = start({ ...msi(), attempt_timeout_ms: 300 }, { token_timeout_ms: 5000 });
    const t0 = performance.now();
    const answer = await client!.complete(chat, { meta: {} });
    expect(answer.provider).toBe('fallback');
    expect(performance.now() - t0).toBeLessThan(300 + 1500);
    expect(azure.requests).toHaveLength(0);
    expect(hooks.starts.map((s) => s.provider)).toEqual(['fallback']);
  });
});

describe('Entra ID: client credentials (HTTPS authority)', () => {
  const credentials = (secret: string) => ({
    ...msi(),
    tenant_id: 'tenant-1',
    client_id: 'client-1',
    client_secret: secret,
    authority_host: authority.url,
    ca_file: testTls.caFile,
  });

  test('the token comes from the authority and goes out as a bearer token', async () => {
    start(credentials(CLIENT_SECRET));
    await client!.complete(chat, { meta: {} });
    const token = authority.issued[authority.issued.length - 1].token;
    expect(azure.requests[0].rejected).toBeUndefined();
    expect(azure.requests[0].headers.authorization).toBe(`Bearer ${token}`);
    expect(authority.requests.some((r) => r.startsWith('POST /tenant-1/oauth2/v2.0/token'))).toBe(true);
  });

  test('a wrong client secret: misconfigured before anything is sent (no audit row), one error log, the fallback answers', async () => {
    const { hooks } = start(credentials('wrong-secret'));
    const before = log.lines.length;
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('fallback');
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('fallback');
    expect(azure.requests).toHaveLength(0);
    expect(hooks.starts.map((s) => s.provider)).toEqual(['fallback', 'fallback']);
    const errors = log.lines.slice(before).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].obj).toMatchObject({ provider: 'azure', outcome: 'misconfigured', credentials: 'invalid_client' });
    expect(client!.health().reasons).toEqual([
      expect.stringMatching(/^azure: misconfigured \(credentials invalid_client: .*AADSTS7000215/),
    ]);
  });
});

test('base_url replaces the vendor host; the audit row names the host that received the data', async () => {
  const { hooks } = start({ ...classic, endpoint: 'https://other.openai.azure.com' });
  await client!.complete(chat, { meta: {} });
  expect(hooks.starts[0].host).toBe(`127.0.0.1:${azure.port}`);
  fallback.script([openaiAnswer('unused')]);
});
