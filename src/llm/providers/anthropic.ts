// Adapter for Anthropic's Messages API: POST {base}/v1/messages with x-api-key and a configurable anthropic-version.
import type { ChatRequest } from '../types';
import { type AdapterContext, endpointPath, nestedError, type ProviderAdapter, redactor, splitUrl } from './adapter';
import { claudeBody, decodeClaudeMessage } from './claude';

export const ANTHROPIC_URL = 'https://api.anthropic.com';

export function anthropicAdapter(
  baseUrl: URL | undefined,
  apiKey: string | undefined,
  apiVersion: string,
  { model, params }: AdapterContext,
): ProviderAdapter {
  const url = baseUrl ?? new URL(ANTHROPIC_URL);
  const { origin, host } = splitUrl(url);
  const base = ['content-type', 'application/json', 'anthropic-version', apiVersion];
  if (apiKey !== undefined) base.push('x-api-key', apiKey);
  return {
    endpoint: { origin, host, path: endpointPath(url, '/messages') },
    genAiProvider: 'anthropic',
    headers: (auditEventId) => [...base, 'x-audit-event-id', auditEventId],
    // Built in this key order so the bytes are stable: model first, as the SDK sends it.
    encode: (request: ChatRequest) => JSON.stringify({ model, ...claudeBody(request, params) }),
    decode: decodeClaudeMessage,
    error: (json) => nestedError(json),
    redact: redactor(apiKey),
  };
}
