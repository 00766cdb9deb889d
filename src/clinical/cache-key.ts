// What makes two summaries interchangeable: the same prompt to the same models, ignoring the passing of time.
import { PROMPT_VERSION } from './prompt';
import type { ChatRequest } from './types';

/** Facts that change with the clock alone; a stored summary citing them is re-grounded before reuse. */
const TIME_RELATIVE = new Set(['hoursAgo', 'hoursSinceLastObservation']);

/**
 * The exact request bytes a model would see, minus the clock-driven numbers, plus the prompt version and
 * the models that may answer. Any new observation, dose, note, window edge or fact change alters it.
 */
export function summaryFingerprintMaterial(request: ChatRequest, models: string): string {
  const messages = request.messages.map((m) => ({
    role: m.role,
    content: JSON.parse(m.content, (key, value) => (TIME_RELATIVE.has(key) ? undefined : value)) as unknown,
  }));
  return JSON.stringify({ version: PROMPT_VERSION, models, system: request.system, messages, maxTokens: request.maxTokens });
}
