// Claude's Messages body and answer, shared by the Anthropic API, Bedrock InvokeModel and Vertex rawPredict.
import { outputBudget, type ModelParams } from '../params';
import type { ChatRequest } from '../types';
import { conversation, type Decoded, isRecord, stringOrUndefined, tokenUsage, type Turn } from './adapter';

/** The Messages body shiftnote sends, without `model` (a subset of the SDK's MessageCreateParamsNonStreaming). */
export interface ClaudeBody {
  max_tokens: number;
  system?: string;
  messages: Turn[];
  output_config?: { effort: 'low' | 'medium' | 'high' | 'xhigh' | 'max' };
  thinking?: { type: 'adaptive' } | { type: 'disabled' };
  /** Only ever set for anthropic-version 2023-06-01 with params.temperature: the SDK's current types lack it. */
  temperature?: number;
}

const efforts = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

export function claudeBody(request: ChatRequest, params: ModelParams): ClaudeBody {
  const body: ClaudeBody = {
    max_tokens: outputBudget(params, request.maxTokens),
    system: request.system,
    messages: conversation(request.messages) as Turn[],
  };
  const effort = params.reasoningEffort;
  if (effort !== undefined && efforts.has(effort)) body.output_config = { effort: effort as 'low' };
  if (params.thinking !== undefined) body.thinking = { type: params.thinking };
  if (params.temperature && request.temperature !== undefined) body.temperature = request.temperature;
  return body;
}

// Claude's stop reasons in the OpenAI vocabulary the rest of shiftnote uses.
const stopReasons: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', refusal: 'content_filter' };

/** A Message: its text blocks joined (thinking blocks ignored); `stop_reason: "refusal"` is a refusal. */
export function decodeClaudeMessage(json: unknown): Decoded | null {
  if (!isRecord(json) || !Array.isArray(json.content)) return null;
  const finishReason = stringOrUndefined(json.stop_reason);
  const usage = isRecord(json.usage) ? tokenUsage(json.usage.input_tokens, json.usage.output_tokens) : undefined;
  const responseModel = stringOrUndefined(json.model);
  const stopReason = finishReason === undefined ? undefined : (stopReasons[finishReason] ?? finishReason);
  if (finishReason === 'refusal') return { refused: true, text: '', finishReason, stopReason, responseModel, usage };
  let text = '';
  for (const block of json.content) {
    if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') text += block.text;
  }
  if (text.trim() === '') return null;
  return { refused: false, text, finishReason, stopReason, responseModel, usage };
}
