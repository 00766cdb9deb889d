// Strips direct identifiers from care-note text before any of it can leave the service in a prompt.
import type { PatientIdentifiers } from './types';

const months = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Unicode-aware word edges: \b is ASCII-only and would miss names such as "Zoë". The edges are checked around each
// match with this one regex, not inside every patient's patterns: a [\p{L}\p{N}] class costs ~0.5 ms to compile
// in each new RegExp.
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const WORD_EDGED = Symbol('word edges');
type Pattern = RegExp & { [WORD_EDGED]?: true };

/**
 * Compiled patterns by source, shared between patients (least recently used dropped past the bound). Compiling
 * is most of what redaction costs; many patterns recur — a bed label, a first name, a birth year — and a
 * patient's own recur on every read. Safe to share: replace() with a global pattern starts at 0 and leaves it at 0.
 */
const compiled = new Map<string, Pattern>();
const COMPILED_MAX = 2000; // ≈ 10 MB of heap: a few wards of patients
function compile(source: string, wordEdged: boolean): Pattern {
  const key = `${wordEdged ? 'w' : 'n'}${source}`;
  let pattern = compiled.get(key);
  if (pattern) compiled.delete(key);
  else {
    pattern = new RegExp(source, 'giu') as Pattern;
    if (wordEdged) pattern[WORD_EDGED] = true;
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
  }
  compiled.set(key, pattern);
  return pattern;
}
const wordEdges = (pattern: string): Pattern => compile(pattern, true);

function codePointBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2 ? text.slice(index - 2, index) : text[index - 1];
}
function codePointAt(text: string, index: number): string {
  const cp = text.codePointAt(index);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** Replaces whole-word matches only (what the lookarounds did); a match inside a word is left as it was. */
function replaceWords(text: string, pattern: Pattern, role: string): string {
  if (!pattern[WORD_EDGED]) return text.replace(pattern, role);
  return text.replace(pattern, (match: string, ...rest: unknown[]) => {
    const hasGroups = typeof rest[rest.length - 1] === 'object';
    const offset = rest[rest.length - (hasGroups ? 3 : 2)] as number;
    const before = codePointBefore(text, offset);
    const after = codePointAt(text, offset + match.length);
    return LETTER_OR_DIGIT.test(before) || LETTER_OR_DIGIT.test(after) ? match : role;
  });
}
const numberEdges = (pattern: string) => compile(`(?<!\\d)(?:${pattern})(?!\\d)`, false);

/** Spaces, hyphens and apostrophes written in any of their usual forms. */
function flexible(text: string): string {
  return text
    .trim()
    .split(/[\s-]+/)
    .map((part) => escapeRegExp(part).replace(/['’]/g, "['’]"))
    .join('[\\s-]*');
}

/** A code's letters and digits only. */
const alnum = (code: string) => code.replace(/[^\p{L}\p{N}]/gu, '');

/** A code's letters and digits, each optionally followed by a space or hyphen: "RX448812" also matches "rx-448 812". */
function spacedOut(code: string): string {
  return [...alnum(code)].map(escapeRegExp).join('[\\s-]?');
}

/** The birth date in every common order and spelling: ISO, day-first, month-first, words, compact (pattern sources). */
function birthDatePatterns(birthDate: string): string[] {
  const [year, month, day] = birthDate.split('-');
  const m = String(Number(month));
  const d = String(Number(day));
  const years = `(?:${year}|'?${year.slice(2)})`;
  const sep = '[-/.\\s]';
  const monthName = months[Number(month) - 1];
  const monthWord = `(?:${monthName}|${monthName.slice(0, 3)}${monthName === 'September' ? '|Sept' : ''})\\.?`;
  const dayWord = `0?${d}(?:st|nd|rd|th)?`;
  return [
    `${year}${sep}0?${m}${sep}0?${d}`,
    `0?${d}${sep}0?${m}${sep}${years}`,
    `0?${m}${sep}0?${d}${sep}${years}`,
    `${dayWord}\\s*(?:of\\s+)?${monthWord},?\\s*${years}`,
    `${monthWord}\\s*${dayWord},?\\s*${years}`,
    `${year}${month}${day}|${day}${month}${year}`,
    // The year alone still narrows who the patient is; an inpatient note has little other use for it.
    year,
  ];
}

const clinicianTitles = new Set(['dr', 'prof', 'professor', 'sister', 'sr', 'nurse']);
// A title, then optional initials ("Dr A. Okafor"), then a name.
const titledName =
  /(?<![\p{L}\p{N}])(Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sister|Sr|Nurse)\.?\s+((?:\p{L}\.\s*)*\p{L}[\p{L}'’-]*)/giu;
const isCapitalised = (word: string) => word[0] !== word[0].toLowerCase();

/**
 * Replaces the patient's names, MRN, birth date and bed label with role words, and anyone else named
 * with a title ("Dr Jones", "Mrs Patel") with "a clinician" / "a person". Untitled third-party names
 * ("daughter Sarah") cannot be found without a name list; excerpts are kept short partly for that reason.
 */
export function redactNote(text: string, identifiers: PatientIdentifiers): string {
  return noteRedactor(identifiers)(text);
}

/**
 * What a note must contain for a pattern to have any chance of matching, checked before the pattern is run (or
 * compiled: compiling the patient's own patterns is most of what redaction costs). Each test is a superset of
 * its pattern under the patterns' /iu matching, so skipping a pattern whose test fails changes nothing
 * (test/clinical/redact.test.ts compares against running every pattern, on generated notes):
 * - `digits`: ASCII digits every match contains (a birth date always contains its year's last two digits);
 * - `folded`: letters every match contains, in the note lower-cased;
 * - `compact`: the identifier's letters and digits in order, in the note lower-cased without spaces, hyphens and
 *   apostrophes (what the patterns allow between them).
 * Lower-casing stands in for /iu case folding only for ASCII: the two other characters that fold onto ASCII
 * letters (ſ → s, K → k) are mapped too, and an identifier with any other non-ASCII character is always run.
 */
type Needle = { kind: 'digits' | 'folded' | 'compact'; text: string } | { kind: 'always' };

const fold = (text: string) => text.toLowerCase().replace(/ſ/g, 's');
const SEPARATORS = /[\s\-'’]/gu;
const compactFold = (text: string) => fold(text).replace(SEPARATORS, '');
const isAscii = (text: string) => /^[\x00-\x7f]*$/.test(text);
function needle(kind: 'folded' | 'compact', identifier: string): Needle {
  const text = kind === 'compact' ? compactFold(identifier) : fold(identifier);
  return text && isAscii(identifier) ? { kind, text } : { kind: 'always' };
}

interface Replacement {
  role: string;
  needle: Needle;
  /** Compiled on first use (through the shared cache). */
  pattern(): Pattern;
}

/** One note as the replacements go through it; the folded forms are recomputed only after a change. */
class NoteText {
  private foldedText?: string;
  private compactText?: string;
  constructor(public text: string) {}
  mayContain(n: Needle): boolean {
    switch (n.kind) {
      case 'always':
        return true;
      case 'digits':
        return this.text.includes(n.text);
      case 'folded':
        return (this.foldedText ??= fold(this.text)).includes(n.text);
      case 'compact':
        return (this.compactText ??= compactFold(this.text)).includes(n.text);
    }
  }
  set(text: string): void {
    if (text === this.text) return;
    this.text = text;
    this.foldedText = this.compactText = undefined;
  }
}

/**
 * The patient's patterns, built once and applied to every note (callers redacting a week use one redactor).
 * `prefilter: false` runs every pattern on every note: the reference the prefiltered redactor is tested against.
 */
export function noteRedactor(identifiers: PatientIdentifiers, { prefilter = true } = {}): (text: string) => string {
  const replacements = identifierReplacements(identifiers);
  return (text) => {
    const note = new NoteText(text);
    for (const r of replacements) {
      if (!prefilter || note.mayContain(r.needle)) note.set(replaceWords(note.text, r.pattern(), r.role));
    }
    return note.text.replace(titledName, (match, titleWord: string, name: string) => {
      if (!isCapitalised(name)) return match;
      return clinicianTitles.has(titleWord.toLowerCase()) ? 'a clinician' : 'a person';
    });
  };
}

// Other identifying numbers (NHS number, telephone): 3-3-4 groups or 6+ digits in a row.
const otherNumbers: Pattern = /(?<!\d)(?:\d{3}[\s-]\d{3}[\s-]\d{4}|\d{6,})(?!\d)/g;

/** In order: dates and numbers before names, full names before their parts. Empty identifiers match nothing. */
function identifierReplacements(identifiers: PatientIdentifiers): Replacement[] {
  const title = '(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\\.?\\s+';
  const replacements: Replacement[] = [];
  const add = (role: string, n: Needle, source: string, edges: 'word' | 'number') => {
    let own: Pattern | undefined;
    const pattern = () => (own ??= edges === 'word' ? wordEdges(source) : numberEdges(source));
    replacements.push({ role, needle: n, pattern });
  };

  if (/^\d{4}-\d{2}-\d{2}$/.test(identifiers.birthDate)) {
    const yy: Needle = { kind: 'digits', text: identifiers.birthDate.slice(2, 4) };
    for (const source of birthDatePatterns(identifiers.birthDate)) add('[DOB]', yy, source, 'number');
  }
  const mrn = spacedOut(identifiers.mrn);
  if (mrn) add('[MRN]', needle('compact', alnum(identifiers.mrn)), mrn, 'word');
  const bed = spacedOut(identifiers.bed);
  if (bed) {
    add('[bed]', needle('folded', 'bed'), `bed\\s*(?:no\\.?\\s*)?${bed}`, 'word');
    // A bare number is no identifier ("RR 12"), so a numeric label is only redacted after "bed".
    if (/\p{L}/u.test(identifiers.bed)) add('[bed]', needle('compact', alnum(identifiers.bed)), bed, 'word');
  }
  const given = flexible(identifiers.givenName);
  const family = flexible(identifiers.familyName);
  if (given && family) {
    // Both spellings contain the family name.
    add('the patient', needle('compact', identifiers.familyName), `(?:${title})?${given}\\s+${family}|${family},?\\s+${given}`, 'word');
  }
  const nameParts = `${identifiers.givenName} ${identifiers.familyName}`.split(/[\s-]+/).filter((part) => part.length >= 2);
  // A two-part name is its own parts: each distinct pattern once.
  const names = new Map([identifiers.familyName, identifiers.givenName, ...nameParts].map((name) => [flexible(name), name]));
  for (const [source, name] of names) if (source) add('the patient', needle('compact', name), `(?:${title})?${source}`, 'word');
  replacements.push({ role: '[number]', needle: { kind: 'always' }, pattern: () => otherNumbers });
  return replacements;
}

/** Whitespace collapsed and cut at a word boundary to at most `maxChars` characters. */
export function excerpt(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
