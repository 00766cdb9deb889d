// A fake Vertex AI on 127.0.0.1: Claude :rawPredict and Gemini :generateContent, Google bearer tokens, typed from @google/genai and @anthropic-ai/sdk.
import { BlockedReason, FinishReason, type Content, type GenerateContentResponse, type GenerationConfig } from '@google/genai';
import { checkClaudeBody, claudeMessage } from './fake-anthropic';
import type { FakeIssuer } from './fake-identity';
import { type FakeStep, type FakeUpstream, startFakeUpstream } from './fake-upstream';

/** The JSON of a GenerateContentResponse (the SDK's class adds getters that the wire does not carry). */
export type GenerateContentJson = Pick<
  GenerateContentResponse,
  'candidates' | 'promptFeedback' | 'usageMetadata' | 'modelVersion' | 'responseId'
>;

const requestKeys = [
  'contents',
  'systemInstruction',
  'generationConfig',
  'safetySettings',
  'tools',
  'toolConfig',
  'labels',
  'cachedContent',
];
/** GenerationConfig's keys, from the SDK: the REST body uses the same names. */
const generationKeys = [
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'thinkingConfig',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'responseModalities',
  'mediaResolution',
  'speechConfig',
  'routingConfig',
  'audioTimestamp',
] as const satisfies readonly (keyof GenerationConfig)[];

/** Google's error envelope (google.rpc.Status). */
export function googleError(code: number, status: string, message: string): FakeStep {
  return { status: code, json: { error: { code, message, status } } };
}

export function geminiResponse(
  text: string,
  options: {
    finish?: FinishReason;
    blocked?: BlockedReason;
    thought?: string;
    usage?: { input: number; output: number; thoughts?: number };
  } = {},
): GenerateContentJson {
  const usage = options.usage ?? { input: 10, output: 5, thoughts: 3 };
  const usageMetadata = {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    thoughtsTokenCount: usage.thoughts,
    totalTokenCount: usage.input + usage.output + (usage.thoughts ?? 0),
  };
  if (options.blocked)
    return {
      promptFeedback: { blockReason: options.blocked, blockReasonMessage: 'The prompt was blocked.' },
      usageMetadata,
      modelVersion: 'gemini-fake',
    };
  const content: Content = { role: 'model', parts: [...(options.thought ? [{ text: options.thought, thought: true }] : []), { text }] };
  return {
    candidates: [{ content, finishReason: options.finish ?? FinishReason.STOP, index: 0 }],
    usageMetadata,
    modelVersion: 'gemini-fake',
    responseId: 'resp-fake',
  };
}

export const geminiAnswer = (text: string, options: Parameters<typeof geminiResponse>[1] = {}): FakeStep => ({
  status: 200,
  json: geminiResponse(text, options),
});

function checkGemini(json: unknown): FakeStep | null {
  const invalid = (message: string) => googleError(400, 'INVALID_ARGUMENT', message);
  if (typeof json !== 'object' || json === null) return invalid('Invalid JSON payload received.');
  const body = json as Record<string, unknown>;
  for (const key of Object.keys(body))
    if (!requestKeys.includes(key)) return invalid(`Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) return invalid('Please ensure that contents is non-empty.');
  for (const [i, c] of contents.entries()) {
    const entry = c as { role?: unknown; parts?: unknown };
    if (entry.role !== 'user' && entry.role !== 'model') return invalid(`Please use a valid role: user, model. (contents[${i}])`);
    if (
      !Array.isArray(entry.parts) ||
      entry.parts.length === 0 ||
      entry.parts.some((p: { text?: unknown }) => typeof p.text !== 'string' || p.text === '')
    ) {
      return invalid(
        `Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again. (contents[${i}])`,
      );
    }
  }
  const config = body.generationConfig as Record<string, unknown> | undefined;
  for (const key of Object.keys(config ?? {})) {
    if (!(generationKeys as readonly string[]).includes(key))
      return invalid(`Invalid JSON payload received. Unknown name "${key}" at 'generation_config': Cannot find field.`);
  }
  return null;
}

export interface VertexSpec {
  project: string;
  region: string;
  /** publisher/model pairs served, e.g. "anthropic/claude-haiku-5-5". */
  models: readonly string[];
  /** Bearer tokens this issuer handed out and still holds valid are accepted. */
  tokens: FakeIssuer;
}

export async function startFakeVertex(spec: VertexSpec): Promise<FakeUpstream> {
  return startFakeUpstream({
    defaultStep: {
      reply: (req) =>
        req.path.includes(':rawPredict')
          ? { status: 200, json: claudeMessage(`answer ${req.index}`) }
          : geminiAnswer(`answer ${req.index}`),
    },
    validate: (req) => {
      const route =
        /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/([^/]+)\/models\/([^/:]+):(rawPredict|generateContent)$/.exec(req.path);
      if (!route || req.method !== 'POST') return googleError(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
      if (typeof req.headers['x-audit-event-id'] !== 'string')
        return googleError(400, 'INVALID_ARGUMENT', 'no X-Audit-Event-Id (shiftnote must send one)');
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      if (!spec.tokens.valid(token)) {
        return googleError(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      }
      const [, project, region, publisher, rawModel, method] = route;
      const model = decodeURIComponent(rawModel);
      if (project !== spec.project)
        return googleError(
          403,
          'PERMISSION_DENIED',
          `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/${project}'`,
        );
      if (region !== spec.region || !spec.models.includes(`${publisher}/${model}`)) {
        return googleError(
          404,
          'NOT_FOUND',
          `Publisher Model \`projects/${project}/locations/${region}/publishers/${publisher}/models/${model}\` not found.`,
        );
      }
      if (publisher === 'anthropic' && method === 'rawPredict') {
        return checkClaudeBody(req.json, { models: [model], version: 'vertex', platform: { bodyVersion: 'vertex-2023-10-16', model } });
      }
      if (publisher === 'google' && method === 'generateContent') return checkGemini(req.json);
      return googleError(400, 'FAILED_PRECONDITION', `${method} is not supported for publisher ${publisher}`);
    },
  });
}
