// Adapter for Vertex AI: Claude through :rawPredict (anthropic_version in the body) and Gemini through :generateContent.
import { outputBudget, type ModelParams } from '../params';
import type { ChatRequest } from '../types';
import {
  type AdapterContext,
  conversation,
  type Decoded,
  isRecord,
  nestedError,
  type ProviderAdapter,
  redactor,
  splitUrl,
  stringOrUndefined,
} from './adapter';
import { type ClaudeBody, claudeBody, decodeClaudeMessage } from './claude';

/** The regional endpoint, as Anthropic's Vertex SDK chooses it. */
export function vertexUrl(region: string): URL {
  if (region === 'global') return new URL('https://aiplatform.googleapis.com');
  if (region === 'us' || region === 'eu') return new URL(`https://aiplatform.${region}.rep.googleapis.com`);
  return new URL(`https://${region}-aiplatform.googleapis.com`);
}

export type VertexClaudeBody = ClaudeBody & { anthropic_version: string };

/** generateContent's body (REST field names, the same as @google/genai's Content and GenerationConfig). */
export interface GeminiBody {
  contents: { role: 'user' | 'model'; parts: { text: string }[] }[];
  systemInstruction: { parts: { text: string }[] };
  generationConfig: {
    maxOutputTokens: number;
    temperature?: number;
    responseMimeType?: 'application/json';
    thinkingConfig?: { thinkingLevel: 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH' };
  };
}

const thinkingLevels: Record<string, 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH'> = {
  minimal: 'MINIMAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
};

export function geminiBody(request: ChatRequest, params: ModelParams): GeminiBody {
  const generationConfig: GeminiBody['generationConfig'] = { maxOutputTokens: outputBudget(params, request.maxTokens) };
  if (params.temperature && request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (params.jsonMode && request.json) generationConfig.responseMimeType = 'application/json';
  const level = params.reasoningEffort === undefined ? undefined : thinkingLevels[params.reasoningEffort];
  if (level !== undefined) generationConfig.thinkingConfig = { thinkingLevel: level };
  return {
    contents: conversation(request.messages).map((m) => ({
      role: m.role === 'assistant' ? 'model' : 'user',
      parts: [{ text: m.content }],
    })),
    systemInstruction: { parts: [{ text: request.system }] },
    generationConfig,
  };
}

// Finish reasons that mean a safety system stopped the answer (FinishReason in @google/genai).
const geminiRefusals = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'MODEL_ARMOR',
]);
const geminiStops: Record<string, string> = { STOP: 'stop', MAX_TOKENS: 'length' };

/** A GenerateContentResponse: a blocked prompt or a safety finish is a refusal; thought parts are not the answer. */
export function decodeGemini(json: unknown): Decoded | null {
  if (!isRecord(json)) return null;
  const meta = isRecord(json.usageMetadata) ? json.usageMetadata : undefined;
  const output =
    (typeof meta?.candidatesTokenCount === 'number' ? meta.candidatesTokenCount : 0) +
    (typeof meta?.thoughtsTokenCount === 'number' ? meta.thoughtsTokenCount : 0);
  const usage = typeof meta?.promptTokenCount === 'number' ? { inputTokens: meta.promptTokenCount, outputTokens: output } : undefined;
  const responseModel = stringOrUndefined(json.modelVersion);
  const blocked = isRecord(json.promptFeedback) ? stringOrUndefined(json.promptFeedback.blockReason) : undefined;
  if (blocked !== undefined) return { refused: true, text: '', finishReason: blocked, stopReason: 'content_filter', responseModel, usage };
  const candidate: unknown = Array.isArray(json.candidates) ? json.candidates[0] : undefined;
  if (!isRecord(candidate)) return null;
  const finishReason = stringOrUndefined(candidate.finishReason);
  if (finishReason !== undefined && geminiRefusals.has(finishReason)) {
    return { refused: true, text: '', finishReason, stopReason: 'content_filter', responseModel, usage };
  }
  const parts = isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
  let text = '';
  for (const part of parts) if (isRecord(part) && part.thought !== true && typeof part.text === 'string') text += part.text;
  if (text.trim() === '') return null;
  const stopReason = finishReason === undefined ? undefined : (geminiStops[finishReason] ?? finishReason);
  return { refused: false, text, finishReason, stopReason, responseModel, usage };
}

export interface VertexTarget {
  url: URL;
  project: string;
  region: string;
  publisher: 'anthropic' | 'google';
  model: string;
  anthropicVersion: string;
}

export function vertexAdapter(target: VertexTarget, { params }: AdapterContext): ProviderAdapter {
  const { origin, host, base } = splitUrl(target.url);
  const claude = target.publisher === 'anthropic';
  const segment = (s: string) => encodeURIComponent(s);
  const path =
    `${base}/v1/projects/${segment(target.project)}/locations/${segment(target.region)}/publishers/${target.publisher}` +
    `/models/${segment(target.model)}:${claude ? 'rawPredict' : 'generateContent'}`;
  const headers = ['content-type', 'application/json'];
  return {
    endpoint: { origin, host, path },
    genAiProvider: 'gcp.vertex_ai',
    headers: (auditEventId) => [...headers, 'x-audit-event-id', auditEventId],
    encode: claude
      ? (request) =>
          JSON.stringify({ anthropic_version: target.anthropicVersion, ...claudeBody(request, params) } satisfies VertexClaudeBody)
      : (request) => JSON.stringify(geminiBody(request, params)),
    decode: claude ? decodeClaudeMessage : decodeGemini,
    error: (json) => nestedError(json),
    redact: redactor(undefined),
  };
}
