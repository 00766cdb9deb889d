// What makes two summaries interchangeable: the same inputs to the same prompt and models, ignoring the clock.
import type { Facts } from './facts';
import type { ClinicalOptions } from './options';
import { PROMPT_VERSION } from './prompt';
import type { PatientWeek } from './types';

/** Facts that change with the clock alone; a stored summary citing them is re-grounded before reuse. */
const TIME_RELATIVE = new Set(['hoursAgo', 'hoursSinceLastObservation']);

/**
 * Everything the model request is built from — the facts, the selected notes' text, the identifiers redaction
 * removes, the excerpt length — plus the prompt version and the models that may answer; the clock-driven numbers
 * left out. The request is a function of exactly these, so it need not be built (or notes redacted) to compare.
 * Any new observation, dose, note, window edge or fact change alters it. Only its SHA-256 is ever stored.
 */
export function summaryFingerprintMaterial(
  week: PatientWeek,
  facts: Facts,
  options: Pick<ClinicalOptions, 'noteExcerptChars'>,
  models: string,
): string {
  const noteText = new Map(week.notes.map((note) => [note.id, note.text]));
  return JSON.stringify(
    {
      version: PROMPT_VERSION,
      models,
      excerptChars: options.noteExcerptChars,
      facts,
      notes: facts.notes.map((note) => noteText.get(note.id) ?? ''),
      identifiers: week.identifiers,
    },
    (key, value) => (TIME_RELATIVE.has(key) ? undefined : value),
  );
}
