// Adapter for OpenAI-compatible chat completions (OpenAI, vLLM, Ollama...): POST {base}/v1/chat/completions.
import { outputBudget, type ModelParams } from '../params';
import type { ChatRequest } from '../types';
import {
  type AdapterContext,
  conversation,
  type Decoded,
  endpointPath,
  isRecord,
  nestedError,
  type ProviderAdapter,
  redactor,
  splitUrl,
  stringOrUndefined,
  tokenUsage,
} from './adapter';

export const OPENAI_URL = 'https://api.openai.com';

/** The chat.completions body shiftnote sends (a subset of the SDK's ChatCompletionCreateParamsNonStreaming). */
export interface OpenAiChatBody {
  model?: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  response_format?: { type: 'json_object' };
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
}

/** The body for OpenAI and Azure OpenAI; `model` undefined for an Azure classic deployment (the path names it). */
export function openaiChatBody(request: ChatRequest, model: string | undefined, params: ModelParams): OpenAiChatBody {
  const body: OpenAiChatBody = { model, messages: [{ role: 'system', content: request.system }, ...conversation(request.messages)] };
  const budget = outputBudget(params, request.maxTokens);
  if (params.outputTokensParam === 'max_completion_tokens') body.max_completion_tokens = budget;
  else body.max_tokens = budget;
  if (params.temperature && request.temperature !== undefined) body.temperature = request.temperature;
  if (params.jsonMode && request.json) body.response_format = { type: 'json_object' };
  if (params.reasoningEffort !== undefined) body.reasoning_effort = params.reasoningEffort;
  return body;
}

/** A chat.completion: the first choice's text, or its refusal (`refusal` set, or `finish_reason: content_filter`). */
export function decodeChatCompletion(json: unknown): Decoded | null {
  if (!isRecord(json) || !Array.isArray(json.choices)) return null;
  const choice: unknown = json.choices[0];
  if (!isRecord(choice) || !isRecord(choice.message)) return null;
  const finishReason = stringOrUndefined(choice.finish_reason);
  const usage = isRecord(json.usage) ? tokenUsage(json.usage.prompt_tokens, json.usage.completion_tokens) : undefined;
  const responseModel = stringOrUndefined(json.model);
  const { content, refusal } = choice.message;
  if ((typeof refusal === 'string' && refusal !== '') || finishReason === 'content_filter') {
    return { refused: true, text: '', finishReason: finishReason ?? 'refusal', stopReason: 'content_filter', responseModel, usage };
  }
  if (typeof content !== 'string' || content.trim() === '') return null;
  return { refused: false, text: content, finishReason, stopReason: finishReason, responseModel, usage };
}

export function openaiAdapter(baseUrl: URL | undefined, apiKey: string | undefined, { model, params }: AdapterContext): ProviderAdapter {
  const url = baseUrl ?? new URL(OPENAI_URL);
  const { origin, host } = splitUrl(url);
  const base = ['content-type', 'application/json'];
  if (apiKey !== undefined) base.push('authorization', `Bearer ${apiKey}`);
  return {
    endpoint: { origin, host, path: endpointPath(url, '/chat/completions') },
    genAiProvider: 'openai',
    headers: (auditEventId) => [...base, 'x-audit-event-id', auditEventId],
    encode: (request) => JSON.stringify(openaiChatBody(request, model, params)),
    decode: decodeChatCompletion,
    error: (json) => nestedError(json),
    redact: redactor(apiKey),
  };
}
