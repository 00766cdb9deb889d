// Adapter for Amazon Bedrock Runtime: Converse (any model) or InvokeModel with Anthropic's Bedrock body; SigV4 in auth/aws.
import type { IncomingHttpHeaders } from 'node:http';
import { outputBudget, type ModelParams } from '../params';
import type { ChatRequest } from '../types';
import {
  type AdapterContext,
  conversation,
  type Decoded,
  isRecord,
  type ProviderAdapter,
  redactor,
  type ProviderError,
  splitUrl,
  stringOrUndefined,
  tokenUsage,
} from './adapter';
import { type ClaudeBody, claudeBody, decodeClaudeMessage } from './claude';

export function bedrockUrl(region: string): URL {
  return new URL(`https://bedrock-runtime.${region}.amazonaws.com`);
}

/** The Converse body (the SDK's ConverseRequest without the modelId, which is in the path). */
export interface ConverseBody {
  messages: { role: 'user' | 'assistant'; content: { text: string }[] }[];
  system: { text: string }[];
  inferenceConfig: { maxTokens: number; temperature?: number };
}

/** InvokeModel's body for an Anthropic model: the Messages body plus anthropic_version, no model. */
export type BedrockClaudeBody = ClaudeBody & { anthropic_version: string };

export function converseBody(request: ChatRequest, params: ModelParams): ConverseBody {
  const inferenceConfig: ConverseBody['inferenceConfig'] = { maxTokens: outputBudget(params, request.maxTokens) };
  if (params.temperature && request.temperature !== undefined) inferenceConfig.temperature = request.temperature;
  return {
    messages: conversation(request.messages).map((m) => ({ role: m.role, content: [{ text: m.content }] })),
    system: [{ text: request.system }],
    inferenceConfig,
  };
}

// Converse's stop reasons in the OpenAI vocabulary; a guardrail or content filter is a refusal.
const converseStops: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length' };
const converseRefusals = new Set(['guardrail_intervened', 'content_filtered']);

export function decodeConverse(json: unknown): Decoded | null {
  if (!isRecord(json) || !isRecord(json.output)) return null;
  const finishReason = stringOrUndefined(json.stopReason);
  const usage = isRecord(json.usage) ? tokenUsage(json.usage.inputTokens, json.usage.outputTokens) : undefined;
  if (finishReason !== undefined && converseRefusals.has(finishReason)) {
    return { refused: true, text: '', finishReason, stopReason: 'content_filter', responseModel: undefined, usage };
  }
  const message = json.output.message;
  if (!isRecord(message) || !Array.isArray(message.content)) return null;
  let text = '';
  for (const block of message.content) if (isRecord(block) && typeof block.text === 'string') text += block.text;
  if (text.trim() === '') return null;
  const stopReason = finishReason === undefined ? undefined : (converseStops[finishReason] ?? finishReason);
  return { refused: false, text, finishReason, stopReason, responseModel: undefined, usage };
}

/** restJson1 errors: the type in X-Amzn-ErrorType ("ValidationException:http://…") or the body, the message in the body. */
export function bedrockError(json: unknown, headers: IncomingHttpHeaders): ProviderError {
  const header = headers['x-amzn-errortype'];
  const raw =
    (Array.isArray(header) ? header[0] : header) ??
    (isRecord(json) ? (stringOrUndefined(json.__type) ?? stringOrUndefined(json.code)) : undefined);
  const type = raw?.split(':')[0].split('#').pop();
  const message = isRecord(json) ? (stringOrUndefined(json.message) ?? stringOrUndefined(json.Message)) : undefined;
  return { type, message };
}

export interface BedrockTarget {
  url: URL;
  model: string;
  api: 'converse' | 'invoke';
  anthropicVersion: string;
  /** A Bedrock API key (Authorization: Bearer); undefined means SigV4. */
  apiKey: string | undefined;
}

export function bedrockAdapter(target: BedrockTarget, { params }: AdapterContext): ProviderAdapter {
  const { origin, host, base } = splitUrl(target.url);
  const headers = ['content-type', 'application/json', 'accept', 'application/json'];
  if (target.apiKey !== undefined) headers.push('authorization', `Bearer ${target.apiKey}`);
  const model = encodeURIComponent(target.model);
  const converse = target.api === 'converse';
  return {
    endpoint: { origin, host, path: `${base}/model/${model}/${converse ? 'converse' : 'invoke'}` },
    genAiProvider: 'aws.bedrock',
    headers: (auditEventId) => [...headers, 'x-audit-event-id', auditEventId],
    encode: converse
      ? (request) => JSON.stringify(converseBody(request, params))
      : (request) =>
          JSON.stringify({ anthropic_version: target.anthropicVersion, ...claudeBody(request, params) } satisfies BedrockClaudeBody),
    decode: converse ? decodeConverse : decodeClaudeMessage,
    error: bedrockError,
    redact: redactor(target.apiKey),
  };
}
