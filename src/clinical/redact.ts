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

/** A code's letters and digits, each optionally followed by a space or hyphen: "RX448812" also matches "rx-448 812". */
function spacedOut(code: string): string {
  return [...code.replace(/[^\p{L}\p{N}]/gu, '')].map(escapeRegExp).join('[\\s-]?');
}

/** The birth date in every common order and spelling: ISO, day-first, month-first, words, compact. */
function birthDatePatterns(birthDate: string): RegExp[] {
  const [year, month, day] = birthDate.split('-');
  const m = String(Number(month));
  const d = String(Number(day));
  const years = `(?:${year}|'?${year.slice(2)})`;
  const sep = '[-/.\\s]';
  const monthName = months[Number(month) - 1];
  const monthWord = `(?:${monthName}|${monthName.slice(0, 3)}${monthName === 'September' ? '|Sept' : ''})\\.?`;
  const dayWord = `0?${d}(?:st|nd|rd|th)?`;
  return [
    numberEdges(`${year}${sep}0?${m}${sep}0?${d}`),
    numberEdges(`0?${d}${sep}0?${m}${sep}${years}`),
    numberEdges(`0?${m}${sep}0?${d}${sep}${years}`),
    numberEdges(`${dayWord}\\s*(?:of\\s+)?${monthWord},?\\s*${years}`),
    numberEdges(`${monthWord}\\s*${dayWord},?\\s*${years}`),
    numberEdges(`${year}${month}${day}|${day}${month}${year}`),
    // The year alone still narrows who the patient is; an inpatient note has little other use for it.
    numberEdges(year),
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

/** The patient's patterns, built once and applied to every note (callers redacting a week use one redactor). */
export function noteRedactor(identifiers: PatientIdentifiers): (text: string) => string {
  const replacements = identifierReplacements(identifiers);
  return (text) =>
    replacements
      .reduce((current, [pattern, role]) => replaceWords(current, pattern, role), text)
      .replace(titledName, (match, titleWord: string, name: string) => {
        if (!isCapitalised(name)) return match;
        return clinicianTitles.has(titleWord.toLowerCase()) ? 'a clinician' : 'a person';
      });
}

/** In order: dates and numbers before names, full names before their parts. Empty identifiers match nothing. */
function identifierReplacements(identifiers: PatientIdentifiers): [Pattern, string][] {
  const title = '(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\\.?\\s+';
  const given = flexible(identifiers.givenName);
  const family = flexible(identifiers.familyName);
  const nameParts = `${identifiers.givenName} ${identifiers.familyName}`
    .split(/[\s-]+/)
    .filter((part) => part.length >= 2)
    .map(flexible);
  const mrn = spacedOut(identifiers.mrn);
  const bed = spacedOut(identifiers.bed);
  const replacements: [Pattern, string][] = [];
  const add = (role: string, ...patterns: Pattern[]) => patterns.forEach((pattern) => replacements.push([pattern, role]));

  if (/^\d{4}-\d{2}-\d{2}$/.test(identifiers.birthDate)) add('[DOB]', ...birthDatePatterns(identifiers.birthDate));
  if (mrn) add('[MRN]', wordEdges(mrn));
  if (bed) {
    add('[bed]', wordEdges(`bed\\s*(?:no\\.?\\s*)?${bed}`));
    // A bare number is no identifier ("RR 12"), so a numeric label is only redacted after "bed".
    if (/\p{L}/u.test(identifiers.bed)) add('[bed]', wordEdges(bed));
  }
  if (given && family) {
    add('the patient', wordEdges(`(?:${title})?${given}\\s+${family}|${family},?\\s+${given}`));
  }
  const names = [...new Set([family, given, ...nameParts].filter(Boolean))]; // a two-part name is its own parts
  add('the patient', ...names.map((name) => wordEdges(`(?:${title})?${name}`)));
  // Other identifying numbers (NHS number, telephone): 3-3-4 groups or 6+ digits in a row.
  add('[number]', /(?<!\d)(?:\d{3}[\s-]\d{3}[\s-]\d{4}|\d{6,})(?!\d)/g);
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
