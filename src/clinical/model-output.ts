// What a model must answer (sentences, each citing its facts), how it is validated, and the repair requests.
import { z } from 'zod';
import type { ChatRequest } from './types';

export const SentenceSchema = z.object({
  /** May reference facts by path in braces ("{news2.latest.total}"): the service writes them out, then checks the text. */
  text: z.string().trim().min(1).max(400),
  /**
   * Dot paths into the facts the sentence uses, e.g. "news2.latest.total": hints for the reader, not proof.
   * Optional since prompt version 2 (references make them redundant); older answers still carry them.
   */
  facts: z.array(z.string().max(200)).max(20).default([]),
});
export type Sentence = z.infer<typeof SentenceSchema>;

export const ModelAnswerSchema = z.object({ sentences: z.array(SentenceSchema).min(1).max(6) });
export type ModelAnswer = z.infer<typeof ModelAnswerSchema>;

export const answerShape =
  '{"sentences":[{"text":"Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.","facts":["news2.latest"]}]}';

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; error: string };

/**
 * What was wrong with an answer, in terms that never quote it: a JSON.parse message carries a snippet of the
 * text, and an invalid answer may be anything (a copied note, megabytes of garbage).
 */
function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.') || '(top level)';
    return `${path}: ${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code}`;
  });
  return `not the required shape (${issues.join('; ')}${error.issues.length > 5 ? '; …' : ''})`;
}

/** Accepts the JSON object alone or wrapped in a markdown code fence, which some models add even in JSON mode. */
export function parseModelAnswer(text: string): ParsedAnswer {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch {
    return { ok: false, error: 'not a JSON object' };
  }
  const result = ModelAnswerSchema.safeParse(json);
  return result.success ? { ok: true, answer: result.data } : { ok: false, error: describeIssues(result.error) };
}

/**
 * Stands in for an unusable answer in the repair conversation. The answer itself is never sent back: it may be
 * huge or carry anything. Some APIs reject an empty assistant turn and some require alternating roles, so the
 * conversation keeps its shape with this short, fixed turn.
 */
export const WITHHELD_ANSWER = '(previous answer withheld: it could not be read as the required JSON object)';

/** The original conversation, a stand-in for the unusable answer, and what was wrong with it. */
export function parseRepairRequest(request: ChatRequest, error: string): ChatRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: WITHHELD_ANSWER },
      {
        role: 'user',
        content: `That answer could not be used: ${error}.\nReply with only the JSON object, shaped exactly like ${answerShape}.`,
      },
    ],
  };
}

/** Longest list of problems a grounding repair turn carries: enough to fix an answer, bounded whatever it said. */
const MAX_PROBLEMS = 12;

/**
 * The original conversation, the model's own answer (re-serialised from its parsed, schema-bounded form, never
 * the raw text), and what in it was unsupported or left out and why. The problems are built from the answer's
 * own words and the facts the prompt already carried: nothing new is disclosed.
 */
export function groundingRepairRequest(request: ChatRequest, answer: ModelAnswer, problems: string[]): ChatRequest {
  const listed = problems.slice(0, MAX_PROBLEMS).map((problem) => `- ${problem}`);
  if (problems.length > MAX_PROBLEMS) listed.push(`- and ${problems.length - MAX_PROBLEMS} more`);
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: JSON.stringify({ sentences: answer.sentences }) },
      {
        role: 'user',
        content: `Some of that answer is not supported by "facts", or leaves out what must be said:\n${listed.join('\n')}\nRewrite the whole answer so that every statement is true against "facts" and nothing listed as left out is missing. Reply with only the JSON object, shaped exactly like ${answerShape}.`,
      },
    ],
  };
}
