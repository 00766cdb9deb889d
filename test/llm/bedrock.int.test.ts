// Amazon Bedrock at the wire: Converse and InvokeModel, every request's SigV4 signature verified by `aws4` (an
// independent implementation), credentials from the AWS SDK's default chain: environment, shared profile, container.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlmClient, type LlmClient } from '../../src/llm';
import { claudeAnswer, claudeRefusal } from '../support/fake-anthropic';
import { bedrockError, converseAnswer, type FakeBedrock, startFakeBedrock } from '../support/fake-bedrock';
import { type FakeIssuer, startFakeContainerCredentials } from '../support/fake-identity';
import { captureLogger, chat, configOf, manualClock, recordingHooks } from './helpers';

const REGION = 'us-east-1';
const ENV_KEY = { id: 'AKIAENVEXAMPLE000001', secret: 'env-secret-NEVER-LOG-1' };
const PROFILE_KEY = { id: 'AKIAPROFILEEXAMPLE01', secret: 'profile-secret-NEVER-LOG' };
const ROLE_KEY = { id: 'ASIAROLEEXAMPLE00001', secret: 'role-secret-NEVER-LOG' };
const PROFILE_ARN = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-5-5';
const models = ['us.anthropic.claude-haiku-5-5', 'amazon.nova-lite-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0', PROFILE_ARN];

let bedrock: FakeBedrock;
let container: FakeIssuer;
let client: LlmClient | undefined;
const log = captureLogger();
const dir = mkdtempSync(join(tmpdir(), 'shiftnote-aws-'));
const awsVariables = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_BEARER_TOKEN_BEDROCK',
];
const saved = Object.fromEntries(awsVariables.map((v) => [v, process.env[v]]));

function awsEnv(values: Record<string, string>): void {
  for (const v of awsVariables) delete process.env[v];
  // Never the machine's own ~/.aws, and never the instance metadata service.
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none-credentials');
  process.env.AWS_CONFIG_FILE = join(dir, 'none-config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  Object.assign(process.env, values);
}

beforeAll(async () => {
  container = await startFakeContainerCredentials({
    authorization: 'container-auth-1',
    accessKeyId: ROLE_KEY.id,
    secretAccessKey: ROLE_KEY.secret,
  });
  const keys = new Map([
    [ENV_KEY.id, ENV_KEY.secret],
    [PROFILE_KEY.id, PROFILE_KEY.secret],
    [ROLE_KEY.id, ROLE_KEY.secret],
    ['bedrock-api-key', 'ABSKbedrock-api-key-NEVER-LOG'],
  ]);
  bedrock = await startFakeBedrock({ region: REGION, models, keys, sessions: container });
});
beforeEach(() => {
  bedrock.reset();
  awsEnv({ AWS_ACCESS_KEY_ID: ENV_KEY.id, AWS_SECRET_ACCESS_KEY: ENV_KEY.secret });
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(async () => {
  await Promise.all([bedrock.close(), container.close()]);
  for (const v of awsVariables) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  const text = log.text();
  for (const secret of [
    ENV_KEY.secret,
    PROFILE_KEY.secret,
    ROLE_KEY.secret,
    'ABSKbedrock-api-key-NEVER-LOG',
    ...container.issued.map((i) => i.token),
  ])
    expect(text).not.toContain(secret);
});

function start(entry: Record<string, unknown> = {}, routing: Record<string, unknown> = {}, clock?: () => number) {
  const hooks = recordingHooks();
  const providers = [
    {
      name: 'bedrock',
      type: 'bedrock',
      region: REGION,
      base_url: bedrock.url,
      model: 'us.anthropic.claude-haiku-5-5',
      baa: true,
      ...entry,
    },
  ];
  client = createLlmClient(configOf(providers, routing), hooks, { logger: log, clock });
  return { hooks, client };
}

describe('Converse', () => {
  test('path, body and a SigV4 signature aws4 agrees with (environment credentials)', async () => {
    const { hooks, client } = start();
    const answer = await client.complete(chat, { meta: {} });
    expect(answer).toEqual({
      text: 'answer 0',
      provider: 'bedrock',
      model: 'us.anthropic.claude-haiku-5-5',
      usage: { inputTokens: 10, outputTokens: 5 },
      stopReason: 'stop',
    });
    const req = bedrock.requests[0];
    expect(req.rejected).toBeUndefined();
    expect(bedrock.signatures[0]).toMatchObject({ ok: true, accessKeyId: ENV_KEY.id });
    expect(req.path).toBe('/model/us.anthropic.claude-haiku-5-5/converse');
    expect(String(req.headers.authorization)).toMatch(
      /SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-audit-event-id,/,
    );
    expect(req.headers['x-audit-event-id']).toBe(hooks.ends[0].auditEventId);
    // Claude through Converse: no temperature (current Claude rejects one), the budget with room for thinking.
    expect(req.json).toEqual({
      messages: [{ role: 'user', content: [{ text: chat.messages[0].content }] }],
      system: [{ text: chat.system }],
      inferenceConfig: { maxTokens: 1024 },
    });
    expect(hooks.starts[0]).toMatchObject({ type: 'bedrock', host: `127.0.0.1:${bedrock.port}`, baa: true });
  });

  test('another model family keeps its temperature', async () => {
    start({ model: 'amazon.nova-lite-v1:0' });
    await client!.complete(chat, { meta: {} });
    expect(bedrock.requests[0].rejected).toBeUndefined();
    expect(bedrock.requests[0].json).toMatchObject({ inferenceConfig: { maxTokens: 200, temperature: 0 } });
  });

  test('an inference-profile ARN: encoded in the path, and the signature still verifies (double-encoded canonical path)', async () => {
    start({ model: PROFILE_ARN });
    await client!.complete(chat, { meta: {} });
    expect(bedrock.requests[0].path).toBe(`/model/${encodeURIComponent(PROFILE_ARN)}/converse`);
    expect(bedrock.signatures[0]).toMatchObject({ ok: true });
    expect(bedrock.requests[0].rejected).toBeUndefined();
  });

  test.each([
    ['guardrail_intervened', converseAnswer('', { stop: 'guardrail_intervened' })],
    ['content_filtered', converseAnswer('', { stop: 'content_filtered' })],
  ])('stopReason %s is a refusal', async (reason, step) => {
    bedrock.setDefault(step);
    const { hooks } = start({}, { retries_per_provider: 2 });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({
      failures: [{ provider: 'bedrock', outcome: 'refused', reason }],
    });
    expect(bedrock.requests).toHaveLength(1);
    expect(hooks.ends[0]).toMatchObject({ outcome: 'refused', reason });
  });
});

describe('InvokeModel with Anthropic’s Bedrock body', () => {
  test('anthropic_version bedrock-2023-05-31 in the body, no model, the Messages answer decoded', async () => {
    bedrock.setDefault(claudeAnswer('from invoke', { usage: { input: 40, output: 9 } }));
    start({ api: 'invoke' });
    const answer = await client!.complete(chat, { meta: {} });
    expect(answer).toMatchObject({ text: 'from invoke', usage: { inputTokens: 40, outputTokens: 9 } });
    expect(bedrock.requests[0].rejected).toBeUndefined();
    expect(bedrock.signatures[0].ok).toBe(true);
    expect(bedrock.requests[0].path).toBe('/model/us.anthropic.claude-haiku-5-5/invoke');
    expect(bedrock.requests[0].json).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1024,
      system: chat.system,
      messages: chat.messages,
      output_config: { effort: 'low' },
    });
  });

  test('stop_reason refusal is a refusal', async () => {
    bedrock.setDefault(claudeRefusal());
    const { hooks } = start({ api: 'invoke' });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(hooks.ends[0]).toMatchObject({ outcome: 'refused', reason: 'refusal' });
  });
});

describe('errors as Bedrock names them (X-Amzn-ErrorType)', () => {
  test.each([
    ['ThrottlingException', 429, '429', 2],
    ['ModelNotReadyException', 429, '429', 2],
    ['ServiceUnavailableException', 503, '5xx', 2],
    ['InternalServerException', 500, '5xx', 2],
    ['ModelTimeoutException', 408, 'transient', 2],
    ['ModelErrorException', 424, 'client_error', 1],
    ['ValidationException', 400, 'misconfigured', 1],
    ['AccessDeniedException', 403, 'misconfigured', 1],
    ['ResourceNotFoundException', 404, 'misconfigured', 1],
  ])('%s (%i) → %s', async (type, status, outcome, requests) => {
    bedrock.setDefault(bedrockError(status, type, `fake ${type}`));
    const { hooks } = start({}, { retries_per_provider: 1 });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(bedrock.requests).toHaveLength(requests);
    expect(hooks.ends.map((e) => [e.outcome, e.reason])).toEqual(Array(requests).fill([outcome, type]));
  });

  test('an unknown model id is misconfigured with the ValidationException message in the log', async () => {
    const before = log.lines.length;
    start({ model: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(log.lines.slice(before).find((l) => l.level === 'error')?.obj).toMatchObject({
      errorType: 'ValidationException',
      errorMessage: 'The provided model identifier is invalid.',
    });
  });
});

describe('credentials from the default chain', () => {
  test('a shared profile (aws_profile)', async () => {
    const credentials = join(dir, 'credentials-profile');
    writeFileSync(credentials, `[hospital]\naws_access_key_id = ${PROFILE_KEY.id}\naws_secret_access_key = ${PROFILE_KEY.secret}\n`);
    awsEnv({ AWS_SHARED_CREDENTIALS_FILE: credentials });
    start({ aws_profile: 'hospital' });
    await client!.complete(chat, { meta: {} });
    expect(bedrock.signatures[0]).toMatchObject({ ok: true, accessKeyId: PROFILE_KEY.id });
  });

  test('container credentials: the session token is sent and signed, reused until it nears expiry', async () => {
    awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth-1' });
    const fetched = container.requests.length;
    start();
    await client!.complete(chat, { meta: {} });
    await client!.complete(chat, { meta: {} });
    const token = container.issued[container.issued.length - 1].token;
    expect(container.requests.length - fetched).toBe(1);
    for (const [i, req] of bedrock.requests.entries()) {
      expect(bedrock.signatures[i]).toMatchObject({ ok: true, accessKeyId: ROLE_KEY.id, sessionToken: token });
      expect(req.headers['x-amz-security-token']).toBe(token);
      expect(String(req.headers.authorization)).toContain('x-amz-security-token');
    }
  });

  test('an expired session token: Bedrock answers ExpiredTokenException, the client refreshes and retries once', async () => {
    awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth-1' });
    const { hooks } = start();
    await client!.complete(chat, { meta: {} });
    const first = container.issued[container.issued.length - 1].token;
    container.revoke(first);
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('bedrock');
    const second = container.issued[container.issued.length - 1].token;
    expect(second).not.toBe(first);
    expect(bedrock.requests.slice(1).map((r) => r.headers['x-amz-security-token'])).toEqual([first, second]);
    expect(hooks.ends.slice(1).map((e) => [e.outcome, e.reason])).toEqual([
      ['misconfigured', 'ExpiredTokenException'],
      ['success', undefined],
    ]);
    expect(client!.enabledProviders()[0].state).toBe('available');
  });

  test('credentials near their expiration are replaced before the request is signed', async () => {
    awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth-1' });
    container.lifetimeSeconds = 600;
    const clock = manualClock();
    start({}, {}, clock.now);
    await client!.complete(chat, { meta: {} });
    const first = container.issued[container.issued.length - 1].token;
    clock.advance(600_000); // past expiration on the client's clock: it must not sign with them
    await client!.complete(chat, { meta: {} });
    expect(bedrock.requests[1].headers['x-amz-security-token']).not.toBe(first);
    expect(bedrock.signatures[1].ok).toBe(true);
    container.lifetimeSeconds = 3600;
  });

  test('a wrong static secret: rejected once, the chain has nothing else, misconfigured (no second disclosure)', async () => {
    awsEnv({ AWS_ACCESS_KEY_ID: ENV_KEY.id, AWS_SECRET_ACCESS_KEY: 'wrong-secret' });
    const { hooks } = start({}, { retries_per_provider: 2 });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(bedrock.requests).toHaveLength(1);
    expect(hooks.ends.map((e) => [e.outcome, e.reason])).toEqual([['misconfigured', 'InvalidSignatureException']]);
    expect(client!.enabledProviders()[0]).toMatchObject({
      state: 'misconfigured',
      cause: expect.stringMatching(/^credentials credential_rejected/),
    });
  });

  test('no credentials anywhere: misconfigured before anything is sent, with the chain’s own message', async () => {
    awsEnv({});
    const { hooks } = start();
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({
      failures: [{ provider: 'bedrock', outcome: 'misconfigured', reason: 'CredentialsProviderError' }],
    });
    expect(bedrock.requests).toHaveLength(0);
    expect(hooks.starts).toHaveLength(0);
    expect(client!.health().reasons).toEqual([expect.stringMatching(/^bedrock: misconfigured \(credentials CredentialsProviderError: /)]);
  });

  test('a Bedrock API key instead of SigV4: Authorization Bearer, nothing signed', async () => {
    start({ api_key: 'ABSKbedrock-api-key-NEVER-LOG' });
    awsEnv({});
    await client!.complete(chat, { meta: {} });
    expect(bedrock.requests[0].rejected).toBeUndefined();
    expect(bedrock.requests[0].headers.authorization).toBe('Bearer ABSKbedrock-api-key-NEVER-LOG');
    expect(bedrock.requests[0].headers['x-amz-date']).toBeUndefined();
  });
});
