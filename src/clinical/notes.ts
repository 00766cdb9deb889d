// Care notes as facts: the most recent ones plus those a small keyword screen flags for the clinician's attention.
import { z } from 'zod';
import type { ClinicalOptions } from './options';
import type { CareNoteRecord, PatientWeek } from './types';

export const NoteFlagSchema = z.enum(['escalation', 'fall', 'safeguarding', 'DNACPR', 'refusal', 'pain']);
export type NoteFlag = z.infer<typeof NoteFlagSchema>;

export const NoteFactSchema = z.object({
  id: z.string(),
  authoredAt: z.string(),
  category: z.string(),
  flag: NoteFlagSchema.nullable(),
});
export type NoteFact = z.infer<typeof NoteFactSchema>;

/**
 * The screen, in priority order: a note gets the first flag that matches. It is a prompt for a human to read
 * the note, not a classifier. "Not for escalation" and "ceiling of care" are flagged on purpose: a limit
 * on escalation is exactly what the next shift must know.
 */
const flagRules: { flag: NoteFlag; pattern: RegExp }[] = [
  {
    flag: 'escalation',
    pattern:
      /\b(?:not for escalation|ceiling of care|escalat(?:e|ed|es|ing|ion)|outreach|rapid response|medical emergency team|critical care|crash call)\b/gi,
  },
  { flag: 'fall', pattern: /\b(?:falls?|fell|fallen|found on (?:the )?floor|slipped|tripped)\b/gi },
  { flag: 'safeguarding', pattern: /\b(?:safeguarding|abuse[ds]?|neglect(?:ed)?)\b/gi },
  { flag: 'DNACPR', pattern: /\b(?:DNACPR|DNAR|DNR|do not attempt (?:cardiopulmonary )?resuscitation)\b/gi },
  { flag: 'refusal', pattern: /\brefus(?:e|ed|es|ing|al)\b/gi },
  { flag: 'pain', pattern: /\bpain(?:ful)?\b/gi },
];

// Negation: one of these among the 3 words before a keyword, in the same clause ("no falls", "denies any
// pain", "nil safeguarding concerns"), or "-free" after it ("pain-free"). Routine charting is mostly
// negatives; flagging them would bury the notes that matter.
const negationWords = new Set(['no', 'not', 'nil', 'denies', 'denied', 'without', 'negative']);
const clauseBreak = /[.,;:!?\n]|\bbut\b/gi;

function isNegated(text: string, start: number, end: number): boolean {
  if (/^[- ]free\b/i.test(text.slice(end))) return true;
  const before = text.slice(0, start);
  const clauseStart = Math.max(0, ...[...before.matchAll(clauseBreak)].map((m) => m.index + m[0].length));
  const words = before.slice(clauseStart).toLowerCase().match(/[a-z]+/g) ?? [];
  return words.slice(-3).some((word) => negationWords.has(word));
}

/** Any keyword at all, in one pass: most notes have none, and then the rules need not run one by one. */
const anyKeyword = new RegExp(flagRules.map(({ pattern }) => `(?:${pattern.source})`).join('|'), 'i');

export function flagNote(text: string): NoteFlag | null {
  if (!anyKeyword.test(text)) return null;
  const rule = flagRules.find(({ pattern }) =>
    [...text.matchAll(pattern)].some((m) => !isNegated(text, m.index, m.index + m[0].length)),
  );
  return rule?.flag ?? null;
}

export interface SelectedNote {
  note: CareNoteRecord;
  flag: NoteFlag | null;
}

/** The most recent notes, plus the most recent flagged ones (both bounded), oldest first. */
export function selectNotes(
  week: PatientWeek,
  options: Pick<ClinicalOptions, 'recentNoteCount' | 'maxFlaggedNotes'>,
): SelectedNote[] {
  const newestFirst = [...week.notes]
    .sort((a, b) => b.authoredAt.getTime() - a.authoredAt.getTime())
    .map((note) => ({ note, flag: flagNote(note.text) }));
  const recent = newestFirst.slice(0, options.recentNoteCount);
  const flagged = newestFirst.filter(({ flag }) => flag !== null).slice(0, options.maxFlaggedNotes);
  return newestFirst.filter((selected) => recent.includes(selected) || flagged.includes(selected)).reverse();
}

export function noteFact({ note, flag }: SelectedNote): NoteFact {
  return { id: note.id, authoredAt: note.authoredAt.toISOString(), category: note.category, flag };
}
