// Checks that every number a summary states is a fact, within the rounding the text shows.
import { z } from 'zod';
import { isIdentifierOrTimestampKey, type Facts } from './facts';
import type { Sentence } from './model-output';

export const GroundingCheckSchema = z.object({
  ok: z.boolean(),
  /** The claims no fact supports, as written ("NEWS2 of 0", "14:00", "37.5"). */
  unsupported: z.array(z.string()),
});
export type GroundingCheck = z.infer<typeof GroundingCheckSchema>;

interface FactValue {
  path: string;
  value: number;
}

/**
 * Visits every number under `node` with its dot path ("adherence.meds.0.missed"); digits inside text facts count
 * too ("4–6-hourly"). With `path` null no paths are built (a sentence that declares nothing needs only the numbers).
 */
function walkValues(node: unknown, path: string | null, visit: (value: number, path: string | null) => void): void {
  const child = (key: string | number) => (path === null ? null : path ? `${path}.${key}` : String(key));
  if (typeof node === 'number') visit(node, path);
  else if (typeof node === 'string') {
    for (const match of node.matchAll(/\d+(?:\.\d+)?/g)) visit(Number(match[0]), path);
  } else if (Array.isArray(node)) node.forEach((item, i) => walkValues(item, child(i), visit));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) if (!isIdentifierOrTimestampKey(key)) walkValues(value, child(key), visit);
  }
}

/** The values at and under one declared path: what filtering the whole walk by that path would keep, found directly. */
function valuesUnder(facts: Facts, declared: string): FactValue[] {
  let node: unknown = facts;
  for (const key of declared.split('.')) {
    if (isIdentifierOrTimestampKey(key) || node === null || typeof node !== 'object') return [];
    if (Array.isArray(node) ? !/^(?:0|[1-9]\d*)$/.test(key) : !Object.prototype.hasOwnProperty.call(node, key)) return [];
    node = (node as Record<string, unknown>)[key];
  }
  const values: FactValue[] = [];
  walkValues(node, declared, (value, path) => values.push({ path: path!, value }));
  return values;
}

const news2TotalPath = /^news2\.(?:latest|max|scores\.\d+)\.total$|^news2\.trend\.(?:recent|previous)Mean$/;

/** What a sentence's numbers are checked against: every number in its scope, and the NEWS2 totals among them. */
interface Scope {
  values: number[];
  news2Totals: number[];
}

function scopeOf(values: FactValue[]): Scope {
  return { values: values.map(({ value }) => value), news2Totals: values.filter(({ path }) => news2TotalPath.test(path)).map(({ value }) => value) };
}

/** Every number in the facts, without paths (a sentence that declares nothing is checked against them all). */
function allNumbers(facts: Facts): number[] {
  const values: number[] = [];
  walkValues(facts, null, (value) => values.push(value));
  return values;
}

/** The values news2TotalPath names, read directly: the latest, highest and each set's total, and the trend means. */
function news2Totals(facts: Facts): number[] {
  const { latest, max, scores, trend } = facts.news2;
  return [latest?.total, max?.total, ...scores.map((score) => score.total), trend.recentMean, trend.previousMean].filter(
    (value): value is number => typeof value === 'number',
  );
}

const numberWords = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];

// Words that may stand between "NEWS2" and its value ("NEWS2 score is 7", "NEWS2 (partial) of 3"). Any other
// word ends the label, so "NEWS2 respiratory-rate sub-score 3" is an ordinary number, not a NEWS2 claim.
const news2Filler =
  'score|total|aggregate|is|was|of|at|now|currently|has|had|been|peaked|partial|stable|around|reached|rose|risen|fell|fallen|to|from|remains|remained|only|a|an';

/**
 * One pass over the text, alternatives in priority order:
 * clock times and dates (never facts: the prompt asks for hours ago), a NEWS2 label and its value,
 * "scale N", number words, plain numbers. A digit glued to a preceding letter is part of a name
 * (NEWS2, SpO2, O2), not a claim.
 */
const claimPattern = new RegExp(
  [
    '(?<never>\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\b|\\b\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{1,4}\\b)',
    `(?<news2>(?<![A-Za-z])NEWS2(?:[\\s:=(),]|(?:${news2Filler})\\b)*(?<news2Value>\\d+(?:\\.\\d+)?))`,
    '(?<scale>\\bscale\\s+(?<scaleValue>\\d+))',
    `(?<word>\\b(?:${numberWords.join('|')})\\b)`,
    '(?<number>(?<![A-Za-z\\d])\\d+(?:\\.\\d+)?)',
  ].join('|'),
  'gi',
);

type Claim = { text: string; value: number; decimals: number; kind: 'never' | 'news2' | 'scale' | 'number' };

function claims(text: string): Claim[] {
  const normalised = text.replace(/\bNEWS[\s-]2\b/gi, 'NEWS2');
  return [...normalised.matchAll(claimPattern)].map((match): Claim => {
    const groups = match.groups ?? {};
    const numeric = groups.news2Value ?? groups.scaleValue ?? groups.number;
    const kind = groups.never ? 'never' : groups.news2 ? 'news2' : groups.scale ? 'scale' : 'number';
    if (groups.word) return { text: match[0], value: numberWords.indexOf(match[0].toLowerCase()), decimals: 0, kind };
    return { text: match[0], value: Number(numeric), decimals: numeric?.split('.')[1]?.length ?? 0, kind };
  });
}

/** "37.8" stands for anything that rounds to it (37.75 to 37.85); "38" for 37.5 to 38.5. */
const withinRounding = (claim: Claim, fact: number) => Math.abs(fact - claim.value) <= 0.5 * 10 ** -claim.decimals + 1e-9;

const normalisePath = (key: string) => key.trim().replace(/^facts\./, '').replace(/\[(\d+)\]/g, '.$1');

/**
 * Grounds each sentence's numbers against the facts that sentence declares (a declared path covers its
 * children), or against all facts when it declares none. Grounding by value alone is weak: "NEWS2 0"
 * would pass whenever any fact is 0 (no refused doses, a sub-score). Declared scope narrows that, and a
 * number labelled NEWS2 must be a NEWS2 total (latest, max, a set's total, a trend mean), never another 0.
 * "scale N" must be the patient's NEWS2 SpO2 scale.
 */
export function groundSentences(sentences: Sentence[], facts: Facts): GroundingCheck {
  let all: Scope | undefined; // every fact, only for a sentence that declares nothing
  const unsupported = sentences.flatMap((sentence) => {
    const declared = [...new Set(sentence.facts.map(normalisePath).filter(Boolean))];
    const inScope = declared.length
      ? scopeOf(declared.flatMap((key) => valuesUnder(facts, key)))
      : (all ??= { values: allNumbers(facts), news2Totals: news2Totals(facts) });
    const supported = (claim: Claim): boolean => {
      switch (claim.kind) {
        case 'never':
          return false;
        case 'scale':
          return claim.value === facts.news2.scale;
        case 'news2':
          return inScope.news2Totals.some((value) => withinRounding(claim, value));
        case 'number':
          return inScope.values.some((value) => withinRounding(claim, value));
      }
    };
    return claims(sentence.text)
      .filter((claim) => !supported(claim))
      .map((claim) => claim.text);
  });
  return { ok: unsupported.length === 0, unsupported: [...new Set(unsupported)] };
}
