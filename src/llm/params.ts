// Model parameters each provider's current models accept, by model family, with the config's `params:` on top.
import type { ProviderType } from './types';

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** What an adapter sends for one request, resolved once per provider at start-up. */
export interface ModelParams {
  /** OpenAI-style APIs: which name carries the output-token budget. */
  outputTokensParam: 'max_tokens' | 'max_completion_tokens';
  /** Send the request's temperature. Reasoning models and Claude on the 2026-10-21 API reject one. */
  temperature: boolean;
  /** Use the provider's native JSON mode when the request asks for JSON. */
  jsonMode: boolean;
  reasoningEffort: ReasoningEffort | undefined;
  /** Floor for the output budget: reasoning and thinking tokens count toward it. */
  minOutputTokens: number;
  /** Claude only: leave thinking to the model (undefined), or send `adaptive` / `disabled`. */
  thinking: 'adaptive' | 'disabled' | undefined;
}

/** The `params:` block of a provider in config/llm.yaml (all optional, over the family defaults). */
export interface ParamsOverrides {
  output_tokens_param?: 'max_tokens' | 'max_completion_tokens';
  temperature?: boolean;
  json_mode?: boolean;
  reasoning_effort?: ReasoningEffort;
  min_output_tokens?: number;
  thinking?: 'adaptive' | 'disabled';
}

export type ModelFamily =
  | 'openai-reasoning'
  | 'openai-chat-variant'
  | 'openai-chat'
  | 'openai-unknown'
  | 'claude'
  | 'claude-adaptive'
  | 'gemini'
  | 'gemini-thinking'
  | 'other';

// o1, o3, o4-mini…; gpt-5 and later. Their chat variants (gpt-5-chat-latest) do not reason.
const openaiReasoning = /^(o\d|gpt-([5-9]|\d{2}))/i;
const openaiChatVariant = /-chat(-|$)/i;
// Claude 4.6 and later and the 5 family: adaptive thinking, effort, no sampling parameters.
const claudeAdaptive = /claude-(opus|sonnet|haiku|fable|mythos)-([5-9]|4-[6-9])\b/i;
const claude = /claude/i;
// Gemini 3 and later think by level and ignore (later: reject) a temperature.
const geminiThinking = /^gemini-([3-9]|\d{2})/i;

/** The family a model name belongs to, for the defaults. `model` is undefined for an Azure classic deployment. */
export function modelFamily(type: ProviderType, model: string | undefined, publisher?: 'anthropic' | 'google'): ModelFamily {
  if (model === undefined) return 'openai-unknown';
  if (type === 'openai' || type === 'azure-openai') {
    if (openaiReasoning.test(model)) return openaiChatVariant.test(model) ? 'openai-chat-variant' : 'openai-reasoning';
    return 'openai-chat';
  }
  if (type === 'vertex' && publisher === 'google') return geminiThinking.test(model) ? 'gemini-thinking' : 'gemini';
  if (claude.test(model)) return claudeAdaptive.test(model) ? 'claude-adaptive' : 'claude';
  return 'other';
}

const defaults: Record<ModelFamily, ModelParams> = {
  'openai-reasoning': {
    outputTokensParam: 'max_completion_tokens',
    temperature: false,
    jsonMode: true,
    reasoningEffort: 'low',
    minOutputTokens: 2048,
    thinking: undefined,
  },
  // gpt-5-chat-latest and kin: the new token parameter and no temperature, but no reasoning effort.
  'openai-chat-variant': {
    outputTokensParam: 'max_completion_tokens',
    temperature: false,
    jsonMode: true,
    reasoningEffort: undefined,
    minOutputTokens: 0,
    thinking: undefined,
  },
  // gpt-4.1, gpt-4o, and OpenAI-compatible servers (vLLM, Ollama) that know max_tokens.
  'openai-chat': {
    outputTokensParam: 'max_tokens',
    temperature: true,
    jsonMode: true,
    reasoningEffort: undefined,
    minOutputTokens: 0,
    thinking: undefined,
  },
  // An Azure deployment name says nothing about the model: what every current model accepts.
  'openai-unknown': {
    outputTokensParam: 'max_completion_tokens',
    temperature: false,
    jsonMode: true,
    reasoningEffort: undefined,
    minOutputTokens: 0,
    thinking: undefined,
  },
  // Claude has no JSON mode without a schema; the prompt asks for JSON.
  claude: {
    outputTokensParam: 'max_tokens',
    temperature: false,
    jsonMode: false,
    reasoningEffort: undefined,
    minOutputTokens: 0,
    thinking: undefined,
  },
  'claude-adaptive': {
    outputTokensParam: 'max_tokens',
    temperature: false,
    jsonMode: false,
    reasoningEffort: 'low',
    minOutputTokens: 1024,
    thinking: undefined,
  },
  gemini: {
    outputTokensParam: 'max_tokens',
    temperature: true,
    jsonMode: true,
    reasoningEffort: undefined,
    minOutputTokens: 0,
    thinking: undefined,
  },
  'gemini-thinking': {
    outputTokensParam: 'max_tokens',
    temperature: false,
    jsonMode: true,
    reasoningEffort: 'low',
    minOutputTokens: 1024,
    thinking: undefined,
  },
  // Other Bedrock models (Nova, Llama, Mistral) through Converse.
  other: {
    outputTokensParam: 'max_tokens',
    temperature: true,
    jsonMode: false,
    reasoningEffort: undefined,
    minOutputTokens: 0,
    thinking: undefined,
  },
};

export function resolveParams(family: ModelFamily, overrides: ParamsOverrides | undefined): ModelParams {
  const base = defaults[family];
  if (!overrides) return base;
  return {
    outputTokensParam: overrides.output_tokens_param ?? base.outputTokensParam,
    temperature: overrides.temperature ?? base.temperature,
    jsonMode: overrides.json_mode ?? base.jsonMode,
    reasoningEffort: overrides.reasoning_effort ?? base.reasoningEffort,
    minOutputTokens: overrides.min_output_tokens ?? base.minOutputTokens,
    thinking: overrides.thinking ?? base.thinking,
  };
}

/** The output budget to send: the request's, raised to the floor reasoning models need. */
export function outputBudget(params: ModelParams, requested: number): number {
  return requested < params.minOutputTokens ? params.minOutputTokens : requested;
}
