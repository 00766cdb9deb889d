// A fake Anthropic Messages API on 127.0.0.1: bodies and errors typed from @anthropic-ai/sdk, requests checked as the API checks them.
import type { Message, MessageCreateParamsNonStreaming, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ErrorResponse, ErrorType } from '@anthropic-ai/sdk/resources/shared';
import { type FakeStep, type FakeUpstream, type RecordedRequest, startFakeUpstream } from './fake-upstream';

/** The request type's keys, from the SDK: anything else in a body is "Extra inputs are not permitted". */
const requestKeys = [
  'max_tokens',
  'messages',
  'model',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'metadata',
  'output_config',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'thinking',
  'tool_choice',
  'tools',
] as const satisfies readonly (keyof MessageCreateParamsNonStreaming)[];
/** The sampling parameters API version 2023-06-01 still took (the SDK's current types no longer have them). */
const legacySampling = ['temperature', 'top_p', 'top_k'];
export const ANTHROPIC_VERSIONS = ['2023-06-01', '2026-10-21'];
const efforts = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

export function claudeMessage(
  text: string,
  options: { model?: string; stop?: StopReason; usage?: { input: number; output: number } } = {},
): Message {
  const usage = options.usage ?? { input: 10, output: 5 };
  const refused = options.stop === 'refusal';
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'fake-model',
    container: null,
    diagnostics: null,
    content: refused ? [] : [{ type: 'text', text, citations: null }],
    stop_reason: options.stop ?? 'end_turn',
    stop_details: refused ? { type: 'refusal', category: 'general_harms', explanation: null } : null,
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_creation: null,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    },
  };
}

export const claudeAnswer = (text: string, options: Parameters<typeof claudeMessage>[1] = {}): FakeStep => ({
  status: 200,
  json: claudeMessage(text, options),
});
/** Claude's safety classifiers declined: stop_reason "refusal", no content. */
export const claudeRefusal = (): FakeStep => ({ status: 200, json: claudeMessage('', { stop: 'refusal' }) });

export function anthropicError(status: number, type: ErrorType, message: string, headers?: Record<string, string>): FakeStep {
  const body: ErrorResponse = { type: 'error', error: { type, message } as ErrorResponse['error'], request_id: 'req_fake' };
  return { status, json: body, headers };
}

export interface ClaudeRules {
  models: readonly string[];
  /** Version rules apply: from the anthropic-version header, or the body's anthropic_version on Bedrock/Vertex. */
  version: string;
  /** Bedrock InvokeModel and Vertex rawPredict: the model is in the URL, anthropic_version in the body. */
  platform?: { bodyVersion: string; model: string };
}

/** Checks a Messages body as the API does; returns its error answer, or null. */
export function checkClaudeBody(json: unknown, rules: ClaudeRules): FakeStep | null {
  const invalid = (message: string) => anthropicError(400, 'invalid_request_error', message);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return invalid('body: Input should be an object');
  const body = json as Record<string, unknown>;
  const sampling = rules.version >= '2026-10-21' || rules.platform !== undefined ? [] : legacySampling;
  for (const key of Object.keys(body)) {
    if (rules.platform && key === 'anthropic_version') continue;
    if (!(requestKeys as readonly string[]).includes(key) && !sampling.includes(key))
      return invalid(`${key}: Extra inputs are not permitted`);
  }
  let model: unknown;
  if (rules.platform) {
    if (body.anthropic_version !== rules.platform.bodyVersion)
      return invalid(`anthropic_version: Input should be '${rules.platform.bodyVersion}'`);
    if (body.model !== undefined) return invalid('model: Extra inputs are not permitted');
    model = rules.platform.model;
  } else {
    model = body.model;
    if (typeof model !== 'string') return invalid('model: Field required');
  }
  if (!rules.models.includes(String(model))) return anthropicError(404, 'not_found_error', `model: ${String(model)}`);
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) return invalid('max_tokens: Field required');
  if (body.system !== undefined && typeof body.system !== 'string') return invalid('system: Input should be a valid string');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: at least one message is required');
  for (const [i, m] of messages.entries()) {
    const msg = m as { role?: unknown; content?: unknown };
    if (msg.role !== 'user' && msg.role !== 'assistant') return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (typeof msg.content !== 'string' || msg.content.trim() === '') {
      return invalid(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    }
  }
  if ((messages[messages.length - 1] as { role?: unknown }).role === 'assistant') {
    return invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
  }
  const output = body.output_config as { effort?: unknown } | undefined;
  if (output !== undefined && (typeof output !== 'object' || !efforts.has(String(output.effort))))
    return invalid('output_config.effort: Input should be low, medium, high, xhigh or max');
  const thinking = body.thinking as { type?: unknown } | undefined;
  if (thinking !== undefined && thinking.type !== 'adaptive' && thinking.type !== 'disabled') {
    return invalid(
      `"thinking.type.${String(thinking.type)}" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`,
    );
  }
  return null;
}

export interface FakeAnthropic extends FakeUpstream {
  problems: string[][];
}

/** POST /v1/messages with x-api-key and anthropic-version; path, headers and body of every request checked. */
export async function startFakeAnthropic(options: { apiKey: string; models: readonly string[] }): Promise<FakeAnthropic> {
  const problems: string[][] = [];
  const upstream = await startFakeUpstream({
    defaultStep: { reply: (req) => claudeAnswer(`answer ${req.index}`, { model: String((req.json as { model?: unknown })?.model) }) },
    validate: (req: RecordedRequest) => {
      const found: string[] = [];
      problems[req.index] = found;
      if (req.method !== 'POST' || req.path !== '/v1/messages') {
        found.push(`path ${req.path}`);
        return anthropicError(404, 'not_found_error', 'Not Found');
      }
      if (typeof req.headers['x-audit-event-id'] !== 'string') found.push('x-audit-event-id');
      const key = req.headers['x-api-key'] ?? String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (key !== options.apiKey) {
        found.push('x-api-key');
        return anthropicError(401, 'authentication_error', 'invalid x-api-key');
      }
      const version = String(req.headers['anthropic-version'] ?? '');
      if (!ANTHROPIC_VERSIONS.includes(version)) {
        found.push('anthropic-version');
        return anthropicError(
          400,
          'invalid_request_error',
          version ? `anthropic-version: invalid version ${version}` : 'anthropic-version: header is required',
        );
      }
      const rejection = checkClaudeBody(req.json, { models: options.models, version });
      if (rejection) found.push(`body: ${(rejection.json as ErrorResponse).error.message}`);
      return rejection;
    },
  });
  return Object.assign(upstream, { problems });
}
