// Adapter for Anthropic's Messages API: POST {base}/v1/messages with x-api-key and anthropic-version.
import type { ChatRequest } from '../types';
import { type AdapterOptions, type ProviderAdapter, type ProviderReply, endpointPath, isRecord, tokenUsage } from './adapter';

const apiVersion = '2023-06-01';

// Anthropic's stop reasons in the OpenAI vocabulary the rest of shiftnote uses.
const stopReasons: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length' };

export function anthropicAdapter({ baseUrl, model, apiKey }: AdapterOptions): ProviderAdapter {
  const base = ['content-type', 'application/json', 'anthropic-version', apiVersion];
  if (apiKey !== undefined) base.push('x-api-key', apiKey);

  return {
    path: endpointPath(baseUrl, '/messages'),
    headers: (auditEventId) => [...base, 'x-audit-event-id', auditEventId],
    // No JSON mode in this API: request.json is left to the prompt.
    encode: (request: ChatRequest) =>
      JSON.stringify({
        model,
        system: request.system,
        messages: request.messages,
        max_tokens: request.maxTokens,
        temperature: request.temperature,
      }),
    decode,
  };
}

function decode(json: unknown): ProviderReply | null {
  if (!isRecord(json) || !Array.isArray(json.content)) return null;
  let text = '';
  for (const block of json.content) {
    if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') text += block.text;
  }
  const stop = typeof json.stop_reason === 'string' ? (stopReasons[json.stop_reason] ?? json.stop_reason) : undefined;
  const usage = isRecord(json.usage) ? tokenUsage(json.usage.input_tokens, json.usage.output_tokens) : undefined;
  return { text, stopReason: stop, usage };
}
