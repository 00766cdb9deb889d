// Identifiers as people and attackers write them, and an independent check of whether any reached a prompt.
// Shared by the wire-level property test (test/http/redaction-wire.int.test.ts) and `npm run bench:redaction`.
// The check folds text on its own (not through src/clinical/redact.ts), so it cannot share redaction's blind spots.

export interface Identity {
  givenName: string;
  familyName: string;
  mrn: string;
  /** YYYY-MM-DD */
  birthDate: string;
  bed: string;
}

/** One way of writing one identifier, and what must not be found in the prompt if it was redacted. */
export interface Variant {
  category: 'name' | 'mrn' | 'dob' | 'address' | 'phone' | 'email' | 'number' | 'url' | 'field';
  /** How it was written (for the report). */
  form: string;
  text: string;
  /** Folded secrets (see `fold`): letters compared as letters, digit strings compared with any separators. */
  secrets: string[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// Look-alikes an attacker swaps in (Cyrillic and Greek), and invisible characters.
const CYRILLIC: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  y: 'у',
  i: 'і',
  A: 'А',
  E: 'Е',
  O: 'О',
  P: 'Р',
  C: 'С',
  M: 'М',
  H: 'Н',
  T: 'Т',
  K: 'К',
  B: 'В',
  X: 'Х',
};
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];

/** A decimal digit of any script (Arabic-Indic, Devanagari...) as its ASCII digit: scripts keep their ten in a row. */
function asciiDigit(c: string): string {
  if (!/^\p{Nd}$/u.test(c)) return c;
  let zero = c.codePointAt(0)!;
  while (/^\p{Nd}$/u.test(String.fromCodePoint(zero - 1)) && c.codePointAt(0)! - zero < 9) zero--;
  return String((c.codePointAt(0)! - zero) % 10);
}

/** Lower case, compatibility forms, marks stripped, invisible characters removed, look-alikes mapped back. */
export function fold(text: string): string {
  const back = new Map(Object.entries(CYRILLIC).map(([latin, lookAlike]) => [lookAlike, latin.toLowerCase()]));
  for (const [greek, latin] of Object.entries({ ο: 'o', α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', τ: 't', υ: 'u', χ: 'x' }))
    back.set(greek, latin);
  return [
    ...text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]/g, ''),
  ]
    .map((c) => back.get(c) ?? back.get(c.toLowerCase()) ?? asciiDigit(c))
    .join('')
    .toLowerCase()
    .normalize('NFKC');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The secrets of `v` found in `prompt` (empty: redacted). Letters may be split by non-letters; digits by separators. */
export function leaked(prompt: string, v: Variant): string[] {
  const folded = fold(prompt);
  return v.secrets.filter((secret) => {
    const between = /^\d+$/.test(secret) ? '[^a-z0-9]{0,3}' : "[\\s'’\\-.]{0,2}";
    // Digits must stand alone; a short name part too ("zoe", not the "zoe" inside another word).
    const edge = /^\d+$/.test(secret) ? ['(?<!\\d)', '(?!\\d)'] : secret.length <= 4 ? ['(?<![a-z])', '(?![a-z])'] : ['', ''];
    return new RegExp(`${edge[0]}${[...secret].map(escape).join(between)}${edge[1]}`).test(folded);
  });
}

const alnum = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');
const toFullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const lookAlikes = (s: string) => [...s].map((c) => CYRILLIC[c] ?? c).join('');
const zeroWidth = (s: string, which = 0) => [...s].join(ZERO_WIDTH[which % ZERO_WIDTH.length]);
const stripMarks = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '');

/** Name secrets: each part of three letters or more, folded, apostrophes and hyphens out. */
function nameSecrets(id: Identity): string[] {
  return `${id.givenName} ${id.familyName}`
    .split(/[\s-]+/)
    .map((part) => fold(part).replace(/['’.]/g, ''))
    .filter((part) => part.length >= 3);
}

export function nameVariants(id: Identity): Variant[] {
  const g = id.givenName;
  const f = id.familyName;
  const secrets = nameSecrets(id);
  const forms: [string, string][] = [
    ['as written', `${g} ${f}`],
    ['family, given', `${f}, ${g}`],
    ['upper case', `${g} ${f}`.toUpperCase()],
    ['lower case', `${g} ${f}`.toLowerCase()],
    ['diacritics folded', stripMarks(`${g} ${f}`)],
    ['diacritics folded, apostrophes dropped', stripMarks(`${g} ${f}`).replace(/['’]/g, '')],
    ['diacritics folded, hyphens as spaces', stripMarks(`${g} ${f}`).replace(/-/g, ' ')],
    ['hyphens and spaces dropped', stripMarks(f).replace(/[\s'’-]/g, '')],
    ['decomposed (NFD)', `${g} ${f}`.normalize('NFD')],
    ['curly apostrophe', `${g} ${f}`.replace(/'/g, '’')],
    ['title and initial', `Mrs ${g[0]}. ${f}`],
    ['initial, no dot', `${g[0]} ${f}`],
    ['family then initial', `${f} ${g[0]}.`],
    ['title, full name', `Miss ${g} ${f}`],
    ['zero-width inside', `${zeroWidth(g, 0)} ${zeroWidth(f, 1)}`],
    ['soft hyphens inside', `${zeroWidth(g, 5)} ${zeroWidth(f, 5)}`],
    ['Cyrillic look-alikes', `${lookAlikes(g)} ${lookAlikes(f)}`],
    ['full-width letters', `${toFullWidth(g)} ${toFullWidth(f)}`],
    ['no-break space', `${g}\u00a0${f}`],
    ['given name alone', g],
    ['family name alone', f],
  ];
  return forms.map(([form, text]) => ({ category: 'name', form, text, secrets }));
}

export function mrnVariants(id: Identity): Variant[] {
  const code = alnum(id.mrn);
  const letters = code.match(/^\p{L}*/u)![0];
  const digits = code.slice(letters.length);
  const groups = digits.match(/.{1,3}/g) ?? [digits];
  const secrets = [digits.length >= 4 ? digits : code.toLowerCase()];
  const forms: [string, string][] = [
    ['as written', id.mrn],
    ['lower case', id.mrn.toLowerCase()],
    ['dots', [letters, ...groups].filter(Boolean).join('.')],
    ['slashes', [letters, ...groups].filter(Boolean).join('/')],
    ['hyphen and space', `${letters}-${groups.join(' ')}`],
    ['spaced out', [...code].join(' ')],
    ['full-width digits', `${letters}${toFullWidth(digits)}`],
    ['full-width all', toFullWidth(code)],
    ['zero-width inside', zeroWidth(code, 2)],
    ['digits alone', digits],
    ['Arabic-Indic digits', `${letters}${[...digits].map((d) => String.fromCharCode(0x0660 + Number(d))).join('')}`],
  ];
  return forms.map(([form, text]) => ({ category: 'mrn', form, text, secrets }));
}

export function dobVariants(id: Identity): Variant[] {
  const [y, m, d] = id.birthDate.split('-');
  const dn = Number(d);
  const mn = Number(m);
  const month = MONTHS[mn - 1];
  const yy = y.slice(2);
  const ordinal = dn % 10 === 1 && dn !== 11 ? 'st' : dn % 10 === 2 && dn !== 12 ? 'nd' : dn % 10 === 3 && dn !== 13 ? 'rd' : 'th';
  // The day and month together identify; the year alone does not (Safe Harbor keeps years), but the DOB's year is
  // checked whenever the form carries it next to the day and month.
  const dayMonth = (form: string) => ({ secrets: [`${dn}|${mn}`], form });
  const forms: [string, string][] = [
    ['ISO', `${y}-${m}-${d}`],
    ['day/month/year', `${d}/${m}/${y}`],
    ['d/m/yy', `${dn}/${mn}/${yy}`],
    ['mm/dd/yy (US)', `${m}/${d}/${yy}`],
    ['dots', `${d}.${m}.${y}`],
    ['spaces', `${d} ${m} ${y}`],
    ['d-Mon-yy', `${dn}-${month.slice(0, 3)}-${yy}`],
    ['d Mon yyyy', `${dn} ${month.slice(0, 3)} ${y}`],
    ['ordinal, month name', `${dn}${ordinal} ${month} ${y}`],
    ['ordinal of month', `${dn}${ordinal} of ${month}, ${y}`],
    ['month day, year', `${month} ${dn}, ${y}`],
    ['Mon. day year', `${month.slice(0, 3)}. ${dn} ${y}`],
    ['upper case month', `${dn} ${month.toUpperCase()} ${y}`],
    ['compact', `${y}${m}${d}`],
    ['full-width digits', toFullWidth(`${d}/${m}/${y}`)],
    ['day and month only', `${dn}${ordinal} ${month}`],
    ['apostrophe year', `${month.slice(0, 3)} ${dn} '${yy}`],
  ];
  return forms.map(([form, text]) => ({ category: 'dob', ...dayMonth(form), text }));
}

/**
 * Whether a date secret "d|m" survived: the day and month numbers, or the day with the month's name, still next to
 * each other in the prompt. Checked by `leakedDate` rather than by substring.
 */
export function leakedDate(prompt: string, v: Variant): string[] {
  const folded = fold(prompt);
  return v.secrets.filter((secret) => {
    const [d, m] = secret.split('|').map(Number);
    const name = MONTHS[m - 1].toLowerCase();
    const dd = `0?${d}`;
    const mm = `0?${m}`;
    const mon = `(?:${name}|${name.slice(0, 3)})`;
    const patterns = [
      `(?<!\\d)${dd}(?:st|nd|rd|th)?[\\s\\-/.,]*(?:of\\s*)?${mon}`,
      `${mon}\\.?[\\s\\-/.,]*${dd}(?!\\d)`,
      `(?<!\\d)${dd}[\\s\\-/.]${mm}[\\s\\-/.]\\d{2,4}(?!\\d)`,
      `(?<!\\d)${mm}[\\s\\-/.]${dd}[\\s\\-/.]\\d{2,4}(?!\\d)`,
      `(?<!\\d)\\d{4}[\\s\\-/.]${mm}[\\s\\-/.]${dd}(?!\\d)`,
      `(?<!\\d)\\d{4}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}(?!\\d)`,
    ];
    return patterns.some((p) => new RegExp(p).test(folded));
  });
}

/** Identifiers that are not the patient's record fields: found by their shape alone. */
export const shapeVariants: Variant[] = [
  { category: 'address', form: 'UK street, town and postcode', text: '221B Baker Street, London NW1 6XE', secrets: ['baker', 'nw16xe'] },
  { category: 'address', form: 'UK postcode alone', text: 'postcode SW1A 1AA', secrets: ['sw1a1aa'] },
  { category: 'address', form: 'postcode, no space', text: 'lives at M13 9PL', secrets: ['m139pl'] },
  { category: 'address', form: 'flat and road', text: 'Flat 2, 14 Elm Road', secrets: ['14 elm'] },
  { category: 'address', form: 'lower-case road', text: 'lives at 7 acacia avenue', secrets: ['acacia'] },
  {
    category: 'address',
    form: 'US street, city, state and ZIP',
    text: '1600 Pennsylvania Ave NW, Washington, DC 20500',
    secrets: ['pennsylvania', '20500'],
  },
  { category: 'address', form: 'ZIP+4', text: 'zip 90210-1234', secrets: ['90210'] },
  { category: 'phone', form: 'UK mobile, spaced', text: 'call 07700 900123', secrets: ['07700900123', '900123', '07700'] },
  { category: 'phone', form: 'UK mobile, international', text: 'tel +44 7700 900123', secrets: ['7700900123', '900123', '7700'] },
  { category: 'phone', form: 'UK landline, hyphens', text: 'phone 0161-496-0000', secrets: ['01614960000', '4960000', '0161'] },
  { category: 'phone', form: 'UK landline, brackets', text: '(0161) 496 0000', secrets: ['01614960000', '4960000', '0161'] },
  { category: 'phone', form: 'US, brackets', text: '(555) 123-4567', secrets: ['5551234567', '1234567', '555'] },
  { category: 'phone', form: 'US, dots', text: '555.123.4567', secrets: ['5551234567', '1234567', '555'] },
  { category: 'phone', form: 'full-width digits', text: toFullWidth('07700 900123'), secrets: ['07700900123', '900123', '07700'] },
  { category: 'email', form: 'email', text: 'email jo.bloggs+ward@example.co.uk', secrets: ['bloggs', 'example'] },
  { category: 'email', form: 'email, upper case', text: 'JO.BLOGGS@EXAMPLE.ORG', secrets: ['bloggs', 'example'] },
  { category: 'number', form: 'NHS number 3-3-4', text: 'NHS no 943 476 5919', secrets: ['9434765919'] },
  { category: 'number', form: 'NHS number, hyphens', text: 'NHS 943-476-5919', secrets: ['9434765919'] },
  { category: 'number', form: 'NHS number, contiguous', text: '9434765919', secrets: ['9434765919'] },
  { category: 'number', form: 'SSN', text: 'SSN 123-45-6789', secrets: ['123456789'] },
  { category: 'number', form: 'SSN, spaces', text: 'social security 123 45 6789', secrets: ['123456789'] },
  { category: 'number', form: 'NI number', text: 'NI QQ 12 34 56 C', secrets: ['qq123456c'] },
  { category: 'url', form: 'URL', text: 'see https://patients.example.org/p/4471', secrets: ['patients.example'] },
  { category: 'url', form: 'IP address', text: 'from 192.168.10.24', secrets: ['1921681024'] },
];

/** Free-text record fields that travel inside the facts: a note category and a medication name. */
export function fieldVariants(id: Identity): { category: string; drug: string; drugClass: string; variants: Variant[] } {
  const [y, m, d] = id.birthDate.split('-');
  const category = `Letter to ${id.givenName} ${id.familyName} GP`;
  const drug = `Warfarin for ${id.familyName} DOB ${d}/${m}/${y}`;
  const drugClass = `anticoagulant (MRN ${id.mrn})`;
  return {
    category,
    drug,
    drugClass,
    variants: [
      { category: 'field', form: 'note category with a name', text: category, secrets: nameSecrets(id) },
      {
        category: 'field',
        form: 'medication name with a name and DOB',
        text: drug,
        secrets: [...nameSecrets(id), `${Number(d)}|${Number(m)}`],
      },
      { category: 'field', form: 'drug class with an MRN', text: drugClass, secrets: [alnum(id.mrn).replace(/^\p{L}+/u, '')] },
    ],
  };
}

/** Every variant of one identity, written into notes. */
export function allVariants(id: Identity): Variant[] {
  return [...nameVariants(id), ...mrnVariants(id), ...dobVariants(id), ...shapeVariants];
}

/** Leaks of `v` in `prompt`, whatever its kind. */
export function leaks(prompt: string, v: Variant): string[] {
  const dates = v.secrets.filter((s) => s.includes('|'));
  const others = v.secrets.filter((s) => !s.includes('|'));
  return [...leaked(prompt, { ...v, secrets: others }), ...leakedDate(prompt, { ...v, secrets: dates })];
}

/** Identities with the features that defeat naive matching: diacritics, apostrophes, hyphens, short parts. */
export const identities: Identity[] = [
  { givenName: 'Zoë', familyName: "Ångström-O'Neil", mrn: 'RX448812', birthDate: '1950-03-04', bed: 'B12' },
  { givenName: 'Marjorie', familyName: 'Featherstonehaugh', mrn: 'RX448813', birthDate: '1938-11-23', bed: 'C3' },
  { givenName: 'Siobhán', familyName: 'Mac Giolla Phádraig', mrn: 'MRN0077341', birthDate: '1961-07-01', bed: 'Side room 2' },
  { givenName: 'José', familyName: 'Núñez-Ibáñez', mrn: 'K-775521', birthDate: '1979-12-31', bed: 'A7' },
];
