// Adapter for Azure OpenAI: classic /openai/deployments/{name}/chat/completions?api-version=…, or the v1 path.
import type { ChatRequest } from '../types';
import { type AdapterContext, isRecord, nestedError, type ProviderAdapter, redactor, type ProviderError, splitUrl } from './adapter';
import { decodeChatCompletion, openaiChatBody } from './openai';

export interface AzureTarget {
  /** The resource endpoint, or base_url in its place. */
  url: URL;
  /** Classic deployments; undefined for the v1 path. */
  deployment: string | undefined;
  apiVersion: string | undefined;
  /** `api-key` header; undefined with Entra ID (the bearer token is added per attempt). */
  apiKey: string | undefined;
}

/** Path of one chat completion on either Azure surface. */
export function azurePath({ url, deployment, apiVersion }: AzureTarget): string {
  const base = splitUrl(url).base;
  if (deployment === undefined) return `${base}/openai/v1/chat/completions`;
  return `${base}/openai/deployments/${encodeURIComponent(deployment)}/chat/completions?api-version=${encodeURIComponent(apiVersion ?? '')}`;
}

/**
 * Azure answers a prompt its content filter blocks with 400 `{error: {code: "content_filter", innererror:
 * {code: "ResponsibleAIPolicyViolation"}}}`: a refusal, not a configuration error.
 */
export function azureError(json: unknown): ProviderError {
  const err = nestedError(json);
  const inner = isRecord(json) && isRecord(json.error) && isRecord(json.error.innererror) ? json.error.innererror.code : undefined;
  if (err.type === 'content_filter' || inner === 'ResponsibleAIPolicyViolation')
    return { ...err, type: err.type ?? 'content_filter', refusal: true };
  return err;
}

export function azureOpenaiAdapter(target: AzureTarget, { model, params }: AdapterContext): ProviderAdapter {
  const { origin, host } = splitUrl(target.url);
  const base = ['content-type', 'application/json'];
  if (target.apiKey !== undefined) base.push('api-key', target.apiKey);
  // The v1 path names the deployment in the body; the classic path names it in the URL.
  const bodyModel = target.deployment === undefined ? model : undefined;
  return {
    endpoint: { origin, host, path: azurePath(target) },
    genAiProvider: 'azure.ai.openai',
    headers: (auditEventId) => [...base, 'x-audit-event-id', auditEventId],
    encode: (request: ChatRequest) => JSON.stringify(openaiChatBody(request, bodyModel, params)),
    decode: decodeChatCompletion,
    error: azureError,
    redact: redactor(target.apiKey),
  };
}
