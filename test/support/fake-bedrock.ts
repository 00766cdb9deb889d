// A fake Bedrock Runtime on 127.0.0.1: Converse and InvokeModel, every SigV4 signature verified with the independent `aws4` package.
import { createHash } from 'node:crypto';
import type { ConverseRequest, ConverseResponse, InferenceConfiguration } from '@aws-sdk/client-bedrock-runtime';
import aws4 from 'aws4';
import { checkClaudeBody, claudeMessage } from './fake-anthropic';
import type { FakeIssuer } from './fake-identity';
import { type FakeStep, type FakeUpstream, type RecordedRequest, startFakeUpstream } from './fake-upstream';

/** Body keys of ConverseRequest (the modelId is the path), from the Bedrock Runtime client's types. */
const converseKeys = [
  'messages',
  'system',
  'inferenceConfig',
  'toolConfig',
  'guardrailConfig',
  'additionalModelRequestFields',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'performanceConfig',
  'serviceTier',
  'outputConfig',
] as const satisfies readonly Exclude<keyof ConverseRequest, 'modelId'>[];
const inferenceKeys = ['maxTokens', 'temperature', 'topP', 'stopSequences'] as const satisfies readonly (keyof InferenceConfiguration)[];

/** restJson1 errors: the type in X-Amzn-ErrorType, the message in the body. */
export function bedrockError(status: number, type: string, message: string): FakeStep {
  return { status, json: { message }, headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` } };
}

export function converseResponse(
  text: string,
  options: { stop?: ConverseResponse['stopReason']; usage?: { input: number; output: number } } = {},
): ConverseResponse {
  const usage = options.usage ?? { input: 10, output: 5 };
  const refused = options.stop === 'guardrail_intervened' || options.stop === 'content_filtered';
  return {
    output: { message: { role: 'assistant', content: refused ? [{ text: 'Sorry, the model cannot answer this question.' }] : [{ text }] } },
    stopReason: options.stop ?? 'end_turn',
    usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
    metrics: { latencyMs: 42 },
  };
}

export const converseAnswer = (text: string, options: Parameters<typeof converseResponse>[1] = {}): FakeStep => ({
  status: 200,
  json: converseResponse(text, options),
});

export interface SigV4Check {
  ok: boolean;
  problem?: string;
  accessKeyId?: string;
  sessionToken?: string;
}

/** Recomputes the request's signature with aws4 from the headers it says it signed, and compares. */
export function verifySigV4(req: RecordedRequest, keys: ReadonlyMap<string, string>, region: string, now = Date.now()): SigV4Check {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization ?? ''),
    );
  if (!auth) return { ok: false, problem: 'no SigV4 Authorization header' };
  const [, accessKeyId, date, scopeRegion, service, signedList] = auth;
  const secretAccessKey = keys.get(accessKeyId);
  if (secretAccessKey === undefined) return { ok: false, problem: 'unknown access key', accessKeyId };
  if (scopeRegion !== region || service !== 'bedrock') return { ok: false, problem: `scope ${scopeRegion}/${service}`, accessKeyId };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const at = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!amzDate.startsWith(date) || !(Math.abs(now - at) < 5 * 60_000)) return { ok: false, problem: 'x-amz-date', accessKeyId };
  const signed = signedList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256'])
    if (!signed.includes(required)) return { ok: false, problem: `${required} not signed`, accessKeyId };
  if (req.headers['x-amz-content-sha256'] !== createHash('sha256').update(req.body).digest('hex'))
    return { ok: false, problem: 'payload hash', accessKeyId };
  const headers: Record<string, string> = {};
  for (const name of signed) headers[name] = String(req.headers[name] ?? '');
  const sessionToken = headers['x-amz-security-token'];
  // aws4 would add Content-Length to what it signs; SigV4 leaves it out when the client did (aws4's own option, untyped).
  const request = { method: req.method, host: headers.host, path: req.path, headers, body: req.body, service: 'bedrock', region };
  const ignore = signed.includes('content-length') ? {} : { extraHeadersToIgnore: { 'content-length': true } };
  const ours = aws4.sign({ ...request, ...ignore }, { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
  const expected = (ours.headers as Record<string, string>).Authorization;
  return expected === req.headers.authorization
    ? { ok: true, accessKeyId, sessionToken }
    : { ok: false, problem: 'signature mismatch', accessKeyId };
}

export interface BedrockSpec {
  region: string;
  /** Model ids and inference-profile ids served. */
  models: readonly string[];
  /** accessKeyId → secretAccessKey. */
  keys: ReadonlyMap<string, string>;
  /** Session tokens are accepted while this issuer holds them valid. */
  sessions?: FakeIssuer;
}

function checkConverse(json: unknown): FakeStep | null {
  const invalid = (message: string) => bedrockError(400, 'ValidationException', message);
  if (typeof json !== 'object' || json === null) return invalid('Malformed input request, please reformat your input and try again.');
  const body = json as Record<string, unknown>;
  for (const key of Object.keys(body))
    if (!(converseKeys as readonly string[]).includes(key))
      return invalid(`Malformed input request: extraneous key [${key}] is not permitted`);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    return invalid('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  for (const [i, m] of messages.entries()) {
    const msg = m as { role?: unknown; content?: unknown };
    if (msg.role !== 'user' && msg.role !== 'assistant') return invalid(`messages.${i}.role: must be user or assistant`);
    if (!Array.isArray(msg.content) || msg.content.length === 0) return invalid(`messages.${i}.content must not be empty`);
    for (const [j, block] of (msg.content as { text?: unknown }[]).entries()) {
      if (typeof block.text !== 'string' || block.text.trim() === '') {
        return invalid(
          `The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`,
        );
      }
    }
  }
  const inference = body.inferenceConfig as Record<string, unknown> | undefined;
  for (const key of Object.keys(inference ?? {}))
    if (!(inferenceKeys as readonly string[]).includes(key)) return invalid(`inferenceConfig: extraneous key [${key}] is not permitted`);
  return null;
}

export interface FakeBedrock extends FakeUpstream {
  /** The SigV4 verdict for each request, by arrival index. */
  signatures: SigV4Check[];
}

export async function startFakeBedrock(spec: BedrockSpec): Promise<FakeBedrock> {
  const signatures: SigV4Check[] = [];
  const upstream = await startFakeUpstream({
    defaultStep: {
      reply: (req) =>
        req.path.endsWith('/invoke')
          ? { status: 200, json: claudeMessage(`answer ${req.index}`, { model: 'claude' }) }
          : converseAnswer(`answer ${req.index}`),
    },
    validate: (req) => {
      const route = /^\/model\/([^/]+)\/(converse|invoke)$/.exec(req.path);
      if (!route || req.method !== 'POST') return bedrockError(404, 'UnknownOperationException', 'Unknown operation');
      if (typeof req.headers['x-audit-event-id'] !== 'string')
        return bedrockError(400, 'ValidationException', 'no X-Audit-Event-Id (shiftnote must send one)');
      const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
      if (bearer) {
        signatures[req.index] = { ok: bearer[1] === spec.keys.get('bedrock-api-key'), problem: 'api key' };
        if (!signatures[req.index].ok)
          return bedrockError(
            403,
            'AccessDeniedException',
            'Authentication failed: Invalid API Key format: Must start with pre-defined prefix',
          );
      } else {
        const check = verifySigV4(req, spec.keys, spec.region);
        signatures[req.index] = check;
        if (!check.ok) {
          if (check.problem === 'unknown access key')
            return bedrockError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
          return bedrockError(
            403,
            'InvalidSignatureException',
            `The request signature we calculated does not match the signature you provided (${check.problem}).`,
          );
        }
        if (check.sessionToken !== undefined && spec.sessions && !spec.sessions.valid(check.sessionToken)) {
          return bedrockError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
        }
      }
      const model = decodeURIComponent(route[1]);
      if (!spec.models.includes(model)) return bedrockError(400, 'ValidationException', 'The provided model identifier is invalid.');
      if (route[2] === 'converse') return checkConverse(req.json);
      const claude = checkClaudeBody(req.json, {
        models: [model],
        version: 'bedrock',
        platform: { bodyVersion: 'bedrock-2023-05-31', model },
      });
      // Bedrock wraps a rejected body in its own error type.
      if (claude)
        return bedrockError(claude.status ?? 400, 'ValidationException', (claude.json as { error: { message: string } }).error.message);
      return null;
    },
  });
  return Object.assign(upstream, { signatures });
}
