// What makes two summaries interchangeable: the same inputs to the same prompt and models, ignoring the clock.
import type { Facts } from './facts';
import type { ClinicalOptions } from './options';
import { PROMPT_VERSION } from './prompt';
import type { PatientWeek } from './types';

/**
 * Facts that change with the clock alone, as they appear in the facts' JSON (numbers or null). A stored summary
 * citing them is re-grounded before reuse. Inside a JSON string a quote is escaped, so this cannot match note text.
 */
const TIME_RELATIVE = /"(?:hoursAgo|hoursSinceLastObservation)":(?:null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export interface FingerprintMaterial {
  /** What the fingerprint is taken of. */
  material: string;
  /** The clock-driven facts left out of it, in order: with the fingerprint, they pin down every fact a reader sees. */
  clockFacts: string;
}

/**
 * Everything the model request is built from — the facts, the selected notes' text, the identifiers redaction
 * removes, the excerpt length — plus the prompt version and the models that may answer; the clock-driven numbers
 * left out. The request is a function of exactly these, so it need not be built (or notes redacted) to compare.
 * Any new observation, dose, note, window edge or fact change alters it. Only its SHA-256 is ever stored.
 * (One plain JSON.stringify, then the clock-driven values cut out: a replacer function would be several times slower.)
 */
export function summaryFingerprintMaterial(
  week: PatientWeek,
  facts: Facts,
  options: Pick<ClinicalOptions, 'noteExcerptChars'>,
  models: string,
): FingerprintMaterial {
  const noteText = new Map(week.notes.map((note) => [note.id, note.text]));
  const json = JSON.stringify({
    version: PROMPT_VERSION,
    models,
    excerptChars: options.noteExcerptChars,
    facts,
    notes: facts.notes.map((note) => noteText.get(note.id) ?? ''),
    identifiers: week.identifiers,
  });
  let clockFacts = '';
  const material = json.replace(TIME_RELATIVE, (value) => {
    clockFacts += value;
    return '';
  });
  return { material, clockFacts };
}

const hoursAgo = (value: number) => `"hoursAgo":${JSON.stringify(value)}`;

/**
 * The clock-driven facts exactly as summaryFingerprintMaterial cuts them out of the facts' JSON (same values, same
 * order), without serialising the facts: for a week whose fingerprint is already known (src/clinical/clock.ts).
 */
export function clockFactsOf(facts: Facts): string {
  const { news2, vitals } = facts;
  let out = '';
  if (news2.latest) out += hoursAgo(news2.latest.hoursAgo);
  if (news2.max) out += hoursAgo(news2.max.hoursAgo);
  for (const s of news2.scores) out += hoursAgo(s.hoursAgo);
  return out + `"hoursSinceLastObservation":${JSON.stringify(vitals.hoursSinceLastObservation)}`;
}
