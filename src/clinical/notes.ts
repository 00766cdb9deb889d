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
const CLAUSE_BREAK = /[.,;:!?\n]/;
const FREE_AFTER = /[- ]free\b/iy;
/** How far back the 3 words are looked for: a bound per keyword keeps the whole screen linear in the note's length. */
const LOOKBACK_CHARS = 120;
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isWordChar = (c: string) => isLetter(c) || (c >= '0' && c <= '9') || c === '_';

/**
 * Walks back from the keyword, word by word, to the clause's start (a punctuation break or "but") or the third
 * word, whichever comes first, never more than LOOKBACK_CHARS: the cost of one keyword does not grow with the note.
 */
function isNegated(text: string, start: number, end: number): boolean {
  FREE_AFTER.lastIndex = end;
  if (FREE_AFTER.test(text)) return true;
  const floor = Math.max(0, start - LOOKBACK_CHARS);
  let words = 0;
  let i = start;
  while (i > floor && words < 3) {
    const c = text[i - 1];
    if (CLAUSE_BREAK.test(c)) return false;
    if (!isLetter(c)) {
      i--;
      continue;
    }
    let j = i;
    while (j > floor && isLetter(text[j - 1])) j--;
    const word = text.slice(j, i).toLowerCase();
    // "but" opens a new clause when it stands as a word of its own.
    if (word === 'but' && !isWordChar(text[j - 1] ?? ' ') && !isWordChar(text[i] ?? ' ')) return false;
    if (negationWords.has(word)) return true;
    words++;
    i = j;
  }
  return false;
}

/** Any keyword at all, in one pass: most notes have none, and then the rules need not run one by one. */
const anyKeyword = new RegExp(flagRules.map(({ pattern }) => `(?:${pattern.source})`).join('|'), 'i');

export function flagNote(text: string): NoteFlag | null {
  if (!anyKeyword.test(text)) return null;
  const rule = flagRules.find(({ pattern }) => [...text.matchAll(pattern)].some((m) => !isNegated(text, m.index, m.index + m[0].length)));
  return rule?.flag ?? null;
}

export interface SelectedNote {
  note: CareNoteRecord;
  flag: NoteFlag | null;
}

/** The most recent notes, plus the most recent flagged ones (both bounded), oldest first. */
export function selectNotes(week: PatientWeek, options: Pick<ClinicalOptions, 'recentNoteCount' | 'maxFlaggedNotes'>): SelectedNote[] {
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
