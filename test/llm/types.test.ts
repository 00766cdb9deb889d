// The LLM client's port types stay structurally identical to the clinical domain's (checked by tsc, both directions).
import type * as clinical from '../../src/clinical/types';
import type * as llm from '../../src/llm';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const checks: [
  Same<llm.ChatRequest, clinical.ChatRequest>,
  Same<llm.ChatResponse, clinical.ChatResponse>,
  Same<llm.AttemptMeta, clinical.AttemptMeta>,
  Same<llm.ChatCompleter, clinical.ChatCompleter>,
] = [true, true, true, true];

test('an LlmClient is a clinical ChatCompleter', () => {
  const asCompleter = (client: llm.LlmClient): clinical.ChatCompleter => client;
  expect(typeof asCompleter).toBe('function');
  expect(checks).toEqual([true, true, true, true]);
});
