// Vertex AI at the wire: Claude through :rawPredict and Gemini through :generateContent, Google access tokens from
// application-default credentials (the metadata server; a credentials file), cached, replaced when rejected, bounded.
import { spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockedReason, FinishReason } from '@google/genai';
import { createLlmClient, type LlmClient } from '../../src/llm';
import { vertexUrl } from '../../src/llm/providers/vertex';
import { claudeAnswer, claudeRefusal } from '../support/fake-anthropic';
import { type FakeIssuer, startFakeMetadataServer } from '../support/fake-identity';
import type { FakeUpstream } from '../support/fake-upstream';
import { geminiAnswer, googleError, startFakeVertex } from '../support/fake-vertex';
import { captureLogger, chat, configOf, jsonChat, recordingHooks } from './helpers';

// jest's node environment lacks the Web Crypto global that Node itself has; without it gaxios falls back to a
// dynamic import that jest's module runtime cannot run (plain node needs no such help).
(globalThis as { crypto?: unknown }).crypto ??= webcrypto;

const PROJECT = 'hospital-ai-prod';
const REGION = 'us-east5';
let metadata: FakeIssuer;
let vertex: FakeUpstream;
let client: LlmClient | undefined;
const log = captureLogger();
const dir = mkdtempSync(join(tmpdir(), 'shiftnote-gcp-'));
const variables = ['GCE_METADATA_HOST', 'GOOGLE_APPLICATION_CREDENTIALS', 'HOME', 'CLOUDSDK_CONFIG'];
const saved = Object.fromEntries(variables.map((v) => [v, process.env[v]]));

beforeAll(async () => {
  metadata = await startFakeMetadataServer({ project: PROJECT });
  vertex = await startFakeVertex({
    project: PROJECT,
    region: REGION,
    models: ['anthropic/claude-haiku-5-5', 'google/gemini-3.5-flash', 'google/gemini-2.5-flash'],
    tokens: { ...metadata, valid: (t) => metadata.valid(t) || stsTokens.has(String(t)) },
  });
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  // No gcloud application-default credentials from this machine's home directory.
  process.env.HOME = dir;
  process.env.CLOUDSDK_CONFIG = join(dir, 'gcloud');
  process.env.GCE_METADATA_HOST = `127.0.0.1:${metadata.port}`;
});
beforeEach(() => {
  vertex.reset();
  metadata.hang(false);
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(async () => {
  sts?.closeAllConnections();
  await Promise.all([metadata.close(), vertex.close(), new Promise((resolve) => (sts ? sts.close(resolve) : resolve(undefined)))]);
  for (const v of variables) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  const text = log.text();
  for (const t of [...metadata.issued.map((i) => i.token), ...stsTokens]) expect(text).not.toContain(t);
});

function start(entry: Record<string, unknown> = {}, routing: Record<string, unknown> = {}) {
  const hooks = recordingHooks();
  const providers = [
    {
      name: 'vertex',
      type: 'vertex',
      project: PROJECT,
      region: REGION,
      publisher: 'anthropic',
      model: 'claude-haiku-5-5',
      base_url: vertex.url,
      baa: true,
      ...entry,
    },
  ];
  client = createLlmClient(configOf(providers, routing), hooks, { logger: log });
  return { hooks, client };
}

const latestToken = () => metadata.issued[metadata.issued.length - 1].token;

describe('Claude on Vertex (:rawPredict)', () => {
  test('path, bearer token from the metadata server, anthropic_version vertex-2023-10-16 in the body, no model', async () => {
    const { hooks, client } = start();
    const answer = await client.complete(chat, { meta: {} });
    expect(answer).toMatchObject({ provider: 'vertex', model: 'claude-haiku-5-5', text: 'answer 0' });
    const req = vertex.requests[0];
    expect(req.rejected).toBeUndefined();
    expect(req.path).toBe(`/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/claude-haiku-5-5:rawPredict`);
    expect(req.headers.authorization).toBe(`Bearer ${latestToken()}`);
    expect(req.json).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 1024,
      system: chat.system,
      messages: chat.messages,
      output_config: { effort: 'low' },
    });
    expect(hooks.starts[0]).toMatchObject({ type: 'vertex', baa: true, host: `127.0.0.1:${vertex.port}` });
  });

  test('one token for many calls', async () => {
    const before = metadata.issued.length;
    start();
    await Promise.all([client!.complete(chat, { meta: {} }), client!.complete(chat, { meta: {} })]);
    await client!.complete(chat, { meta: {} });
    expect(metadata.issued.length - before).toBe(1);
  });

  test('stop_reason refusal is a refusal', async () => {
    vertex.setDefault(claudeRefusal());
    const { hooks } = start({}, { retries_per_provider: 2 });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(vertex.requests).toHaveLength(1);
    expect(hooks.ends[0]).toMatchObject({ outcome: 'refused', reason: 'refusal' });
  });
});

describe('Gemini on Vertex (:generateContent)', () => {
  test('gemini-3.5: thinking level low, JSON mime type when asked, no temperature; thought parts are not the answer', async () => {
    vertex.setDefault(geminiAnswer('{"sentences":[]}', { thought: 'private thoughts', usage: { input: 50, output: 7, thoughts: 30 } }));
    start({ publisher: 'google', model: 'gemini-3.5-flash' });
    const answer = await client!.complete(jsonChat, { meta: {} });
    expect(answer).toEqual({
      text: '{"sentences":[]}',
      provider: 'vertex',
      model: 'gemini-3.5-flash',
      usage: { inputTokens: 50, outputTokens: 37 },
      stopReason: 'stop',
    });
    const req = vertex.requests[0];
    expect(req.rejected).toBeUndefined();
    expect(req.path).toBe(`/v1/projects/${PROJECT}/locations/${REGION}/publishers/google/models/gemini-3.5-flash:generateContent`);
    expect(req.json).toEqual({
      contents: [{ role: 'user', parts: [{ text: jsonChat.messages[0].content }] }],
      systemInstruction: { parts: [{ text: jsonChat.system }] },
      generationConfig: { maxOutputTokens: 1024, responseMimeType: 'application/json', thinkingConfig: { thinkingLevel: 'LOW' } },
    });
  });

  test('gemini-2.5: a temperature, no thinking level; an assistant turn becomes role "model"', async () => {
    start({ publisher: 'google', model: 'gemini-2.5-flash' });
    await client!.complete(
      { ...chat, messages: [...chat.messages, { role: 'assistant', content: 'draft' }, { role: 'user', content: 'again' }] },
      { meta: {} },
    );
    expect(vertex.requests[0].rejected).toBeUndefined();
    expect(vertex.requests[0].json).toMatchObject({
      contents: [{ role: 'user' }, { role: 'model', parts: [{ text: 'draft' }] }, { role: 'user' }],
      generationConfig: { maxOutputTokens: 200, temperature: 0 },
    });
  });

  test.each([
    ['a blocked prompt', geminiAnswer('', { blocked: BlockedReason.PROHIBITED_CONTENT }), 'PROHIBITED_CONTENT'],
    ['a safety stop', geminiAnswer('', { finish: FinishReason.SAFETY }), 'SAFETY'],
    ['a recitation stop', geminiAnswer('', { finish: FinishReason.RECITATION }), 'RECITATION'],
  ])('%s is a refusal', async (_what, step, reason) => {
    vertex.setDefault(step);
    const { hooks } = start({ publisher: 'google', model: 'gemini-3.5-flash' }, { retries_per_provider: 2 });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ failures: [{ outcome: 'refused', reason }] });
    expect(vertex.requests).toHaveLength(1);
    expect(hooks.ends[0]).toMatchObject({ outcome: 'refused', reason });
  });
});

describe('errors as Google names them', () => {
  test.each([
    ['RESOURCE_EXHAUSTED', 429, '429', 2],
    ['UNAVAILABLE', 503, '5xx', 2],
    ['INVALID_ARGUMENT', 400, 'misconfigured', 1],
    ['PERMISSION_DENIED', 403, 'misconfigured', 1],
    ['NOT_FOUND', 404, 'misconfigured', 1],
  ])('%s (%i) → %s', async (status, code, outcome, requests) => {
    vertex.setDefault(googleError(code, status, `fake ${status}`));
    const { hooks } = start({}, { retries_per_provider: 1 });
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(vertex.requests).toHaveLength(requests);
    expect(hooks.ends.map((e) => [e.outcome, e.reason])).toEqual(Array(requests).fill([outcome, status]));
  });

  test('a model the region does not serve: misconfigured, with Google’s message', async () => {
    const { client } = start({ model: 'claude-3-5-haiku@20241022' });
    await expect(client.complete(chat, { meta: {} })).rejects.toMatchObject({ name: 'LlmUnavailableError' });
    expect(client.health().reasons).toEqual([
      expect.stringContaining(
        '404 NOT_FOUND: Publisher Model `projects/hospital-ai-prod/locations/us-east5/publishers/anthropic/models/claude-3-5-haiku@20241022` not found.',
      ),
    ]);
  });
});

describe('tokens', () => {
  test('a revoked token: 401 UNAUTHENTICATED, a new one is fetched and the request retried once', async () => {
    const { hooks } = start();
    await client!.complete(chat, { meta: {} });
    const first = latestToken();
    metadata.revoke(first);
    expect((await client!.complete(chat, { meta: {} })).provider).toBe('vertex');
    const second = latestToken();
    expect(second).not.toBe(first);
    expect(vertex.requests.slice(1).map((r) => r.headers.authorization)).toEqual([`Bearer ${first}`, `Bearer ${second}`]);
    expect(hooks.ends.slice(1).map((e) => [e.outcome, e.reason])).toEqual([
      ['misconfigured', 'UNAUTHENTICATED'],
      ['success', undefined],
    ]);
    expect(client!.enabledProviders()[0].state).toBe('available');
  });

  test('a metadata server that hangs is bounded by the attempt timeout: auth_error, nothing sent, no audit row', async () => {
    metadata.hang(true);
    const { hooks } = start({ attempt_timeout_ms: 300 });
    const t0 = performance.now();
    await expect(client!.complete(chat, { meta: {} })).rejects.toMatchObject({ failures: [{ provider: 'vertex', outcome: 'auth_error' }] });
    expect(performance.now() - t0).toBeLessThan(300 + 1500);
    expect(vertex.requests).toHaveLength(0);
    expect(hooks.starts).toHaveLength(0);
  });
});

// Workload identity federation (an external_account credentials file): the token URL in the file is honoured, so a
// fake STS on loopback stands in for Google's. (A service-account key's token_uri is not: google-auth-library 10
// always posts its JWT to oauth2.googleapis.com, which this sandbox cannot reach.)
const stsTokens = new Set<string>();
let sts: http.Server | undefined;

test('credentials_file: an external_account file, its subject token exchanged at the STS the file names', async () => {
  const exchanges: URLSearchParams[] = [];
  sts = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      exchanges.push(form);
      const token = `sts-token-${exchanges.length}`;
      stsTokens.add(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: token,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => sts!.listen(0, '127.0.0.1', resolve));
  const subject = join(dir, 'subject-token');
  writeFileSync(subject, 'oidc-subject-token-from-the-hospital-idp');
  const file = join(dir, 'external-account.json');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/hospital/providers/idp',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `http://127.0.0.1:${(sts.address() as AddressInfo).port}/v1/token`,
      credential_source: { file: subject },
    }),
  );
  const yaml = [
    'providers:',
    `  - {name: vertex, type: vertex, project: ${PROJECT}, region: ${REGION}, publisher: anthropic, model: claude-haiku-5-5, base_url: "${vertex.url}", credentials_file: "${file}", baa: true}`,
  ].join('\n');
  const { GCE_METADATA_HOST: _metadata, ...env } = process.env;
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'vertex-file-child.ts')], {
      env: { ...env, LLM_YAML: yaml },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(text));
  });
  expect(JSON.parse(out)).toEqual({ ok: true, provider: 'vertex' });
  expect(exchanges).toHaveLength(1);
  expect(exchanges[0].get('subject_token')).toBe('oidc-subject-token-from-the-hospital-idp');
  expect(exchanges[0].get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
  expect(vertex.requests[0].headers.authorization).toBe('Bearer sts-token-1');
  expect(vertex.requests[0].rejected).toBeUndefined();
}, 30_000);

test('regional endpoints as Anthropic’s Vertex SDK chooses them', () => {
  expect(vertexUrl('us-east5').host).toBe('us-east5-aiplatform.googleapis.com');
  expect(vertexUrl('global').host).toBe('aiplatform.googleapis.com');
  expect(vertexUrl('eu').host).toBe('aiplatform.eu.rep.googleapis.com');
  expect(claudeAnswer('x').status).toBe(200);
});
