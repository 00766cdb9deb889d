// What a model must answer (sentences, each citing its facts), how it is validated, and the one repair request.
import { z } from 'zod';
import type { ChatRequest } from './types';

export const SentenceSchema = z.object({
  text: z.string().trim().min(1).max(400),
  /** Dot paths into the facts that the sentence's numbers come from, e.g. "news2.latest.total". */
  facts: z.array(z.string()).max(20),
});
export type Sentence = z.infer<typeof SentenceSchema>;

export const ModelAnswerSchema = z.object({ sentences: z.array(SentenceSchema).min(1).max(6) });
export type ModelAnswer = z.infer<typeof ModelAnswerSchema>;

export const answerShape = '{"sentences":[{"text":"...","facts":["news2.latest.total"]}]}';

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; error: string };

/** Accepts the JSON object alone or wrapped in a markdown code fence, which some models add even in JSON mode. */
export function parseModelAnswer(text: string): ParsedAnswer {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  const result = ModelAnswerSchema.safeParse(json);
  return result.success ? { ok: true, answer: result.data } : { ok: false, error: z.prettifyError(result.error) };
}

/** The original conversation, the invalid answer, and what was wrong with it. */
export function repairRequest(request: ChatRequest, invalidAnswer: string, error: string): ChatRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: invalidAnswer },
      {
        role: 'user',
        content: `That answer is invalid: ${error}\nReply with only the JSON object, shaped exactly like ${answerShape}.`,
      },
    ],
  };
}
