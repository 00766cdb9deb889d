// A fake OpenAI chat-completions API on 127.0.0.1: bodies and errors typed from the `openai` SDK, requests checked as the API checks them.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ErrorObject } from 'openai/resources/shared';
import { type FakeStep, type FakeUpstream, type RecordedRequest, startFakeUpstream } from './fake-upstream';

/** Every top-level key the SDK's request type has: a body key outside this list is one the API does not know. */
const requestKeys = [
  'messages',
  'model',
  'audio',
  'frequency_penalty',
  'function_call',
  'functions',
  'logit_bias',
  'logprobs',
  'max_completion_tokens',
  'max_tokens',
  'metadata',
  'modalities',
  'n',
  'parallel_tool_calls',
  'prediction',
  'presence_penalty',
  'prompt_cache_key',
  'prompt_cache_retention',
  'reasoning_effort',
  'response_format',
  'safety_identifier',
  'seed',
  'service_tier',
  'stop',
  'store',
  'stream',
  'stream_options',
  'temperature',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'user',
  'verbosity',
  'web_search_options',
] as const satisfies readonly (keyof ChatCompletionCreateParamsNonStreaming)[];
const knownKeys = new Set<string>(requestKeys);
const roles = new Set(['system', 'developer', 'user', 'assistant']);

export function chatCompletion(
  text: string | null,
  options: {
    model?: string;
    finish?: ChatCompletion.Choice['finish_reason'];
    refusal?: string | null;
    usage?: { prompt: number; completion: number };
  } = {},
): ChatCompletion {
  const usage = options.usage ?? { prompt: 10, completion: 5 };
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_764_547_200,
    model: options.model ?? 'fake-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: options.refusal ?? null },
        finish_reason: options.finish ?? 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
}

export const openaiAnswer = (text: string, options: Parameters<typeof chatCompletion>[1] = {}): FakeStep => ({
  status: 200,
  json: chatCompletion(text, options),
});

/** The model declines: `refusal` set, `content` null (structured outputs and the safety stack answer this way). */
export const openaiRefusal = (refusal = "I'm sorry, I can't help with that."): FakeStep => ({
  status: 200,
  json: chatCompletion(null, { refusal }),
});

export function openaiError(status: number, error: ErrorObject, headers?: Record<string, string>): FakeStep {
  return { status, json: { error }, headers };
}

const invalid = (message: string, param: string | null, code: string | null = null) =>
  openaiError(400, { message, type: 'invalid_request_error', param, code });

/** o-series and gpt-5 (not their -chat variants): reasoning models with the stricter parameter rules. */
export const isReasoningModel = (model: string) => /^(o\d|gpt-([5-9]|\d{2}))/.test(model) && !/-chat(-|$)/.test(model);

export interface ChatRules {
  /** Models served; any other answers 404 model_not_found. */
  models: readonly string[];
  /** Require `model` in the body (the OpenAI API and Azure v1 do; Azure classic deployments do not). */
  requireModel: boolean;
  /** The model behind a body without one (Azure classic deployment). */
  deploymentModel?: string;
}

/** Checks a chat.completions body as the API does; returns its 4xx answer, or null when it would be accepted. */
export function checkChatBody(json: unknown, rules: ChatRules): FakeStep | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return invalid('We could not parse the JSON body of your request.', null);
  const body = json as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!knownKeys.has(key)) return invalid(`Unrecognized request argument supplied: ${key}`, null);
  const model = typeof body.model === 'string' ? body.model : rules.deploymentModel;
  if (model === undefined || (rules.requireModel && typeof body.model !== 'string'))
    return invalid('you must provide a model parameter', null);
  if (!rules.models.includes(model)) {
    return openaiError(404, {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid("[] is too short - 'messages'", 'messages');
  for (const [i, m] of messages.entries()) {
    const msg = m as Record<string, unknown>;
    if (!roles.has(String(msg.role)))
      return invalid(
        `Invalid value: '${String(msg.role)}'. Supported values are: 'system', 'developer', 'user' and 'assistant'.`,
        `messages[${i}].role`,
        'invalid_value',
      );
    if (typeof msg.content !== 'string')
      return invalid(`Invalid type for 'messages[${i}].content': expected a string.`, `messages[${i}].content`, 'invalid_type');
  }
  const reasoning = isReasoningModel(model);
  if (reasoning && body.max_tokens !== undefined) {
    return invalid(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    );
  }
  if (reasoning && body.temperature !== undefined && body.temperature !== 1) {
    return invalid(
      `Unsupported value: 'temperature' does not support ${JSON.stringify(body.temperature)} with this model. Only the default (1) value is supported.`,
      'temperature',
      'unsupported_value',
    );
  }
  if (!reasoning && body.reasoning_effort !== undefined) {
    return invalid(
      "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
      'reasoning_effort',
      'unsupported_parameter',
    );
  }
  const format = body.response_format as { type?: string } | undefined;
  if (format?.type === 'json_object' && !messages.some((m) => /json/i.test(String((m as { content?: unknown }).content)))) {
    return invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
  }
  return null;
}

export interface FakeOpenAi extends FakeUpstream {
  /** The checks each request went through (path, headers, body), as a list of failures per request (empty = valid). */
  problems: string[][];
}

/** POST {base}/v1/chat/completions with `Authorization: Bearer <apiKey>`; every request's path, headers and body checked. */
export async function startFakeOpenAi(options: { apiKey: string; models: readonly string[]; basePath?: string }): Promise<FakeOpenAi> {
  const path = `${options.basePath ?? ''}/v1/chat/completions`;
  const problems: string[][] = [];
  const upstream = await startFakeUpstream({
    defaultStep: { reply: (req) => openaiAnswer(`answer ${req.index}`, { model: String((req.json as { model?: unknown })?.model) }) },
    validate: (req: RecordedRequest) => {
      const found: string[] = [];
      problems[req.index] = found;
      if (req.method !== 'POST' || req.path !== path) {
        found.push(`path ${req.method} ${req.path}`);
        return openaiError(404, {
          message: `Invalid URL (${req.method} ${req.path})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        });
      }
      if (!String(req.headers['content-type']).startsWith('application/json')) found.push('content-type');
      if (typeof req.headers['x-audit-event-id'] !== 'string') found.push('x-audit-event-id');
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        found.push('authorization');
        const shown = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
        return openaiError(401, {
          message: shown
            ? `Incorrect API key provided: ${shown.slice(0, 3)}*****${shown.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`
            : "You didn't provide an API key.",
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        });
      }
      const rejection = checkChatBody(req.json, { models: options.models, requireModel: true });
      if (rejection) found.push(`body: ${JSON.stringify((rejection.json as { error: ErrorObject }).error.message)}`);
      return rejection;
    },
  });
  return Object.assign(upstream, { problems });
}
