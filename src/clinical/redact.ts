// Strips identifiers from free text (notes, and every other string a prompt carries) before it can leave the service.
//
// Built for hostile text (docs/deidentification.md): each string is first folded for matching — compatibility
// forms (NFKD: full-width, ligatures, circled and mathematical letters), marks dropped (diacritics), invisible
// characters removed (zero-width, soft hyphen, bidi controls), look-alike Cyrillic/Greek/Armenian letters mapped to
// Latin, digits of every script mapped to ASCII, lower-cased — keeping, for every folded character, where it came
// from. The patterns run one by one over the folded text; each match is overwritten in place by a placeholder of
// the same length (so positions never move and no later pattern can match across it), and the original text is
// then cut at the mapped positions. Every pattern is linear: bounded repetitions, or a greedy run that never
// needs to backtrack; a string is redacted only up to a cap (MAX_REDACTED_CHARS), dropping the stretch before the
// cap where an identifier could have been cut in half.
import type { PatientIdentifiers } from './types';

/** The longest stretch of one string redacted for a prompt; the rest is never looked at (nor sent). */
export const MAX_REDACTED_CHARS = 4096;
/** Longer than any match (URLs ≤ 256, emails ≤ 320, addresses with their town): text this close to the cap is dropped. */
const CUT_MARGIN = 400;

// ——— Folding ———

/** Look-alikes of Latin letters, before lower-casing (a capital Greek eta looks like H, its small form like n). */
const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  А: 'a',
  В: 'b',
  Е: 'e',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  У: 'y',
  Х: 'x',
  Ԁ: 'd',
  Һ: 'h',
  Ӏ: 'l',
  Ԛ: 'q',
  Ԝ: 'w',
  Ү: 'y',
  а: 'a',
  в: 'b',
  е: 'e',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  ɡ: 'g',
  ɑ: 'a',
  ı: 'i',
  ȷ: 'j',
  // Greek
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  // Armenian
  օ: 'o',
  ո: 'n',
  ս: 'u',
  հ: 'h',
  ց: 'g',
  // Letters with no decomposition, as they are written without their stroke or ligature.
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ł: 'l',
  Ł: 'l',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ß: 'ss',
  ẞ: 'ss',
  þ: 'th',
  Þ: 'th',
  ð: 'd',
  Ð: 'd',
  // Punctuation in its look-alike forms: one apostrophe, one hyphen, one slash.
  '’': "'",
  '‘': "'",
  ʼ: "'",
  ʹ: "'",
  '′': "'",
  '`': "'",
  '´': "'",
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '﹣': '-',
  '⁄': '/',
  '∕': '/',
};
const INVISIBLE = /[\p{M}\p{Default_Ignorable_Code_Point}]/gu;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const SPACE = /^\s$/u;

/** A decimal digit of any script as its ASCII digit: Unicode keeps each script's ten digits in a row, zero first. */
function asciiDigit(char: string): string {
  const cp = char.codePointAt(0)!;
  let zero = cp;
  while (cp - zero < 9 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

const foldedCodePoints = new Map<number, string>();
/** What one non-ASCII code point folds to (possibly nothing, possibly several characters). Cached. */
function foldCodePoint(char: string): string {
  const cp = char.codePointAt(0)!;
  let folded = foldedCodePoints.get(cp);
  if (folded !== undefined) return folded;
  if (SPACE.test(char)) folded = ' ';
  else {
    const parts = [...char.normalize('NFKD').replace(INVISIBLE, '')].map((c) => LOOK_ALIKES[c] ?? c);
    folded = parts
      .join('')
      .toLowerCase()
      .replace(INVISIBLE, '')
      .replace(/./gsu, (c) => LOOK_ALIKES[c] ?? (DECIMAL_DIGIT.test(c) ? asciiDigit(c) : c));
  }
  if (foldedCodePoints.size < 50_000) foldedCodePoints.set(cp, folded);
  return folded;
}

interface Folded {
  /** The text folded for matching. */
  text: string;
  /** For each folded UTF-16 unit, the index in the original of the code point it came from. */
  origin: number[];
}

/** Folds `text` for matching, one code point at a time (ASCII on a fast path), keeping where each character came from. */
function fold(text: string): Folded {
  const out: string[] = [];
  const origin: number[] = [];
  let runStart = -1;
  const flushAscii = (end: number) => {
    if (runStart < 0) return;
    out.push(text.slice(runStart, end).toLowerCase());
    for (let k = runStart; k < end; k++) origin.push(k);
    runStart = -1;
  };
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    if (code < 0x80 && code !== 0x60) {
      if (runStart < 0) runStart = i;
      i++;
      continue;
    }
    flushAscii(i);
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const folded = code >= 0xd800 && code <= 0xdfff && width === 1 ? '' : foldCodePoint(text.slice(i, i + width));
    for (let k = 0; k < folded.length; k++) origin.push(i);
    out.push(folded);
    i += width;
  }
  flushAscii(text.length);
  return { text: out.join(''), origin };
}

/** What leaves for text that matched nothing: compatibility forms composed, invisible characters and lone surrogates out. */
function clean(text: string): string {
  return text
    .replace(/^\p{M}+/u, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .normalize('NFKC')
    .replace(/[\p{Default_Ignorable_Code_Point}]/gu, '');
}

// ——— Passes ———

/** Overwrites a match so that no later pattern can match it or across it, and word edges see a non-letter. */
const PLACEHOLDER = '\ue000';
const ALNUM = /^[\p{L}\p{N}]$/u;
const isAlnum = (c: string | undefined) => c !== undefined && c !== PLACEHOLDER && (c < '\x80' ? /[a-z0-9]/.test(c) : ALNUM.test(c));

interface Hit {
  /** Range in the folded text. */
  start: number;
  end: number;
  role: string;
}

/** The note being redacted: the folded text, overwritten pass by pass, and the original to read capitals from. */
class Redaction {
  readonly hits: Hit[] = [];
  private compactIndex?: { text: string; at: number[] };
  text: string;
  constructor(
    readonly original: string,
    readonly folded: Folded,
    /** false: every pass runs, none skipped by its cheap "could it match at all" check (the tests' reference). */
    readonly prefilter = true,
  ) {
    this.text = folded.text;
  }

  /** Whether the text may contain something a pass looks for (always true without prefilters). */
  may(what: string | RegExp): boolean {
    return !this.prefilter || (typeof what === 'string' ? this.text.includes(what) : what.test(this.text));
  }

  /**
   * The folded text's letters and digits only, with where each one sits in the folded text: the patient's own
   * identifiers are found in it with indexOf (no per-patient regex to compile), separators checked in the folded text.
   */
  get compact(): { text: string; at: number[] } {
    if (!this.compactIndex) {
      const at: number[] = [];
      const chars: string[] = [];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        if (isAlnum(t[i]) && !(t.charCodeAt(i) >= 0xd800 && t.charCodeAt(i) <= 0xdfff)) {
          chars.push(t[i]);
          at.push(i);
        }
      }
      this.compactIndex = { text: chars.join(''), at };
    }
    return this.compactIndex;
  }

  /** Whether the original character behind folded index `i` is a capital letter. */
  capitalAt(i: number): boolean {
    const c = String.fromCodePoint(this.original.codePointAt(this.folded.origin[i])!);
    return c !== c.toLowerCase();
  }

  /** Whether folded range [start, end) stands as whole words (no letter or digit just outside it). */
  edged(start: number, end: number): boolean {
    return !isAlnum(this.text[start - 1]) && !isAlnum(this.text[end]);
  }

  /** Runs one pattern; `decide` turns a match into a hit (or none). Hits are written as placeholders at once. */
  run(pattern: RegExp, decide: (m: RegExpExecArray) => Hit | Hit[] | null): void {
    pattern.lastIndex = 0;
    const found: Hit[] = [];
    for (let m = pattern.exec(this.text); m; m = pattern.exec(this.text)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const hit = decide(m);
      if (hit) found.push(...(Array.isArray(hit) ? hit : [hit]));
    }
    this.mark(found);
  }

  /** Records hits (non-overlapping, each clear of earlier ones) and overwrites them with placeholders. */
  mark(found: Hit[]): void {
    if (found.length === 0) return;
    found.sort((a, b) => a.start - b.start);
    const parts: string[] = [];
    let at = 0;
    for (const hit of found) {
      parts.push(this.text.slice(at, hit.start), PLACEHOLDER.repeat(hit.end - hit.start));
      at = hit.end;
    }
    parts.push(this.text.slice(at));
    this.text = parts.join('');
    this.hits.push(...found);
  }

  /** The common case: every whole-word match becomes `role`. */
  replace(pattern: RegExp, role: string, { words = true } = {}): void {
    this.run(pattern, (m) =>
      !words || this.edged(m.index, m.index + m[0].length) ? { start: m.index, end: m.index + m[0].length, role } : null,
    );
  }

  /**
   * The original with every hit replaced by its role word, up to original index `until` (hits starting later and
   * the text after it dropped).
   */
  assemble(until: number): string {
    const { origin } = this.folded;
    const o = this.original;
    const endOf = (i: number) => {
      const at = origin[i];
      const code = o.charCodeAt(at);
      return at + (code >= 0xd800 && code <= 0xdbff && at + 1 < o.length ? 2 : 1);
    };
    const hits = [...this.hits].sort((a, b) => a.start - b.start);
    const parts: string[] = [];
    let cursor = 0;
    for (const hit of hits) {
      const start = origin[hit.start];
      if (start >= until) break;
      if (start > cursor) parts.push(clean(o.slice(cursor, start)));
      if (start >= cursor || endOf(hit.end - 1) > cursor) parts.push(hit.role);
      cursor = Math.max(cursor, endOf(hit.end - 1));
    }
    if (cursor < until) parts.push(clean(o.slice(cursor, until)));
    return parts.join('');
  }
}

// ——— Shapes anyone's identifiers take (not the patient's own fields) ———

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
// A full month name, or its abbreviation with an optional dot ("Mar.", "Sept"); the dot of "March." ends a sentence.
const MONTH_WORD = `(?:${MONTHS.map((m) => (m === 'may' ? 'may(?![a-z])' : `${m}(?![a-z])|${m.slice(0, 3)}${m === 'september' ? 't?' : ''}(?![a-z])\\.?`)).join('|')})`;
const ORDINAL = '(?:st|nd|rd|th)?';
const DATE_GAP = '[\\s\\-/.,]{0,3}';

const EMAIL = /[a-z0-9._%+'-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/g;
// Up to 256 characters, not ending in punctuation that more likely closes the sentence than the URL.
const URL = /(?:https?:\/\/|www\.)[^\s<>"'()[\]{}\ue000]{0,255}[^\s<>"'()[\]{}\ue000,.;:!?]/g;
const IP = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
// d/m/y or m/d/y (any of - / . twice, or spaces with a four-digit year), and y/m/d.
const NUMERIC_DATE =
  /(?<![\d./-])(\d{1,2})(?:([-/.])(\d{1,2})\2(\d{4}|\d{2})|\s(\d{1,2})\s(\d{4}))(?![\d]|[./-]\d)|(?<![\d./-])(\d{4})([-/.])(\d{1,2})\8(\d{1,2})(?![\d]|[./-]\d)/g;
const DAY_MONTH = new RegExp(
  `(?<![\\d.])(\\d{1,2})(${ORDINAL})\\s{0,3}(?:of\\s{1,3})?${DATE_GAP}(${MONTH_WORD})(?:${DATE_GAP}(\\d{4}|'?\\d{2}))?(?!\\d)`,
  'gd',
);
const MONTH_DAY = new RegExp(
  `(?<![a-z])(${MONTH_WORD})${DATE_GAP}(\\d{1,2})(${ORDINAL})(?:,?${DATE_GAP}(\\d{4}|'\\d{2}))?(?![\\d:])`,
  'gd',
);
const MONTH_YEAR = new RegExp(`(?<![a-z])(${MONTH_WORD})${DATE_GAP}(\\d{4})(?!\\d)`, 'gd');
// Letters glued to six or more digits (separators allowed among the digits): another patient's MRN, a policy number.
// A space after the letters would make words ("call 07700…") codes: the digits alone are a DIGIT_RUN then.
const CODE = /(?<![a-z0-9])[a-z]{1,4}[-./#:]{0,2}\d(?:[\s\-./]{0,2}\d){5,}[a-z]?(?![a-z0-9])/g;
const NI_NUMBER = /(?<![a-z0-9])[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d](?![a-z0-9])/g;
// A run of digits with at most two separators between any two: phone, NHS, SSN, account numbers, whole or spaced.
// Greedy and never backtracking past a digit: linear. Six digits or more make it a number worth hiding.
const DIGIT_RUN = /(?<!\d)\+?\(?\d(?:[\s\-.()]{0,2}\d)*/g;
const UK_AREAS =
  'ab|al|b|ba|bb|bd|bh|bl|bn|br|bs|bt|ca|cb|cf|ch|cm|co|cr|ct|cv|cw|da|dd|de|dg|dh|dl|dn|dt|dy|e|ec|eh|en|ex|fk|fy|g|gl|gu|gy|ha|hd|hg|hp|hr|hs|hu|hx|ig|im|ip|iv|je|ka|kt|kw|ky|l|la|ld|le|ll|ln|ls|lu|m|me|mk|ml|n|ne|ng|nn|np|nr|nw|ol|ox|pa|pe|ph|pl|po|pr|rg|rh|rm|s|sa|se|sg|sk|sl|sm|sn|so|sp|sr|ss|st|sw|sy|ta|td|tf|tn|tq|tr|ts|tw|ub|w|wa|wc|wd|wf|wn|wr|ws|wv|yo|ze';
const UK_POSTCODE = new RegExp(`(?<![a-z0-9])(?:${UK_AREAS})\\d[a-z\\d]?\\s{0,2}\\d[abd-hjlnp-uw-z]{2}(?![a-z0-9])`, 'g');
const US_STATES =
  'al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|pr';
const WORDY_STATES = new Set([
  'in',
  'or',
  'me',
  'hi',
  'ok',
  'oh',
  'id',
  'de',
  'la',
  'pa',
  'ma',
  'co',
  'al',
  'mi',
  'mo',
  'ms',
  'ne',
  'nd',
  'sc',
  'wa',
  'va',
  'ct',
  'md',
  'pr',
]);
const ZIP = new RegExp(
  `(?<![a-z0-9])(?:zip(?:\\s?code)?[\\s:#]{0,3}\\d{5}(?:-\\d{4})?|(${US_STATES})\\.?,?\\s{1,2}\\d{5}(?:-\\d{4})?)(?!\\d)|(?<![\\d-])\\d{5}-\\d{4}(?!\\d)`,
  'gd',
);
// Street types; the ambiguous ones ("walk", "close", "way") only after a capitalised name ("Elm Close").
const STREET_TYPES =
  'street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|crescent|cres|terrace|tce|grove|gardens|gdns|square|sq|boulevard|blvd|mews|parade|close|cl|way|court|ct|place|pl|walk|row|hill|park|rise|view|green|vale|wharf|quay|circus|highway|hwy|parkway|pkwy|cottages';
const PLAIN_STREET_TYPES = new Set([
  'street',
  'road',
  'avenue',
  'ave',
  'lane',
  'ln',
  'crescent',
  'cres',
  'terrace',
  'tce',
  'gardens',
  'gdns',
  'boulevard',
  'blvd',
  'mews',
  'parade',
  'highway',
  'hwy',
  'parkway',
  'pkwy',
]);
const NUMBERED_ADDRESS = new RegExp(
  `(?<![a-z0-9])(?:(?:flat|apartment|apt|unit|suite)\\s{0,2}\\d{1,4}[a-z]?,?\\s{1,3})?\\d{1,5}[a-z]?(?:-\\d{1,5})?,?\\s{1,3}((?:[a-z][a-z'-]{0,30}\\s{1,2}){0,3}?)(${STREET_TYPES})(?![a-z])(?:\\s{1,2}(?:n|s|e|w|ne|nw|se|sw)(?![a-z]))?`,
  'gd',
);
const NAMED_STREET = new RegExp(
  `(?<![a-z])((?:[a-z][a-z'-]{1,30}\\s{1,2}){1,3})(street|road|avenue|lane|crescent|terrace|gardens|boulevard|mews|parade)(?![a-z])`,
  'gd',
);
const LIVES_IN =
  /(?<![a-z])(?:lives|living|lived|resides|residing|resident|address|home)\s{1,3}(?:in|at|on|near)\s{1,3}([a-z][a-z'-]{1,30}(?:[\s-]{1,2}[a-z][a-z'-]{1,30}){0,2})/dg;
const AGE_OVER_89 =
  /(?<![\d.])(9\d|1[0-4]\d)\s{0,2}-?\s{0,2}(?:years?|yrs?|y\/o|yo)(?![a-z])|(?<![a-z])(?:aged?|age:)\s{0,3}(9\d|1[0-4]\d)(?![\d.])/dg;
const TITLED =
  /(?<![a-z0-9])(mr|mrs|ms|miss|mx|master|dr|doctor|prof|professor|sister|sr|nurse|matron|rev|reverend|father|sir|dame|lady|lord)\.?\s{1,3}((?:[a-z]\.\s{0,2}){0,3}[a-z][a-z'-]{0,40})(?:\s{1,2}([a-z][a-z'-]{0,40}))?/dg;
const CLINICIAN_TITLES = new Set(['dr', 'doctor', 'prof', 'professor', 'sister', 'sr', 'nurse', 'matron']);
const RELATIVE =
  /(?<![a-z])(?:daughter|son|wife|husband|partner|mother|mum|mom|father|dad|brother|sister|friend|neighbour|neighbor|carer|caregiver|niece|nephew|grandson|granddaughter|grandchild|aunt|uncle|cousin|fianc[eé]e?|girlfriend|boyfriend|next of kin|nok)(?:\s{1,2}(?:called|named))?[\s,:(]{1,3}([a-z][a-z'-]{1,40})/dg;
// Capitalised words that follow a relationship or a town without being a name.
const NOT_A_NAME = new Set(
  'the a an and or but he she they it his her their who which that this was is has had have will would can could should did does visited called rang phoned present aware updated informed said says asked states reports brought came left stayed here there today yesterday tonight at in on for with to from by of as also all not no please mr mrs ms miss dr nok gp'.split(
    ' ',
  ),
);

/** Town, county, state and postcode words that follow an address ("…, London NW1 6XE"), as far as capitals go. */
function addressTail(r: Redaction, end: number): number {
  const tail = /^[\s,]{1,3}(?:([a-z][a-z'-]{1,30})|\ue000+|(\d{5}(?:-\d{4})?))(?![a-z0-9])/;
  for (let words = 0; words < 6; words++) {
    const m = tail.exec(r.text.slice(end, end + 40));
    if (!m) break;
    const word = m[1];
    if (word && (!r.capitalAt(end + m[0].length - word.length) || NOT_A_NAME.has(word))) break;
    end += m[0].length;
  }
  return end;
}

/** Start of the first capitalised word of group `g` that is followed only by capitalised words (a proper name). */
function properNameStart(r: Redaction, m: RegExpExecArray, g: number): number | null {
  const [s] = m.indices![g];
  let first: number | null = null;
  for (const w of m[g].matchAll(/[a-z][a-z'-]*/g)) {
    const at = s + w.index;
    if (r.capitalAt(at) && !NOT_A_NAME.has(w[0])) first ??= at;
    else first = null;
  }
  return first;
}

/** Consecutive capitalised words of group `g` from its start: where a proper name in it ends (or null: none). */
function properNameEnd(r: Redaction, m: RegExpExecArray, g: number): number | null {
  const [s] = m.indices![g];
  let end: number | null = null;
  for (const w of m[g].matchAll(/[a-z][a-z'-]*/g)) {
    if (!r.capitalAt(s + w.index) || NOT_A_NAME.has(w[0])) break;
    end = s + w.index + w[0].length;
  }
  return end;
}

const whole = (m: RegExpExecArray, role: string): Hit => ({ start: m.index, end: m.index + m[0].length, role });
const isMay = (word: string) => word.replace(/\.$/, '') === 'may';
const validDay = (d: string) => Number(d) >= 1 && Number(d) <= 31;

/** Emails, URLs and IP addresses: first, before any pattern can take a piece of one. */
function linkPasses(r: Redaction): void {
  if (r.may('@')) r.replace(EMAIL, '[email]', { words: false });
  if (r.may('http') || r.may('www.')) r.replace(URL, '[url]', { words: false });
  if (r.may('.') && r.may(/\d/)) r.replace(IP, '[ip]');
}

/** A birth date as numbers, to tell the patient's own from other dates. */
interface BirthDate {
  year: string;
  month: number;
  day: number;
}

const monthNumber = (word: string) => MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3))) + 1;
/** A written year ("1950", "50", "'50") is the birth year's. */
const sameYear = (written: string | undefined, dob: BirthDate) => {
  const y = written?.replace("'", '');
  return y === dob.year || y === dob.year.slice(2);
};

/**
 * Anyone's dates with a day and month (any order, separators, month names, ordinals), after the patient's own
 * pattern: a date that is the birth date (day and month, and the year if written) is `[DOB]`, any other `[date]`.
 */
function datePasses(r: Redaction, dob: BirthDate | null): void {
  if (!r.may(/\d/)) return;
  const label = (m: RegExpExecArray, day: number, month: number, year: string | undefined): Hit => {
    const own = dob !== null && day === dob.day && month === dob.month && (year === undefined || sameYear(year, dob));
    return whole(m, own ? '[DOB]' : '[date]');
  };
  r.run(NUMERIC_DATE, (m) => {
    if (m[7]) {
      const [month, day] = [Number(m[9]), Number(m[10])];
      return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? label(m, day, month, m[7]) : null;
    }
    const a = Number(m[1]);
    const b = Number(m[3] ?? m[5]);
    const year = m[4] ?? m[6];
    if (a < 1 || b < 1) return null;
    // Day-first unless only month-first can be a date; the patient's birth date in either order.
    if (dob && sameYear(year, dob) && ((a === dob.day && b === dob.month) || (a === dob.month && b === dob.day))) return whole(m, '[DOB]');
    if (a <= 31 && b <= 12) return label(m, a, b, year);
    if (a <= 12 && b <= 31) return label(m, b, a, year);
    return null;
  });
  // "12 may" is a verb more often than a date: a lower-case "may" needs a year or an ordinal, or to be the birthday.
  const birthday = (day: number, month: number) => dob !== null && day === dob.day && month === dob.month;
  r.run(DAY_MONTH, (m) => {
    const [day, month] = [Number(m[1]), monthNumber(m[3])];
    const verb = isMay(m[3]) && !m[2] && !m[4] && !r.capitalAt(m.indices![3][0]) && !birthday(day, month);
    return validDay(m[1]) && !verb ? label(m, day, month, m[4]) : null;
  });
  r.run(MONTH_DAY, (m) => {
    const [day, month] = [Number(m[2]), monthNumber(m[1])];
    const verb = isMay(m[1]) && !m[3] && !m[4] && !birthday(day, month);
    return validDay(m[2]) && !verb ? label(m, day, month, m[4]) : null;
  });
  r.run(MONTH_YEAR, (m) => {
    if (isMay(m[1]) && !r.capitalAt(m.index)) return null;
    return whole(m, dob && monthNumber(m[1]) === dob.month && m[2] === dob.year ? '[DOB]' : '[date]');
  });
}

/** Numbers, codes, addresses, postcodes, places, titled and related names, great ages: after the patient's own. */
function shapePasses(r: Redaction): void {
  if (r.may(/\d/)) {
    r.replace(CODE, '[id]', { words: false });
    r.replace(NI_NUMBER, '[id]', { words: false });
    r.run(DIGIT_RUN, (m) => ((m[0].match(/\d/g)?.length ?? 0) >= 6 ? whole(m, '[number]') : null));
    r.run(NUMBERED_ADDRESS, (m) => {
      if (!PLAIN_STREET_TYPES.has(m[2]) && properNameStart(r, m, 1) === null) return null;
      return { start: m.index, end: addressTail(r, m.index + m[0].length), role: '[address]' };
    });
    r.replace(UK_POSTCODE, '[postcode]', { words: false });
    // A state written in lower case counts too ("washington, dc 20500"), unless it is also an English word ("in").
    r.run(ZIP, (m) =>
      m[1] && WORDY_STATES.has(m[1]) && !(r.capitalAt(m.indices![1][0]) && r.capitalAt(m.indices![1][0] + 1))
        ? null
        : whole(m, '[postcode]'),
    );
    r.run(AGE_OVER_89, (m) => {
      const [start, end] = m.indices![1] ?? m.indices![2];
      return { start, end, role: '[age 90+]' };
    });
  }
  // What follows needs a capital letter in the original (a street, town or person's name).
  if (r.prefilter && r.original === r.original.toLowerCase()) return;
  r.run(NAMED_STREET, (m) => {
    const start = properNameStart(r, m, 1);
    return start === null ? null : { start, end: addressTail(r, m.index + m[0].length), role: '[address]' };
  });
  r.run(LIVES_IN, (m) => {
    const end = properNameEnd(r, m, 1);
    return end === null ? null : { start: m.indices![1][0], end: addressTail(r, end), role: '[place]' };
  });
  r.run(TITLED, (m) => {
    const [nameStart, nameEnd] = m.indices![2];
    if (!r.capitalAt(nameStart)) return null;
    const second = m.indices![3];
    const end = second && r.capitalAt(second[0]) && !NOT_A_NAME.has(m[3]) ? second[1] : nameEnd;
    return { start: m.index, end, role: CLINICIAN_TITLES.has(m[1]) ? 'a clinician' : 'a person' };
  });
  r.run(RELATIVE, (m) => {
    const [start, end] = m.indices![1];
    return r.capitalAt(start) && !NOT_A_NAME.has(m[1]) ? { start, end, role: '[name]' } : null;
  });
}

// ——— The patient's own identifiers ———
// Found in the compact text (letters and digits only) with indexOf, the separators between their pieces then checked
// in the folded text: nothing is compiled per patient (a regex with a dozen bounded classes costs V8 ~0.4 ms to compile).

/** Separators a code or a date may have between its pieces; a placeholder (an earlier hit) is never one. */
const CODE_GAP = new Set([' ', '\t', '\n', '\r', '-', '.', '/', '_', ':', '#', ',', '\\']);
const DATE_GAP_CHARS = new Set([' ', '\t', '\n', '\r', '-', '/', '.', ',', '_']);
const NAME_GAP = new Set([' ', '\t', '\n', '\r', '-', "'", ',']);
const NAME_INNER_GAP = new Set([' ', '-', "'", '.', '_']);
const isDigitChar = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Spacing {
  /** Separators allowed between two pieces: how many, and which. */
  between: [number, number];
  /** Separators allowed inside a piece (between its characters). */
  inside: [number, number];
  chars: Set<string>;
}

/**
 * Every occurrence of `pieces` (joined, in the compact text) whose separators in the folded text fit `spacing`, as
 * folded ranges, none overlapping an earlier hit. Linear: one indexOf scan, each candidate checked once.
 */
function findSpaced(r: Redaction, pieces: string[], spacing: Spacing): [number, number][] {
  const needle = pieces.join('');
  if (!needle) return [];
  const { text: c, at } = r.compact;
  const t = r.text;
  const boundaries = new Set<number>();
  let len = 0;
  for (const piece of pieces.slice(0, -1)) boundaries.add((len += piece.length));
  const found: [number, number][] = [];
  for (let i = c.indexOf(needle); i >= 0;) {
    let ok = true;
    for (let k = 0; k < needle.length && ok; k++) {
      if (t[at[i + k]] === PLACEHOLDER) ok = false;
      if (k === 0) continue;
      const from = at[i + k - 1] + 1;
      const gap = at[i + k] - from;
      const [min, max] = boundaries.has(k) ? spacing.between : spacing.inside;
      if (gap < min || gap > max) ok = false;
      for (let g = from; g < at[i + k] && ok; g++) if (!spacing.chars.has(t[g])) ok = false;
    }
    if (ok) {
      found.push([at[i], at[i + needle.length - 1] + 1]);
      i = c.indexOf(needle, i + needle.length);
    } else i = c.indexOf(needle, i + 1);
  }
  return found;
}

const CODE_SPACING: Spacing = { between: [0, 2], inside: [0, 0], chars: CODE_GAP };
const digitEdged = (r: Redaction, [s, e]: [number, number]) => !isDigitChar(r.text[s - 1]) && !isDigitChar(r.text[e]);
const alnumOf = (text: string) => fold(text).text.replace(/[^\p{L}\p{N}]/gu, '');

/** The birth date as the generic date patterns leave it: mixed or spaced separators, compact digits, the year alone. */
function birthDatePieces(birthDate: string): { pieces: string[]; spacing: Spacing }[] {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!iso) return [];
  const [, year, mm, dd] = iso;
  const days = [...new Set([dd, String(Number(dd))])];
  const months = [...new Set([mm, String(Number(mm))])];
  const years = [year, year.slice(2)];
  const spaced: Spacing = { between: [1, 3], inside: [0, 0], chars: DATE_GAP_CHARS };
  const glued: Spacing = { between: [0, 0], inside: [0, 0], chars: DATE_GAP_CHARS };
  const forms: { pieces: string[]; spacing: Spacing }[] = [];
  for (const d of days)
    for (const m of months) {
      forms.push({ pieces: [year, m, d], spacing: spaced });
      for (const y of years) forms.push({ pieces: [d, m, y], spacing: spaced }, { pieces: [m, d, y], spacing: spaced });
    }
  forms.push(
    ...[`${year}${mm}${dd}`, `${dd}${mm}${year}`, `${mm}${dd}${year}`, `${dd}${mm}${year.slice(2)}`, `${mm}${dd}${year.slice(2)}`].map(
      (p) => ({ pieces: [p], spacing: glued }),
    ),
  );
  // The year alone still narrows who the patient is; an inpatient note has little other use for it.
  forms.push({ pieces: [year], spacing: glued });
  return forms;
}

const NAME_TITLE_BEFORE = /(?<![a-z0-9])(?:mr|mrs|ms|miss|mx|master|dr|prof|professor|sir|dame|lady|lord)\.?[ \t]{0,3}$/;
const SINGLE_LETTER = /(?<![\p{L}\p{N}])\p{L}(?![\p{L}\p{N}])\.?/gu;

/**
 * The patient's names as runs: name parts (any inner apostrophe, dot, hyphen or space optional) in any order and
 * number, joined by spaces, hyphens, apostrophes or a comma, or by nothing ("AngstromONeil"); initials of the parts
 * beside them ("Z. Angstrom", "Angstrom Z."); a title before. A run must hold a part and stand as whole words.
 */
function nameHits(r: Redaction, parts: string[], initials: Set<string>): Hit[] {
  const spacing: Spacing = { between: [0, 2], inside: [0, 2], chars: NAME_INNER_GAP };
  const pieces: { start: number; end: number; strong: boolean }[] = [];
  for (const part of parts) for (const [start, end] of findSpaced(r, [...part], spacing)) pieces.push({ start, end, strong: true });
  if (pieces.length === 0) return [];
  const t = r.text;
  SINGLE_LETTER.lastIndex = 0;
  for (const m of t.matchAll(SINGLE_LETTER))
    if (initials.has(m[0][0])) pieces.push({ start: m.index, end: m.index + m[0].length, strong: false });
  pieces.sort((a, b) => a.start - b.start || b.end - a.end);
  const runs: { start: number; end: number; strong: boolean; lastWeak: boolean }[] = [];
  for (const p of pieces) {
    const last = runs.at(-1);
    // Joined if the gap is a few name separators (a dot only straight after an initial: "Z. Angstrom").
    const joins =
      last !== undefined &&
      (p.start <= last.end ||
        (p.start - last.end <= 3 && [...t.slice(last.end, p.start)].every((c) => NAME_GAP.has(c) || (c === '.' && last.lastWeak))));
    if (last && joins) {
      last.end = Math.max(last.end, p.end);
      last.strong ||= p.strong;
      last.lastWeak = !p.strong;
    } else runs.push({ start: p.start, end: p.end, strong: p.strong, lastWeak: !p.strong });
  }
  const hits: Hit[] = [];
  for (const run of runs) {
    if (!run.strong) continue;
    const before = Math.max(0, run.start - 16);
    const title = NAME_TITLE_BEFORE.exec(t.slice(before, run.start));
    const start = title ? before + title.index : run.start;
    if (r.edged(start, run.end)) hits.push({ start, end: run.end, role: 'the patient' });
  }
  return hits;
}

/** The patient's own identifiers, prepared once per patient: birth date, MRN, bed label, names. */
interface Own {
  birthDate: { year: string; month: number; day: number } | null;
  dob: { pieces: string[]; spacing: Spacing }[];
  mrn: string;
  mrnDigits: string;
  bed: string;
  nameParts: string[];
  initials: Set<string>;
}

function ownIdentifiers(identifiers: PatientIdentifiers): Own {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(identifiers.birthDate);
  const mrn = alnumOf(identifiers.mrn);
  const mrnDigits = mrn.replace(/^\p{L}+/u, '');
  const nameParts = [
    ...new Set(
      `${identifiers.givenName} ${identifiers.familyName}`
        .split(/[\s-]+/)
        .map(alnumOf)
        .filter((p) => p.length >= 2),
    ),
  ];
  return {
    birthDate: iso ? { year: iso[1], month: Number(iso[2]), day: Number(iso[3]) } : null,
    dob: birthDatePieces(identifiers.birthDate),
    mrn,
    mrnDigits: mrnDigits.length >= 5 && mrnDigits !== mrn ? mrnDigits : '',
    bed: alnumOf(identifiers.bed),
    nameParts,
    initials: new Set(nameParts.map((p) => p[0]).filter((c) => /\p{L}/u.test(c))),
  };
}

/** The birth date in the spellings the generic date patterns leave, as [DOB]; longest forms first. */
function ownDatePass(r: Redaction, own: Own): void {
  for (const form of own.dob) {
    r.mark(
      findSpaced(r, form.pieces, form.spacing)
        .filter((range) => digitEdged(r, range))
        .map(([start, end]) => ({ start, end, role: '[DOB]' })),
    );
  }
}

const BED_BEFORE = /(?<![a-z0-9])bed[ \t]{0,3}(?:(?:no\.?|number)[ \t]{0,3})?$/;

/** MRN (any separators; its digits alone too), bed label (a numeric one only after "bed"), then the names. */
function ownPasses(r: Redaction, own: Own): void {
  const codes = (pieces: string, role: string, keep: (range: [number, number]) => boolean) =>
    r.mark(
      findSpaced(r, [...pieces], CODE_SPACING)
        .filter(keep)
        .map(([start, end]) => ({ start, end, role })),
    );
  if (own.mrn) codes(own.mrn, '[MRN]', ([s, e]) => r.edged(s, e));
  if (own.mrnDigits) codes(own.mrnDigits, '[MRN]', (range) => digitEdged(r, range));
  if (own.bed) {
    const hits: Hit[] = [];
    for (const [s, e] of findSpaced(r, [...own.bed], CODE_SPACING)) {
      if (!r.edged(s, e)) continue;
      const before = Math.max(0, s - 16);
      const label = BED_BEFORE.exec(r.text.slice(before, s));
      // A bare number is no identifier ("RR 12"): a numeric label only after "bed".
      if (label) hits.push({ start: before + label.index, end: e, role: '[bed]' });
      else if (/\p{L}/u.test(own.bed)) hits.push({ start: s, end: e, role: '[bed]' });
    }
    r.mark(hits);
  }
  if (own.nameParts.length) r.mark(nameHits(r, own.nameParts, own.initials));
}

/**
 * The patient's redactor for any string bound for a prompt: links first, then anyone's dates (the patient's birth
 * date as [DOB]), the birth date's other spellings, the patient's MRN, bed label and names, then every other shape
 * of identifier (codes and long numbers, addresses, postcodes/ZIPs, places, titled and related names, ages over 89).
 * `prefilter: false` skips the cheap "could this pass match at all" checks: the reference the prefiltered redactor is
 * tested against.
 */
export function noteRedactor(identifiers: PatientIdentifiers, { prefilter = true } = {}): (text: string) => string {
  const own = ownIdentifiers(identifiers);
  // A prompt repeats short strings (drug names and classes, bands, flags): each is redacted once per redactor, and
  // what the redactor wrote is not redacted again (a note excerpt passes through the prompt's every-string pass).
  const memo = new Map<string, string>();
  const remember = (text: string, redacted: string) => {
    if (memo.size >= 512) memo.clear();
    if (text.length <= 512) memo.set(text, redacted);
    if (redacted.length <= 512) memo.set(redacted, redacted);
    return redacted;
  };
  return (text) => {
    if (text.length === 0) return text;
    const known = prefilter ? memo.get(text) : undefined;
    if (known !== undefined) return known;
    const cut = text.length > MAX_REDACTED_CHARS;
    const head = cut ? text.slice(0, MAX_REDACTED_CHARS) : text;
    const r = new Redaction(head, fold(head), prefilter);
    linkPasses(r);
    datePasses(r, own.birthDate);
    ownDatePass(r, own);
    ownPasses(r, own);
    shapePasses(r);
    const redacted = r.assemble(cut ? MAX_REDACTED_CHARS - CUT_MARGIN : head.length);
    return remember(text, cut ? `${redacted} …` : redacted);
  };
}

export function redactNote(text: string, identifiers: PatientIdentifiers): string {
  return noteRedactor(identifiers)(text);
}

/** Whitespace collapsed and cut at a word boundary to at most `maxChars` characters. */
export function excerpt(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
