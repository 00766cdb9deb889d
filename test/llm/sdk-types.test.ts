// Every request body an adapter produces, checked against the vendor SDK's own request type: assignable, and no key
// the SDK type lacks. The checks are types: `npm run typecheck` fails on a mismatch, and so does this test, which
// runs the TypeScript compiler over this file (and over a deliberately wrong body, to prove the check can fail).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ConverseRequest } from '@aws-sdk/client-bedrock-runtime';
import type { Content, GenerationConfig, ThinkingLevel } from '@google/genai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import ts from 'typescript';
import { resolveParams } from '../../src/llm/params';
import type { BedrockClaudeBody, ConverseBody } from '../../src/llm/providers/bedrock';
import { converseBody } from '../../src/llm/providers/bedrock';
import { type ClaudeBody, claudeBody } from '../../src/llm/providers/claude';
import { type OpenAiChatBody, openaiChatBody } from '../../src/llm/providers/openai';
import type { GeminiBody, VertexClaudeBody } from '../../src/llm/providers/vertex';
import { geminiBody } from '../../src/llm/providers/vertex';
import { jsonChat } from './helpers';

/** true when A is assignable to B and has no key B lacks (at the top level and one level down). */
type Exact<A, B> = [A] extends [B]
  ? Exclude<keyof A, keyof B> extends never
    ? NestedExact<A, B>
    : { extraKeys: Exclude<keyof A, keyof B> }
  : { notAssignable: A };
type NestedExact<A, B> = {
  [K in keyof A & keyof B]-?: NonNullable<A[K]> extends readonly unknown[]
    ? true
    : NonNullable<A[K]> extends object
      ? Exclude<keyof NonNullable<A[K]>, keyof NonNullable<B[K]>> extends never
        ? true
        : { extraKeys: [K, Exclude<keyof NonNullable<A[K]>, keyof NonNullable<B[K]>>] }
      : true;
}[keyof A & keyof B] extends true
  ? true
  : { nested: A };
const ok = <T extends true>(value: T): T => value;

// OpenAI and Azure's v1 path: the body with its model.
type OpenAiWithModel = OpenAiChatBody & { model: string };
// Azure classic deployments: the same body, the model named by the URL.
type AzureClassic = Omit<OpenAiChatBody, 'model'>;
// Anthropic: the SDK's types describe API 2026-10-21, which has no temperature. shiftnote sends one only with
// api_version 2023-06-01 and params.temperature (config validation refuses it on 2026-10-21).
type AnthropicBody = Omit<ClaudeBody, 'temperature'> & { model: string };
// Bedrock InvokeModel and Vertex rawPredict: the Messages body without model, plus anthropic_version.
type ClaudePlatformParams = Omit<MessageCreateParamsNonStreaming, 'model'> & { anthropic_version: string };
// Gemini on the wire: generateContent's REST fields are @google/genai's Content and GenerationConfig, enums as strings.
type GeminiWire = {
  contents: Content[];
  systemInstruction: Content;
  generationConfig: Omit<GenerationConfig, 'thinkingConfig'> & { thinkingConfig?: { thinkingLevel?: `${ThinkingLevel}` } };
};

export const checks = [
  ok<Exact<OpenAiWithModel, ChatCompletionCreateParamsNonStreaming>>(true),
  ok<Exact<AzureClassic, Omit<ChatCompletionCreateParamsNonStreaming, 'model'>>>(true),
  ok<Exact<AnthropicBody, MessageCreateParamsNonStreaming>>(true),
  ok<Exact<Omit<BedrockClaudeBody, 'temperature'>, ClaudePlatformParams>>(true),
  ok<Exact<Omit<VertexClaudeBody, 'temperature'>, ClaudePlatformParams>>(true),
  ok<Exact<ConverseBody, Omit<ConverseRequest, 'modelId'>>>(true),
  ok<Exact<GeminiBody, GeminiWire>>(true),
];

// The builders return these types (so the checks above cover every body they produce):
export const built = {
  openai: openaiChatBody(jsonChat, 'gpt-5.4-mini', resolveParams('openai-reasoning', undefined)) satisfies OpenAiChatBody,
  claude: claudeBody(jsonChat, resolveParams('claude-adaptive', undefined)) satisfies ClaudeBody,
  converse: converseBody(jsonChat, resolveParams('claude', undefined)) satisfies ConverseBody,
  gemini: geminiBody(jsonChat, resolveParams('gemini-thinking', undefined)) satisfies GeminiBody,
};

function diagnostics(files: string[]): string[] {
  const configPath = join(__dirname, '../../tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, join(__dirname, '../..'));
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('the TypeScript compiler accepts every check, and rejects a body with a key the SDK does not have', () => {
  // Under node_modules (ignored by git, and module resolution finds the SDKs from there).
  const cache = join(__dirname, '../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'shiftnote-sdk-types-'));
  const wrong = join(dir, 'wrong.ts');
  // The body as shiftnote used to send it: temperature with a current Claude API.
  writeFileSync(
    wrong,
    [
      "import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';",
      `import type { ClaudeBody } from '${join(__dirname, '../../src/llm/providers/claude').replace(/\\/g, '/')}';`,
      'type Extra<A, B> = Exclude<keyof A, keyof B> extends never ? true : false;',
      'export const check: Extra<ClaudeBody & { model: string }, MessageCreateParamsNonStreaming> = true;',
    ].join('\n'),
  );
  try {
    expect(diagnostics([__filename])).toEqual([]);
    expect(diagnostics([wrong])).toEqual([expect.stringMatching(/Type 'true' is not assignable to type 'false'/)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(checks).toEqual(Array(7).fill(true));
  expect(built.openai).toMatchObject({ max_completion_tokens: 2048 });
}, 120_000);
