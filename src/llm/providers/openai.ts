// Adapter for OpenAI-compatible chat completions (OpenAI, vLLM, Ollama...): POST {base}/v1/chat/completions.
import type { ChatRequest } from '../types';
import { type AdapterOptions, type ProviderAdapter, type ProviderReply, endpointPath, isRecord, tokenUsage } from './adapter';

export function openaiAdapter({ baseUrl, model, apiKey }: AdapterOptions): ProviderAdapter {
  const base = ['content-type', 'application/json'];
  if (apiKey !== undefined) base.push('authorization', `Bearer ${apiKey}`);

  return {
    path: endpointPath(baseUrl, '/chat/completions'),
    headers: (auditEventId) => [...base, 'x-audit-event-id', auditEventId],
    encode: (request: ChatRequest) =>
      JSON.stringify({
        model,
        messages: [{ role: 'system', content: request.system }, ...request.messages],
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        response_format: request.json ? { type: 'json_object' } : undefined,
      }),
    decode,
  };
}

function decode(json: unknown): ProviderReply | null {
  if (!isRecord(json) || !Array.isArray(json.choices)) return null;
  const choice: unknown = json.choices[0];
  if (!isRecord(choice) || !isRecord(choice.message) || typeof choice.message.content !== 'string') return null;
  const usage = isRecord(json.usage) ? tokenUsage(json.usage.prompt_tokens, json.usage.completion_tokens) : undefined;
  return {
    text: choice.message.content,
    stopReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
    usage,
  };
}
