// Reads one sentence into claims: each number bound to what it is a value of, and each clinical word to what it says.
import type { MedicationAdherence } from '../adherence';
import {
  abbreviations,
  adverbCounts,
  drugStems,
  knownDrugs,
  type Approx,
  type CountKind,
  type Direction,
  type Param,
  type SetRef,
  type Tag,
} from './lexicon';
import { buildTrie, normalise, tagTokens, tokenize, type Token, type TrieNode } from './tokens';
import type { Claim, ClaimBody, MedTarget, ScoredParam, SetSpec, TimeValue, VitalParam } from './types';

/** One unit of a sentence: a phrase with its tags, a number, a punctuation mark or an untagged word. */
interface Item {
  kind: 'tag' | 'num' | 'punct' | 'word';
  /** Token range. */
  from: number;
  to: number;
  tags: Tag[];
  value: number;
  decimals: number;
  /** Written in digits; number words ("two") are numbers only where a claim needs one. */
  digits: boolean;
  norm: string;
  /** Clause index: commas, semicolons, brackets, dashes and "but" separate clauses. */
  seg: number;
  index: number;
  used: boolean;
  /** paramOf(item), computed once (undefined until then). */
  param?: Param | 'unknown' | null;
}

/** How far (in items) a word or number looks for what it binds to within its clause: clauses are short. */
const WINDOW = 12;

export interface ReadContext {
  /** The patient's medicines by name and class (medicineTrie). */
  medTrie: TrieNode | null;
  /** Medicines the sentence cites by path (adherence.meds.N): the referent of a count that names none. */
  hintedMeds: number[];
  /** Medicines of a critical class, for "critical medicines". */
  criticalMeds: number[];
}

const classWords: Record<string, string[]> = {
  anticoagulant: ['anticoagulant', 'anticoagulants', 'anticoagulation', 'blood thinner', 'blood thinners', 'blood thinning'],
  insulin: ['insulin', 'insulins', 'diabetes medication', 'diabetic medication'],
  antiepileptic: [
    'antiepileptic',
    'antiepileptics',
    'anti epileptic',
    'anti epileptics',
    'anticonvulsant',
    'anticonvulsants',
    'seizure medication',
    'seizure medicine',
    'epilepsy medication',
  ],
  analgesic: ['analgesic', 'analgesia', 'painkiller', 'painkillers', 'pain relief', 'pain medication'],
  antibiotic: ['antibiotic', 'antibiotics'],
};

/** Tries by medicine list: a ward's patients share a handful of lists, and a summary is grounded more than once. */
const trieCache = new Map<string, TrieNode>();
const TRIE_CACHE_SIZE = 256;

/** The patient's medicines as phrases: full names, their distinctive words (4+ letters), and their classes. */
export function medicineTrie(meds: Pick<MedicationAdherence, 'drug' | 'drugClass'>[]): TrieNode {
  const key = JSON.stringify(meds.map((m) => [m.drug, m.drugClass]));
  const cached = trieCache.get(key);
  if (cached) return cached;
  const trie = buildMedicineTrie(meds);
  if (trieCache.size >= TRIE_CACHE_SIZE) trieCache.delete(trieCache.keys().next().value!);
  trieCache.set(key, trie);
  return trie;
}

function buildMedicineTrie(meds: Pick<MedicationAdherence, 'drug' | 'drugClass'>[]): TrieNode {
  const entries = new Map<string, Set<number>>();
  const add = (phrase: string, i: number) => {
    const key = normalise(phrase).toLowerCase().trim();
    if (key) (entries.get(key) ?? entries.set(key, new Set()).get(key)!).add(i);
  };
  meds.forEach((med, i) => {
    add(med.drug, i);
    for (const word of normalise(med.drug)
      .toLowerCase()
      .split(/[^\p{L}]+/u))
      if (word.length >= 4) add(word, i);
    add(med.drugClass, i);
    for (const word of classWords[med.drugClass.toLowerCase()] ?? []) add(word, i);
  });
  return buildTrie([...entries].map(([phrase, indices]) => [phrase, { t: 'med', meds: [...indices] }]));
}

const boundaryPunct = new Set([',', ';', ':', '(', ')', '[', ']', '!', '?', '—', '|', '•']);
const boundaryWords = new Set(['but', 'whereas', 'although', 'while', 'though']);

const has = (item: Item | undefined, t: Tag['t']) => item !== undefined && item.tags.some((tag) => tag.t === t);
const tagOf = <T extends Tag['t']>(item: Item | undefined, t: T) => item?.tags.find((tag): tag is Extract<Tag, { t: T }> => tag.t === t);

const vitalOf: Partial<Record<Param, VitalParam>> = {
  respiratoryRate: 'respiratoryRate',
  spo2: 'spo2',
  bp: 'systolicBp',
  systolicBp: 'systolicBp',
  diastolicBp: 'diastolicBp',
  heartRate: 'heartRate',
  temperature: 'temperature',
};
const scoredOf: Record<Param, ScoredParam | null> = {
  news2: null,
  respiratoryRate: 'respiratoryRate',
  spo2: 'spo2',
  bp: 'systolicBp',
  systolicBp: 'systolicBp',
  diastolicBp: null,
  heartRate: 'pulse',
  temperature: 'temperature',
  consciousness: 'consciousness',
  oxygen: 'airOrOxygen',
};
/** Where the parameter a "single 3" names after it can no longer be (the next parameter's clause). */
const SINGLE_STOPS = new Set([',', ';', '.', 'plus', 'and', 'with', 'also']);
/** Parameters no reading of which is 0–3 (src/clinical/limits.ts's plausible ranges start well above). */
const NEVER_UNDER_4 = new Set<Param>(['spo2', 'bp', 'systolicBp', 'heartRate', 'temperature']);
const qualitativeParam: Record<string, Param> = {
  tachycardic: 'heartRate',
  bradycardic: 'heartRate',
  tachypnoeic: 'respiratoryRate',
  febrile: 'temperature',
  afebrile: 'temperature',
  hypothermic: 'temperature',
  hypoxic: 'spo2',
  wellSaturated: 'spo2',
  hypotensive: 'bp',
  hypertensive: 'bp',
};

/** The parameter an item names: a parameter word, a state word of one ("tachycardic"), air/oxygen, a consciousness word. */
function paramOf(item: Item | undefined): Param | 'unknown' | null {
  if (!item) return null;
  return item.param !== undefined ? item.param : (item.param = computeParam(item));
}

function computeParam(item: Item): Param | 'unknown' | null {
  if (item.tags.length === 0) return null;
  const param = tagOf(item, 'param');
  if (param) return param.param;
  if (has(item, 'unknownParam')) return 'unknown';
  const qualitative = tagOf(item, 'qualitative');
  if (qualitative) return qualitativeParam[qualitative.word];
  if (has(item, 'oxygenState')) return 'oxygen';
  if (has(item, 'consciousness')) return 'consciousness';
  return null;
}
const vitalParamOf = (item: Item | undefined): VitalParam | null => {
  const param = paramOf(item);
  return param && param !== 'unknown' ? (vitalOf[param] ?? null) : null;
};

/** A sentence being read. Every scan is over the sentence's items, each bounded by its clause: linear overall. */
class SentenceReader {
  readonly text: string;
  readonly tokens: Token[];
  readonly items: Item[];
  claims: Claim[] = [];
  /** Where each claim's text lies, as items. */
  private readonly spans = new Map<Claim, { from: number; to: number }>();
  /** The claim made from the number at an item index (values and NEWS2 totals), for times and comparisons. */
  private readonly valueAt = new Map<number, ValueClaim>();
  private lastValue: { item: number; claim: ValueClaim } | null = null;
  /** The last number read as a time (lists of times: "15 and 27 hours ago"). */
  private lastTimeItem = -1;
  /** Per item (after numbers are read): the nearest NEWS2 total claimed before it. */
  private readonly news2Before: ({ item: number; claim: ValueClaim } | null)[] = [];
  private readonly segNews2: boolean[] = [];
  private readonly saysRecorded: boolean;
  /** Per item: a "latest" qualifier was written before it (the default is implicit). */
  private readonly explicitLatest: boolean[] = [];
  /** The set each item refers to: qualifiers ("latest", "peak", "previously", "mean") carry forward. */
  private readonly setAt: SetRef[] = [];
  private readonly segStart: number[] = [];
  private readonly segEnd: number[] = [];
  /** Per clause: the tag kinds in it, whether it reads as about medicines or observations, its digit count. */
  private readonly segTags: Set<string>[] = [];
  private readonly segObs: boolean[] = [];
  private readonly segDigits: number[] = [];
  /** The sentence's: tag kinds, "at least". */
  private readonly tags = new Set<string>();
  private readonly atLeast: boolean;
  /** Per item: the last parameter and the last medicine named before it (prefix scans, O(1) lookups). */
  private readonly lastParam: ({ param: Param | 'unknown'; at: number } | null)[] = [];
  private readonly lastMed: (number[] | null)[] = [];
  /** Per item: the noun "score" was written earlier in its clause / in the sentence (prefix scans). */
  private readonly scoreInSeg: boolean[] = [];
  private readonly scoreInSentence: boolean[] = [];

  constructor(
    raw: string,
    private readonly context: ReadContext,
  ) {
    this.text = normalise(raw);
    this.tokens = tokenize(this.text);
    this.items = this.itemize();
    let current: SetRef = 'latest';
    let param: { param: Param | 'unknown'; at: number } | null = null;
    let med: number[] | null = null;
    let saidLatest = false;
    let currentSeg = 0;
    let scoreSeg = -1;
    let scoreSaid = false;
    this.items.forEach((it, i) => {
      this.scoreInSeg[i] = scoreSeg === it.seg;
      this.scoreInSentence[i] = scoreSaid;
      if (isScoreNoun(it)) {
        scoreSeg = it.seg;
        scoreSaid = true;
      }
      // "every set scored 0, with a heart rate of 72": "every" quantifies its own clause, not the next.
      if (it.seg !== currentSeg && current === 'all') current = 'latest';
      currentSeg = it.seg;
      const q = tagOf(it, 'qualifier');
      if (q) current = q.set;
      if (q) saidLatest = q.set === 'latest';
      this.setAt[i] = current;
      this.explicitLatest[i] = saidLatest;
      this.lastParam[i] = param;
      this.lastMed[i] = med;
      const named = paramOf(it);
      if (named) param = { param: named, at: i };
      const m = tagOf(it, 'med');
      if (m) med = m.meds;
      if (this.segStart[it.seg] === undefined) {
        this.segStart[it.seg] = i;
        this.segTags[it.seg] = new Set();
        this.segObs[it.seg] = false;
        this.segDigits[it.seg] = 0;
      }
      this.segEnd[it.seg] = i;
      for (const tag of it.tags) {
        this.segTags[it.seg].add(tag.t);
        this.tags.add(tag.t);
      }
      if (it.kind === 'num' && it.digits) this.segDigits[it.seg]++;
      if (named === 'news2') this.segNews2[it.seg] = true;
      if (
        (named !== null && named !== 'unknown') ||
        has(it, 'setNoun') ||
        has(it, 'overdue') ||
        ((it.kind === 'word' || it.kind === 'tag') && /\b(obs|observations?|set|charted|recorded)\b/.test(it.norm))
      )
        this.segObs[it.seg] = true;
    });
    this.atLeast = /\bat least\b/i.test(this.text);
    this.saysRecorded = /\b(recorded|charted|available|remaining)\b/i.test(this.text);
  }

  private itemize(): Item[] {
    const tokens = this.tokens;
    const items: Item[] = [];
    const make = (kind: Item['kind'], from: number, to: number, tags: Tag[] = []): Item => ({
      kind,
      from,
      to,
      tags,
      value: tokens[from].value,
      decimals: tokens[from].decimals,
      digits: kind === 'num',
      norm: tokens
        .slice(from, to)
        .map((x) => x.norm)
        .join(' '),
      seg: 0,
      index: 0,
      used: false,
    });
    const plain = (t: number) => make(tokens[t].kind === 'number' ? 'num' : tokens[t].kind === 'punct' ? 'punct' : 'word', t, t + 1);
    let t = 0;
    for (const span of tagTokens(tokens, this.context.medTrie)) {
      for (; t < span.from; t++) items.push(plain(t));
      const number = span.tags.find((tag): tag is Extract<Tag, { t: 'number' }> => tag.t === 'number');
      if (number && span.tags.length === 1)
        items.push({ ...make('num', span.from, span.to, span.tags), value: number.value, decimals: 0, digits: false });
      else items.push(make('tag', span.from, span.to, span.tags));
      t = span.to;
    }
    for (; t < tokens.length; t++) items.push(plain(t));

    // "a day earlier", "an hour ago", "half an hour": the article is the number.
    items.forEach((it, i) => {
      if (it.kind === 'word' && (it.norm === 'a' || it.norm === 'an') && items[i + 1]?.tags.some((tag) => tag.t === 'timeUnit')) {
        it.kind = 'num';
        it.value = items[i - 1]?.norm === 'half' ? 0.5 : 1;
        it.digits = false;
        it.tags = [{ t: 'number', value: it.value }];
      }
    });
    let seg = 0;
    items.forEach((it, i) => {
      const tok = tokens[it.from];
      const punct = it.kind === 'punct';
      const clockColon =
        tok.norm === ':' && items[i - 1]?.kind === 'num' && items[i + 1]?.kind === 'num' && !tok.spaced && !tokens[it.from + 1]?.spaced;
      const boundary =
        (punct && boundaryPunct.has(tok.norm) && !clockColon) ||
        (punct && tok.norm === '.' && !abbreviations.has(tokens[it.from - 1]?.norm ?? '')) ||
        (punct && tok.norm === '-' && tok.spaced && tokens[it.from + 1]?.spaced === true) ||
        (it.kind === 'word' && boundaryWords.has(tok.norm));
      if (boundary) seg++;
      it.seg = seg;
      it.index = i;
      // A drug name that is not one of the patient's medicines.
      if (it.kind === 'word' && (knownDrugs.has(tok.norm) || (tok.norm.length >= 6 && drugStems.some((stem) => tok.norm.endsWith(stem))))) {
        it.kind = 'tag';
        it.tags = [{ t: 'med', meds: [] }];
      }
    });
    return items;
  }

  // --- helpers over clauses: precomputed, or bounded by WINDOW ---
  /** The items of i's clause within `radius` of it. */
  private near(i: number, radius = WINDOW): Item[] {
    const seg = this.items[i].seg;
    return this.items.slice(Math.max(this.segStart[seg], i - radius), Math.min(this.segEnd[seg], i + radius) + 1);
  }
  private segHas(seg: number, t: Tag['t']): boolean {
    return this.segTags[seg]?.has(t) ?? false;
  }
  private sentenceHas(t: Tag['t']): boolean {
    return this.tags.has(t);
  }
  /**
   * A clause about doses: it names a medicine, doses or adherence, or has a dose word ("missed") in a sentence
   * that does ("taken 2 hours ago" alone is about an observation set). A bracket right after such a clause
   * ("(13 of 14)", "(86%)") continues it.
   */
  private medContext(seg: number): boolean {
    return (this.medSeg[seg] ??= this.computeMedContext(seg));
  }
  private readonly medSeg: boolean[] = [];
  private computeMedContext(seg: number): boolean {
    const strong = (s: number) =>
      this.segHas(s, 'med') || this.segHas(s, 'doseNoun') || this.segHas(s, 'adherence') || this.segHas(s, 'critical');
    const sentence =
      this.sentenceHas('med') || this.sentenceHas('doseNoun') || this.sentenceHas('adherence') || this.sentenceHas('critical');
    // "Overall 28/28 given": a count kind with "overall" is about doses too.
    if (strong(seg) || (this.segHas(seg, 'kind') && (sentence || this.segHas(seg, 'overall')))) return true;
    const first = this.items[this.segStart[seg]];
    return seg > 0 && first !== undefined && this.tokens[first.from].norm === '(' && (strong(seg - 1) || this.segHas(seg - 1, 'kind'));
  }
  /** About the care notes: a note word in the clause, or before it with only a list in between ("Notes flag: pain, escalation"). */
  private notesContext(seg: number): boolean {
    // Walks back to the clause that decides, once: every clause passed on the way gets the same answer, so a
    // sentence of thousands of clauses is read in linear time (walking back from each was quadratic).
    let s = seg;
    let answer = false;
    for (; s >= 0; s--) {
      const known = this.notesSeg[s];
      if (known !== undefined) {
        answer = known;
        break;
      }
      if (this.segHas(s, 'notes')) {
        answer = true;
        break;
      }
      if (this.segObs[s] || this.segDigits[s] || this.segHas(s, 'med')) break;
    }
    for (let k = Math.max(s, 0); k <= seg; k++) this.notesSeg[k] = answer;
    return answer;
  }
  private readonly notesSeg: (boolean | undefined)[] = [];
  private obsContext(seg: number): boolean {
    return this.segObs[seg] ?? false;
  }
  private tok(item: Item | undefined, offset: number): Token | undefined {
    return item ? this.tokens[offset < 0 ? item.from + offset : item.to - 1 + offset] : undefined;
  }
  private span(from: number, to: number): string {
    return this.text.slice(this.tokens[this.items[from].from].start, this.tokens[this.items[to].to - 1].end);
  }
  private recordValue(i: number, claim: Claim): void {
    const value = claim as ValueClaim;
    this.valueAt.set(i, value);
    this.lastValue = { item: i, claim: value };
  }
  /** `label`: where the claim's text starts when the parameter's name just before belongs in it ("SpO2 94%"). */
  private emit(from: number, to: number, body: ClaimBody, label = from): Claim {
    for (let k = from; k <= to; k++) this.items[k].used = true;
    const claim = { ...body, text: this.span(Math.min(label, from), to) };
    this.claims.push(claim);
    this.spans.set(claim, { from, to });
    return claim;
  }
  private negatedParamsMemo: VitalParam[] | null = null;
  /** Parameters the sentence names right after "no", "neither", "nor" or "without" (a list joined by or/and). */
  private negatedParams(): VitalParam[] {
    if (this.negatedParamsMemo) return this.negatedParamsMemo;
    const out: VitalParam[] = [];
    let open = false;
    for (const x of this.items) {
      const named = paramOf(x);
      if (/^(no|neither|nor|without)$/.test(x.norm)) open = true;
      else if (x.norm === 'no temperature') {
        // One lexicon phrase (a partial word by itself), and the start of a list.
        if (!out.includes('temperature')) out.push('temperature');
        open = true;
      } else if (named && open) {
        const p = (named === 'consciousness' ? 'consciousness' : vitalParamOf(x)) as VitalParam | null;
        if (p && !out.includes(p)) out.push(p);
      } else if (!(/^(or|and|level|the|a|an|\/)$/.test(x.norm) || (x.kind === 'punct' && ['/', ','].includes(this.tokens[x.from].norm))))
        open = false;
    }
    return (this.negatedParamsMemo = out);
  }

  private negatedAt(i: number): boolean {
    for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
      if (this.items[k].seg !== this.items[i].seg) return false;
      if (has(this.items[k], 'negation')) return true;
    }
    return false;
  }
  /** A reading of `param` written by the number at `i` (through item `end`, its unit). */
  private emitValue(i: number, end: number, param: VitalParam, marks: Marks): void {
    const it = this.items[i];
    const claim = this.emit(
      i,
      end,
      {
        kind: 'value',
        param,
        value: it.value,
        decimals: it.decimals,
        approx: this.approxBefore(i),
        set: { ref: this.refFor(i, marks) },
        asRejected: this.rejectedNear(i),
        dismissed: this.dismissedAfter(i),
        target: this.segHas(it.seg, 'target'),
      },
      this.labelOf(i),
    );
    this.recordValue(i, claim);
  }

  /** "the last dose", "the most recent dose" in the few words before item `i`, in its clause. */
  private lastDoseBefore(i: number): boolean {
    const words = this.items.slice(Math.max(this.segStart[this.items[i].seg], i - 6), i);
    const dose = words.findIndex((x) => x.norm === 'dose');
    return dose >= 0 && words.slice(0, dose).some((x) => /^(last|latest|most recent|final|the last|recent)$/.test(x.norm));
  }

  /** Whether clause `seg` says "every set", "throughout", "all week" anywhere in it. */
  private segAll(seg: number): boolean {
    return (this.allSeg[seg] ??= this.items
      .slice(this.segStart[seg], this.segEnd[seg] + 1)
      .some((x) => tagOf(x, 'qualifier')?.set === 'all'));
  }
  private readonly allSeg: boolean[] = [];

  /** "never" among the three items before `i`, in its clause. */
  private neverAt(i: number): boolean {
    for (let k = i - 1; k >= Math.max(0, i - 3) && this.items[k].seg === this.items[i].seg; k--)
      if (this.items[k].norm === 'never') return true;
    return false;
  }

  /** A number word right after a parameter's name, with at most "is", "of", "was" … between ("NEWS2 is zero"). */
  private valueInWords(i: number): boolean {
    const named = this.lastParam[i];
    if (!named || named.param === 'unknown' || named.at < i - 3 || this.items[named.at].seg !== this.items[i].seg) return false;
    if (this.items[i + 1]?.norm === 'of') return false;
    for (let k = named.at + 1; k < i; k++) if (!/^(is|of|was|at|now|remains|remained|still)$/.test(this.items[k].norm)) return false;
    return true;
  }

  /** "… has resolved", "… ruled out", "… settled" within a few words after item i, in its clause. */
  private goneAfter(i: number): boolean {
    for (let k = i + 1; k <= i + 3 && k < this.items.length && this.items[k].seg === this.items[i].seg; k++)
      if (/^(resolved|resolving|settled|subsided|ruled out|gone|abated)$/.test(this.items[k].norm)) return true;
    return false;
  }

  /** "… is not required", "… not needed", "… unnecessary" within a few words after item i, in its clause. */
  private notNeededAfter(i: number): boolean {
    const words: string[] = [];
    for (let k = i + 1; k <= i + 4 && k < this.items.length && this.items[k].seg === this.items[i].seg; k++) words.push(this.items[k].norm);
    return /\b(not (required|needed|indicated|necessary|warranted)|unnecessary|not needed)\b/.test(words.join(' '));
  }

  private approxBefore(i: number): Approx | null {
    for (let k = i - 1; k >= Math.max(0, i - 2); k--) {
      const approx = tagOf(this.items[k], 'approx');
      if (approx && this.items[k].seg === this.items[i].seg) {
        // "never dropped below 90", "did not go above 1": a negated bound is the other one, inclusive.
        if ((approx.mode === 'under' || approx.mode === 'over') && this.negatedAt(k)) return approx.mode === 'under' ? 'atLeast' : 'atMost';
        return approx.mode;
      }
      if (this.items[k].kind !== 'word') break;
    }
    return null;
  }

  /** The item of the parameter name written up to three items before i in its clause (for the claim's text), else i. */
  private labelOf(i: number): number {
    const before = this.lastParam[i];
    return before && before.at >= i - 3 && this.items[before.at].seg === this.items[i].seg && has(this.items[before.at], 'param')
      ? before.at
      : i;
  }

  /** The parameter a number at `i` is a value of: the last named before it in its clause, else right after it, else the sentence's last. */
  private paramFor(i: number): { param: Param | 'unknown'; at: number } | null {
    const seg = this.items[i].seg;
    const before = this.lastParam[i];
    if (before && this.items[before.at].seg === seg) return before;
    for (let k = i + 1; k < this.items.length && k <= i + 3 && this.items[k].seg === seg; k++) {
      const param = paramOf(this.items[k]);
      if (param) return { param, at: k };
    }
    // A clause without a parameter ("up from 6", "(2 points)") continues the last one named, but not one inside a
    // bracket that has closed: "9 at its worst (60h ago, RR 26, sats 84%), now 1" continues the NEWS2 before it.
    return before ? this.outsideClosedBracket(before, i) : null;
  }

  /** `named` if no bracket it is inside closes before item `i`; else the parameter named before that bracket opened. */
  private outsideClosedBracket(
    named: { param: Param | 'unknown'; at: number },
    i: number,
  ): { param: Param | 'unknown'; at: number } | null {
    const { open, close } = this.brackets();
    let at: { param: Param | 'unknown'; at: number } | null = named;
    // Each step leaves one enclosing bracket: at most the nesting depth.
    while (at && open[at.at] >= 0 && close[open[at.at]] < i) at = open[at.at] > 0 ? this.lastParam[open[at.at]] : null;
    return at;
  }

  /** Per item, the "(" item enclosing it (-1: none); per "(" item, its ")" (items.length if unclosed). One pass. */
  private bracketIndex: { open: Int32Array; close: Int32Array } | null = null;
  private brackets(): { open: Int32Array; close: Int32Array } {
    if (this.bracketIndex) return this.bracketIndex;
    const n = this.items.length;
    const open = new Int32Array(n).fill(-1);
    const close = new Int32Array(n).fill(n);
    const stack: number[] = [];
    for (let k = 0; k < n; k++) {
      open[k] = stack.length ? stack[stack.length - 1] : -1;
      const norm = this.items[k].norm;
      if (norm === '(') stack.push(k);
      else if (norm === ')' && stack.length) close[stack.pop()!] = k;
    }
    return (this.bracketIndex = { open, close });
  }

  /**
   * Whose doses: the medicine nearest in the clause and not past another count ("and", another number), else
   * "overall", the sentence's last medicine, a cited one, else overall.
   */
  private medFor(i: number): MedTarget {
    const seg = this.items[i].seg;
    // A medicine written right before the count is its subject, whatever else the clause says: "All meds given
    // (amoxicillin 21/21, furosemide 7/7)", "overall 91%, Apixaban: 12/14".
    for (const k of [i - 1, i - 2]) {
      const x = this.items[k];
      if (!x || (k === i - 2 && this.items[i - 1].norm !== ':')) continue;
      const med = tagOf(x, 'med');
      if (med?.meds.length) return { meds: med.meds };
    }
    if (this.segHas(seg, 'overall')) return 'overall';
    // "…; overall, 31 of 34 due doses were given": "overall" alone in the clause before.
    if (seg > 0 && this.segHas(seg - 1, 'overall') && this.segEnd[seg - 1] - this.segStart[seg - 1] <= 1) return 'overall';
    const separated = (from: number, to: number) => {
      for (let j = from + 1; j < to; j++) {
        const x = this.items[j];
        if (x.norm === 'and' || x.norm === 'or' || (x.kind === 'num' && x.digits)) return true;
      }
      return false;
    };
    let best: { meds: number[]; distance: number } | null = null;
    for (const it of this.near(i)) {
      const med = tagOf(it, 'med') ?? (has(it, 'critical') ? { t: 'med' as const, meds: this.context.criticalMeds } : undefined);
      if (!med || separated(Math.min(it.index, i), Math.max(it.index, i))) continue;
      if (!best || Math.abs(it.index - i) < best.distance) best = { meds: med.meds, distance: Math.abs(it.index - i) };
    }
    const found = (best as { meds: number[] } | null)?.meds ?? this.lastMed[i];
    // "no critical medicines were missed" of a patient with none is true of none; another empty match names no medicine.
    if (found && found.length === 0 && found === this.context.criticalMeds) return { meds: [] };
    if (found) return found.length ? { meds: found } : 'unknown';
    return this.context.hintedMeds.length ? { meds: this.context.hintedMeds } : 'overall';
  }

  /** The count kind nearest a number in its clause; a word after it wins a tie ("2 missed", "2 of 14 doses missed"). */
  private kindFor(i: number): CountKind | null {
    return this.kindIn(this.near(i, 8), i) ?? this.kindIn(this.items.slice(Math.max(0, i - WINDOW), i + WINDOW + 1), i);
  }

  /**
   * The nearest count kind among `items`. "due" describes doses ("the last 2 due doses refused"), so any other
   * kind wins over it (and `skipDue` drops it: "N of M due doses given", where it is M's). A kind before the
   * number does not reach across "and"/"or" when one follows it ("3 refused and 1 dose missed").
   */
  private kindIn(items: Item[], i: number, skipDue = false): CountKind | null {
    let best: { kind: CountKind; distance: number } | null = null;
    const conjunctionBefore = (k: number) => {
      for (let j = k + 1; j < i; j++) if (this.items[j].norm === 'and' || this.items[j].norm === 'or') return true;
      return false;
    };
    const forward = items.some((it) => it.index > i && it.tags.some((tag) => tag.t === 'kind' && tag.kind !== 'run' && tag.kind !== 'due'));
    for (const it of items) {
      for (const tag of it.tags) {
        if (tag.t !== 'kind' || tag.kind === 'run' || (skipDue && tag.kind === 'due')) continue;
        if (it.index < i && forward && conjunctionBefore(it.index)) continue;
        const distance = Math.abs(it.index - i) - (it.index > i ? 0.5 : 0) + (tag.kind === 'due' ? 100 : 0);
        if (!best || distance < best.distance) best = { kind: tag.kind, distance };
      }
    }
    return best?.kind ?? null;
  }

  /** Which set a number is about: after "from"/"between" any earlier set; "to" the latest when it ends the sentence. */
  private refFor(i: number, marks: Marks): SetRef {
    if (marks.from.has(i) || marks.between.has(i)) return 'any';
    if (this.setAt[i] === 'mean') return 'mean';
    if (marks.to.has(i)) {
      // "to 8" is where it went: the latest, unless a list follows ("from 9 to 7, 5, 3 and now 1", "to 4 and then 7").
      for (let k = i + 1; k < this.items.length && k <= i + 3; k++) {
        const x = this.items[k];
        if (x.kind === 'num') return 'any';
        if (!(this.tokens[x.from].norm === ',' || x.norm === 'and' || x.norm === 'then')) break;
      }
      return 'latest';
    }
    if (marks.listed.has(i)) return 'any';
    // A qualifier right after the number is about it ("9 at the worst", "6 previously", "0 now", "0 at the latest set"),
    // whatever an earlier one said ("was 8 earlier and 0 at the latest set").
    for (let k = i + 1; k <= i + 3 && k < this.items.length && this.items[k].seg === this.items[i].seg; k++) {
      const q = tagOf(this.items[k], 'qualifier');
      if (q) return q.set;
      if (!/^(at|on|in|the|this|its|%)$/.test(this.items[k].norm) && !has(this.items[k], 'unit')) break;
    }
    return this.setAt[i];
  }

  private marks(): Marks {
    const marks: Marks = {
      from: new Set(),
      to: new Set(),
      between: new Set(),
      ranges: new Map(),
      series: [],
      listed: new Set(),
      lastNumber: -1,
      fromNumber: new Map(),
      toNumberAfter: new Map(),
    };
    const nextNumber = (i: number, within: number) => {
      for (let k = i + 1; k < this.items.length && k <= i + within; k++) if (this.items[k].kind === 'num') return k;
      return -1;
    };
    this.items.forEach((it, i) => {
      if (has(it, 'from')) {
        const k = nextNumber(i, 3);
        if (k >= 0) {
          marks.from.add(k);
          marks.fromNumber.set(i, k);
          // "from 4 to 8": the number after the next "to" within a few words.
          for (let j = k + 1; j < this.items.length && j <= k + 6; j++) {
            if (!has(this.items[j], 'to')) continue;
            const to = nextNumber(j, 3);
            if (to >= 0) marks.toNumberAfter.set(k, to);
            break;
          }
        }
      }
      if (has(it, 'to')) {
        const k = nextNumber(i, 3);
        if (k >= 0) marks.to.add(k);
      }
      if (has(it, 'between')) {
        const a = nextNumber(i, 3);
        const b = a >= 0 ? nextNumber(a, 3) : -1;
        [a, b].filter((k) => k >= 0).forEach((k) => marks.between.add(k));
        if (a >= 0 && b >= 0) marks.ranges.set(a, b);
      }
      // "5 or 6 on every set": a range of two neighbouring whole numbers.
      const orNumber = this.items[i + 2];
      if (
        it.kind === 'num' &&
        it.decimals === 0 &&
        this.items[i + 1]?.norm === 'or' &&
        orNumber?.kind === 'num' &&
        orNumber.decimals === 0 &&
        Math.abs(orNumber.value - it.value) === 1 &&
        !has(this.items[i + 3], 'timeUnit') &&
        !has(this.items[i + 3], 'doseNoun')
      ) {
        marks.between.add(i).add(i + 2);
        marks.ranges.set(i, i + 2);
      }
      // "5–6", "88-92%": a range, unless it is a time or a frequency ("4-6 hours", "4–6-hourly").
      const second = this.items[i + 2];
      if (
        it.kind === 'num' &&
        it.digits &&
        this.tok(it, 1)?.norm === '-' &&
        second?.kind === 'num' &&
        second.digits &&
        !has(this.items[i + 3], 'timeUnit') &&
        !(this.tok(second, 1)?.norm === '-' && has(this.items[i + 3], 'timeUnit'))
      ) {
        marks.between.add(i).add(i + 2);
        marks.ranges.set(i, i + 2);
      }
      if (it.kind === 'num' && it.digits) marks.lastNumber = i;
    });
    // "falling from a peak of 9 through 7, 5 and 3 to 1": the numbers after "through" are earlier sets'.
    this.items.forEach((it, i) => {
      if (it.norm !== 'through') return;
      for (let k = i + 1; k < this.items.length && k <= i + WINDOW; k++) {
        const x = this.items[k];
        if (x.kind === 'num') marks.listed.add(k);
        else if (!(x.kind === 'punct' && this.tokens[x.from].norm === ',') && x.norm !== 'and') break;
      }
    });
    // "4→6→8", "9->1": every number but the last is an earlier set's.
    const afterArrow = (k: number): number => {
      const a = this.items[k];
      if (a?.kind !== 'punct') return -1;
      const norm = this.tokens[a.from].norm;
      if (norm === '→' && this.items[k + 1]?.kind === 'num') return k + 1;
      if (norm === '-' && this.items[k + 1] && this.tokens[this.items[k + 1].from].norm === '>' && this.items[k + 2]?.kind === 'num')
        return k + 2;
      return -1;
    };
    for (let i = 0; i < this.items.length; i++) {
      if (this.items[i].kind !== 'num' || afterArrow(i + 1) < 0) continue;
      const chain = [i];
      for (let next = afterArrow(i + 1); next >= 0; next = afterArrow(next + 1)) chain.push(next);
      marks.series.push(chain);
      chain.slice(0, -1).forEach((k) => marks.listed.add(k));
      i = chain[chain.length - 1];
    }
    // "from 9 to 7, 5, 3 and now 1": the numbers listed after a from/to number are earlier sets too, until a qualifier.
    for (const start of [...marks.from, ...marks.to]) {
      for (let k = start + 1; k < this.items.length && k <= start + WINDOW; k++) {
        const x = this.items[k];
        if (has(x, 'qualifier') || has(x, 'timeUnit')) break;
        if (x.kind === 'num') marks.listed.add(k);
        else if (!(x.kind === 'punct' && this.tokens[x.from].norm === ',') && x.norm !== 'and' && x.norm !== 'then' && !has(x, 'to')) break;
      }
    }
    return marks;
  }

  /**
   * A rejection word in the value's clause, or in the clause right after it, or in one of the two before it,
   * with no other value in between ("rejected as impossible, not scored: SpO2 250%").
   */
  /** A rejection word after the reading at `i`, this clause or the next, no other number between ("BP 88/54, a cuff error"). */
  private dismissedAfter(i: number): boolean {
    const seg = this.items[i].seg;
    for (let k = i + 1; k <= i + 10 && k < this.items.length && this.items[k].seg <= seg + 1; k++) {
      const x = this.items[k];
      if (x.kind === 'num' && x.digits && !(k === i + 2 && this.tok(this.items[i], 1)?.norm === '/')) return false;
      if (has(x, 'rejection')) return true;
    }
    return false;
  }

  private rejectedNear(i: number): boolean {
    const seg = this.items[i].seg;
    if (this.segHas(seg, 'rejection')) return true;
    if (this.segHas(seg + 1, 'rejection') && !this.segDigits[seg + 1]) return true;
    // "a temperature of 60 °C, 50 hours ago, was rejected": across a clause that only says when.
    if (this.segHas(seg + 2, 'rejection') && !this.segDigits[seg + 2] && this.segDigits[seg + 1] === 1 && this.segHas(seg + 1, 'timeUnit'))
      return true;
    for (let s = seg - 1; s >= Math.max(0, seg - 2); s--) {
      if (this.segDigits[s]) return false;
      if (this.segHas(s, 'rejection')) return true;
    }
    return false;
  }

  read(): Claim[] {
    const marks = this.marks();
    for (let i = 0; i < this.items.length; i++) {
      const it = this.items[i];
      if (it.kind === 'num' && !it.used) this.readNumber(i, marks);
    }
    let news2: { item: number; claim: ValueClaim } | null = null;
    this.items.forEach((_, i) => {
      this.news2Before[i] = news2;
      const claim = this.valueAt.get(i);
      if (claim?.kind === 'news2') news2 = { item: i, claim };
    });
    this.lastValue = [...this.valueAt.entries()].map(([item, claim]) => ({ item, claim })).pop() ?? null;
    for (let i = 0; i < this.items.length; i++) if (this.items[i].kind === 'tag') this.readWords(i, marks);
    this.readRanges(marks);
    this.readSeries(marks);
    this.dateWhenClauses();
    return this.claims;
  }

  /**
   * Both ends of a range of one parameter become one claim about every set it covers: those in the window the
   * sentence names ("over the last 2 days"), all ("across all sets", "this week"), or else the recent stretch that
   * reaches both ends. Two claims that each end occurs somewhere would let "between 0 and 4" hide a 7.
   */
  private readRanges(marks: Marks): void {
    if (marks.ranges.size === 0) return;
    const window = this.claims.find((c) => c.kind === 'time' && c.relation === 'window');
    const scope =
      window?.kind === 'time'
        ? { hours: window.time.hours + window.time.unitHours / 2 }
        : this.tags.has('quantAll') || /\b(all|every|each|week|throughout|whole|entire)\b/.test(this.text)
          ? ('all' as const)
          : ('recent' as const);
    this.mergeValues([...marks.ranges], (values, param) => {
      const [lo, hi] = values[0].value <= values[1].value ? values : [values[1], values[0]];
      return { kind: 'range', param, lo: written(lo), hi: written(hi), scope };
    });
  }

  /** A series of one parameter's values ("NEWS2 4→6→8") becomes one claim: those sets in that order, the last the latest. */
  private readSeries(marks: Marks): void {
    this.mergeValues(marks.series, (values, param) => ({ kind: 'series', param, values: values.map(written) }));
  }

  /**
   * Numbers read as values that together make one claim (a range's two ends, a series): when every one of a group is
   * a value of the same parameter, their claims are replaced by the one `merge` makes.
   */
  private mergeValues(groups: number[][], merge: (values: NumberValue[], param: VitalParam | 'news2') => ClaimBody): void {
    const replaced = new Set<Claim>();
    const added: Claim[] = [];
    const paramOfValue = (c: ValueClaim | undefined) => (c?.kind === 'news2' ? 'news2' : c?.kind === 'value' ? c.param : null);
    for (const group of groups) {
      const values = group.map((k) => this.valueAt.get(k));
      const param = paramOfValue(values[0]);
      if (param === null || !values.every((c) => paramOfValue(c) === param)) continue;
      for (const c of values) replaced.add(c!);
      const [from, to] = [group[0], group[group.length - 1]];
      const claim = { ...merge(values as NumberValue[], param), text: this.span(from, to) };
      added.push(claim);
      this.spans.set(claim, { from, to });
    }
    if (replaced.size > 0) this.claims = [...this.claims.filter((c) => !replaced.has(c)), ...added];
  }

  /**
   * "was 9 60 h ago, when RR was 26 and sats 84% on O2": after a dated time, a "when" clause is about that set too,
   * up to a qualifier ("now", "latest") or the sentence's end.
   */
  private dateWhenClauses(): void {
    if (!this.items.some((it) => it.norm === 'when')) return;
    // Time claims by the item they end at, then one pass: the dating in force at each item.
    const timeEndingAt = new Map<number, TimeValue>();
    for (const claim of this.claims) {
      const span = this.spans.get(claim);
      if (claim.kind === 'time' && claim.relation === 'at' && span) timeEndingAt.set(span.to, claim.time);
    }
    const datedAt: (TimeValue | null)[] = [];
    let current: TimeValue | null = null;
    this.items.forEach((it, w) => {
      if (has(it, 'qualifier') && !has(it, 'ago')) current = null;
      datedAt[w] = current;
      if (it.norm === 'when') current = timeEndingAt.get(w - 1) ?? timeEndingAt.get(w - 2) ?? null;
    });
    for (const claim of this.claims) {
      const span = this.spans.get(claim);
      const time = span ? datedAt[span.from] : null;
      if (!time || !('set' in claim) || claim.kind === 'time') continue;
      if (claim.set.ref === 'latest' && !claim.set.at && !this.explicitLatest[span!.from]) claim.set = { ref: 'any', at: time };
    }
  }

  private readNumber(i: number, marks: Marks): void {
    const items = this.items;
    const it = items[i];
    const next = items[i + 1];
    const next2 = items[i + 2];
    const prev = items[i - 1];
    const seg = it.seg;
    const after = this.tok(it, 1);
    const before = this.tok(it, -1);

    // "1) NEWS2 8", "2. Apixaban...": a list's numbering, not a claim.
    if (i === 0 && it.digits && it.decimals === 0 && (after?.norm === ')' || (after?.norm === '.' && this.tokens[it.from + 2]?.spaced))) {
      it.used = true;
      return;
    }
    if (!it.digits) {
      const needed =
        has(next, 'timeUnit') ||
        has(next, 'doseNoun') ||
        has(next, 'kind') ||
        has(next, 'setNoun') ||
        has(next, 'med') ||
        adverbCounts.has(it.norm) ||
        paramOf(prev) === 'news2' ||
        prev?.norm === 'the last' ||
        prev?.norm === 'last' ||
        has(prev, 'from') ||
        has(prev, 'to') ||
        has(prev, 'between') ||
        // "… 6 ten hours ago and eight at the latest set".
        (next?.norm === 'at' && (has(next2, 'qualifier') || has(items[i + 3], 'qualifier'))) ||
        // "two of its fourteen due doses" (not "every one of the 21": that is all of them).
        (next?.norm === 'of' && !has(prev, 'quantAll') && (next2?.kind === 'num' || items[i + 3]?.kind === 'num')) ||
        (this.medContext(seg) && has(prev, 'kind')) ||
        // "six-hourly", "six hourly"
        has(next, 'frequency') ||
        // "scored zero", "scores one point"
        has(prev, 'scoreWord') ||
        (next?.norm === '-' && has(next2, 'frequency')) ||
        // "NEWS2 is zero", "respiratory rate of sixteen", "heart rate seventy-two": a parameter's value in words.
        this.valueInWords(i);
      if (!needed) return;
    }

    // --- clock times and dates: never facts ---
    if (after?.norm === ':' && next2?.kind === 'num' && !after.spaced)
      return void this.emit(i, i + 2, { kind: 'never', why: 'a clock time: the facts give hours ago' });
    if (
      next?.kind === 'punct' &&
      after?.norm === '/' &&
      next2?.kind === 'num' &&
      this.tok(next2, 1)?.norm === '/' &&
      items[i + 4]?.kind === 'num'
    )
      return void this.emit(i, i + 4, { kind: 'never', why: 'a date: the facts give hours ago' });
    if (it.digits && it.decimals === 0 && it.value >= 1900 && it.value <= 2100)
      return void this.emit(i, i, { kind: 'never', why: 'a year: the facts give hours ago' });
    if (has(next, 'clock') && next.seg === seg)
      return void this.emit(i, i + 1, { kind: 'never', why: 'a clock time or date: the facts give hours ago' });
    if (has(prev, 'clock') && prev.seg === seg && /^[a-z]{3,}$/.test(prev.norm) && !/day$/.test(prev.norm))
      return void this.emit(i - 1, i, { kind: 'never', why: 'a date: the facts give hours ago' });

    // --- monitoring frequencies: "1-hourly", "4–6-hourly", "every 4-6 hours" ---
    {
      let k = i;
      let hi = it.value;
      if (this.tok(items[k], 1)?.norm === '-' && items[k + 2]?.kind === 'num' && !has(items[k + 3], 'timeUnit')) {
        hi = items[k + 2].value;
        k += 2;
      } else if (
        this.tok(items[k], 1)?.norm === '-' &&
        items[k + 2]?.kind === 'num' &&
        has(items[k + 3], 'timeUnit') &&
        items[i - 1]?.norm === 'every'
      ) {
        hi = items[k + 2].value;
        k += 2;
      }
      const h = this.tok(items[k], 1)?.norm === '-' ? 1 : 0;
      const word = items[k + 1 + h];
      // "4–6 hourly" is one frequency, not a range over the sets: the set the clause is about.
      const ranged = marks.between.has(i) || marks.from.has(i) || marks.listed.has(i);
      const frequencyRef = ranged ? this.setAt[i] : this.refFor(i, marks);
      if (has(word, 'frequency') || (tagOf(word, 'reassure')?.kind === 'routine' && word.norm.includes('hourly'))) {
        return void this.emit(i, k + 1 + h, {
          kind: 'frequency',
          hours: [it.value, hi],
          atLeast: this.approxBefore(i) === 'atLeast',
          set: { ref: frequencyRef },
        });
      }
      if (items[i - 1]?.norm === 'every' && has(items[k + 1], 'timeUnit')) {
        // "every 1 day" is every 24 hours.
        const unitHours = tagOf(items[k + 1], 'timeUnit')!.hours;
        return void this.emit(i - 1, k + 1, {
          kind: 'frequency',
          hours: [it.value * unitHours, hi * unitHours],
          atLeast: false,
          set: { ref: frequencyRef },
        });
      }
    }

    // --- "q4–6h": every 4 to 6 hours (the "q4" is one word) ---
    const qWord = /^q(\d+)$/.exec(items[i - 2]?.norm ?? '');
    if (qWord && prev?.kind === 'punct' && before?.norm === '-' && has(next, 'timeUnit')) {
      return void this.emit(i - 2, i + 1, {
        kind: 'frequency',
        hours: [Number(qWord[1]), it.value],
        atLeast: false,
        set: { ref: 'latest' },
      });
    }

    // --- "no single param scoring 3", "single 3: SpO2 88%", "single param 3 = SBP 88": a parameter scoring 3 on its own ---
    if (it.value === 3 && !it.used && before?.norm !== '+') {
      const single = items.slice(Math.max(this.segStart[seg], i - 4), i).some((x) => has(x, 'singleParam'));
      if (single) {
        // The single-parameter words make the claim (redScore, negated or not) unless a parameter named after the 3
        // is the one that scored it.
        let named: Param | 'unknown' | null = null;
        // Across a colon or "=" ("single 3: RR 25", "single param 3 = SBP 88"), up to the next value; not past a comma or
        // "plus" into the next parameter ("sats 88%, a single-parameter 3, plus RR 22 (+2)").
        for (let k = i + 1; k < Math.min(items.length, i + 5) && named === null && items[k].kind !== 'num'; k++) {
          if (SINGLE_STOPS.has(items[k].norm)) break;
          named = paramOf(items[k]);
        }
        const scored = named && named !== 'unknown' ? scoredOf[named] : null;
        const negated = items.slice(Math.max(this.segStart[seg], i - 5), i).some((x) => has(x, 'negation'));
        if (scored && !negated)
          return void this.emit(i, i, { kind: 'subscore', param: scored, value: 3, set: { ref: this.refFor(i, marks) } });
        if (named === null || negated) {
          it.used = true;
          return;
        }
      }
    }

    // --- NEWS2 sub-scores: "(+3)", "3 points", "= 3", "scores 3", "a single-parameter 3", "(1)" in a list of drivers ---
    const plus = before?.norm === '+';
    const points = has(next, 'points');
    const equals = before?.norm === '=';
    const scoredBefore = (has(prev, 'scoreWord') || has(prev, 'singleParam')) && prev.seg === seg;
    const bracketed = before?.norm === '(' && after?.norm === ')' && this.sentenceHas('scoreWord');
    if (plus || points || equals || scoredBefore || bracketed) {
      let bound = this.paramFor(i);
      // "SpO2 88% on air scoring 3": the score is the value's, not air's (air scores 0).
      const value = this.lastValue;
      if (
        bound &&
        paramOf(items[bound.at]) === 'oxygen' &&
        tagOf(items[bound.at], 'oxygenState')?.on === false &&
        value &&
        value.claim.kind === 'value' &&
        i - value.item <= WINDOW
      ) {
        bound = { param: value.claim.param === 'temperature' ? 'temperature' : value.claim.param, at: value.item };
      }
      // "Other values scored 0", "all other parameters 0": reassurance about what the answer does not name.
      if (it.value === 0 && (this.segHas(seg, 'exception') || this.segHas(seg, 'quantAll'))) {
        return void this.emit(i, i, { kind: 'reassure', reassurance: 'normal', scope: 'except', set: { ref: this.refFor(i, marks) } });
      }
      if (!(bound?.param === 'news2' && !plus && !points && !bracketed)) {
        const scored = bound && bound.param !== 'unknown' ? scoredOf[bound.param] : null;
        const end = points ? i + 1 : i;
        if (scored)
          return void this.emit(i, end, { kind: 'subscore', param: scored, value: it.value, set: { ref: this.refFor(i, marks) } });
        return void this.emit(i, end, { kind: 'never', why: 'a score that names no NEWS2 parameter' });
      }
    }

    // --- the SpO2 scale ---
    if (has(prev, 'scale') && prev.seg === seg) return void this.emit(i - 1, i, { kind: 'scale', value: it.value });

    // --- times: "9 hours ago", "2h", "three days ago", "the 6-hour limit", "for 9 hours", "over the last 40 hours" ---
    const shared = unitAfterList(items, i, (x) => this.tokens[x.from].norm);
    const unit = tagOf(next, 'timeUnit') ?? (shared ? tagOf(shared, 'timeUnit') : undefined);
    const adjective = !unit && after?.norm === '-' && has(next2, 'timeUnit');
    if ((unit && (shared || this.tok(next, -1)?.norm !== '/')) || adjective) {
      const unitItem = shared ?? (adjective ? next2 : next);
      const end = shared ? i : has(items[unitItem.index + 1], 'ago') ? unitItem.index + 1 : unitItem.index;
      const unitHours = tagOf(unitItem, 'timeUnit')!.hours;
      const time: TimeValue = { hours: it.value * unitHours, unitHours, decimals: it.decimals, approx: this.approxBefore(i) };
      const lead = items
        .slice(Math.max(this.segStart[seg], i - 4), i)
        .map((x) => x.norm)
        .join(' ');
      const trail = items[end + 1]?.norm ?? '';
      // "the 2-hour set" dates a set; "the 6-hour limit", "overdue after 6 h", "an interval of no more than six hours"
      // state a threshold.
      const datesSet = adjective && has(items[end + 1], 'setNoun');
      const relation: 'at' | 'since' | 'after' | 'window' = datesSet
        ? 'at'
        : adjective || /\b(after|every|beyond|interval|window|limit|threshold)\b/.test(lead) || /limit|threshold/.test(trail)
          ? 'after'
          : /\b(over|in|within|during|across) the (last|past)\b|\b(last|past)$/.test(lead)
            ? 'window'
            : /\b(for|since)\b/.test(lead)
              ? 'since'
              : 'at';
      const context = this.medContext(seg) && !this.obsContext(seg) ? 'medicines' : 'observations';
      const listedTime = prev?.norm === 'and' && this.lastTimeItem >= i - 6 && this.lastTimeItem >= 0;
      this.lastTimeItem = i;
      const claim = this.emit(i, end, { kind: 'time', time, relation, set: { ref: this.refFor(i, marks) }, context });
      // A time dates the value it follows ("NEWS2 8, recorded 2 hours ago"; "4 at 22 hours"): that value is then any set's at that time.
      if (relation === 'at' && claim.kind === 'time') {
        // Values are read left to right, so the last one recorded is the nearest before this time.
        const owner = this.lastValue;
        const qualifierBetween = () => {
          for (let k = owner!.item + 1; k < i; k++) if (has(items[k], 'qualifier') && !has(items[k], 'ago')) return true;
          return false;
        };
        if (
          owner &&
          owner.item < i &&
          i - owner.item <= WINDOW &&
          items[owner.item].seg >= seg - 2 &&
          !owner.claim.set.at &&
          !qualifierBetween()
        ) {
          const ownerSet = owner.claim.set;
          // A dated value is any set's at that time, unless the sentence said "latest" before it.
          owner.claim.set = { ref: ownerSet.ref === 'latest' && !this.explicitLatest[owner.item] ? 'any' : ownerSet.ref, at: time };
          claim.set = owner.claim.set;
        } else if (shared || listedTime) {
          // "the sets 15 and 27 hours ago", "(12 and 3 hours ago)": each a set at that time.
          claim.set = { ref: 'any', at: time };
        }
      }
      return;
    }

    // --- percentages: SpO2, or adherence of a medicine or overall ---
    if (after?.norm === '%') {
      const bound = this.paramFor(i);
      const adherence = this.medContext(seg) || this.segHas(seg, 'overall') || has(items[i + 2], 'adherence') || has(prev, 'adherence');
      if (bound?.param === 'spo2' && (bound.at > i || bound.at >= i - 3 || !adherence)) {
        return this.emitValue(i, i + 1, 'spo2', marks);
      }
      if (adherence)
        return void this.emit(i, i + 1, {
          kind: 'count',
          target: this.medFor(i),
          count: 'pct',
          value: it.value,
          decimals: it.decimals,
          of: null,
          last: false,
          approx: this.approxBefore(i),
        });
      return void this.emit(i, i + 1, {
        kind: 'never',
        why: bound?.param === 'unknown' ? 'a measurement the facts do not hold' : 'a percentage of nothing the facts give',
      });
    }

    // --- pairs: "108/70" (blood pressure), "12/14" (doses) ---
    if (next?.kind === 'punct' && after?.norm === '/' && next2?.kind === 'num') {
      const bound = this.paramFor(i);
      const mmHg = tagOf(items[i + 3], 'unit')?.unit === 'mmHg';
      if (mmHg || ((bound?.param === 'bp' || bound?.param === 'systolicBp') && !this.medContext(seg))) {
        const end = mmHg ? i + 3 : i + 2;
        const claim = this.emit(
          i,
          end,
          {
            kind: 'pair',
            systolic: it.value,
            diastolic: next2.value,
            set: { ref: this.refFor(i, marks) },
            asRejected: this.rejectedNear(i),
            dismissed: this.dismissedAfter(i),
          },
          this.labelOf(i),
        );
        this.recordValue(i, claim);
        return;
      }
      if (this.medContext(seg)) {
        // A ratio's kind is its own clause's ("12/14 given", "1/14 missed"); none written means given.
        const kind = this.kindIn(this.near(i, 8), i, true);
        return void this.emit(i, i + 2, {
          kind: 'count',
          target: this.medFor(i),
          count: kind ?? 'given',
          value: it.value,
          decimals: 0,
          of: next2.value,
          last: false,
          approx: null,
        });
      }
      return void this.emit(i, i + 2, {
        kind: 'never',
        why: bound?.param === 'unknown' ? 'a measurement the facts do not hold' : 'a ratio no fact gives',
      });
    }

    // --- counts of doses: "2 of 14", "x3", "two missed doses", "missed twice", "the last 2 in a row" ---
    // "2 of 14", "two of its fourteen due doses".
    const ofDeterminer = next?.norm === 'of' && /^(its|their|the|his|her)$/.test(next2?.norm ?? '') && items[i + 3]?.kind === 'num';
    // "1 missed of 14 due": the kind between the count and its "of M".
    const ofAfterKind = has(next, 'kind') && next2?.norm === 'of' && items[i + 3]?.kind === 'num';
    const ofN = next?.norm === 'of' && next2?.kind === 'num' ? next2 : ofDeterminer || ofAfterKind ? items[i + 3] : null;
    const times = before?.norm === '×';
    const kind = this.kindFor(i);
    // "NEWS2 is 0 and no doses were refused": a number right after a parameter is its value, not a dose count.
    const named = this.lastParam[i];
    const boundTight =
      named !== null &&
      named.param !== 'unknown' &&
      named.at >= i - 3 &&
      items[named.at].seg === seg &&
      !has(next, 'doseNoun') &&
      !has(next, 'kind') &&
      !ofN &&
      !times;
    const last = prev?.norm === 'last' || prev?.norm === 'the last';
    if (
      this.medContext(seg) &&
      !boundTight &&
      (times || ofN || kind || last || has(next, 'kind') || has(next, 'doseNoun') || adverbCounts.has(it.norm) || has(next, 'med'))
    ) {
      const runWord = (x: Item) => x.tags.some((tag) => tag.t === 'kind' && tag.kind === 'run');
      const run =
        this.near(i).some(runWord) ||
        (!this.near(i).some((x) => has(x, 'kind')) && this.items.slice(i, i + WINDOW).some(runWord)) ||
        (last && (kind === 'missed' || kind === 'refused' || kind === 'notTaken'));
      const start = times ? i - 1 : i;
      const end = ofN ? ofN.index : i;
      // "N of M" without a dose word in its clause is N given of M due.
      // A bracket with no kind of its own takes the clause's before it: "refused on the last two occasions (two of seven doses)".
      const first = items[this.segStart[seg]];
      const bracketed = seg > 0 && (this.tokens[first.from - 1]?.norm === '(' || this.tokens[first.from]?.norm === '(');
      // Only when it restates the clause's own count ("the last two … (two of seven)"), not "1 missed (13 of 14)".
      const restates = () =>
        items
          .slice(Math.max(this.segStart[seg - 1], this.segEnd[seg - 1] - WINDOW), this.segEnd[seg - 1] + 1)
          .some((x) => x.kind === 'num' && x.value === it.value);
      const kindBefore = () =>
        this.kindIn(items.slice(Math.max(this.segStart[seg - 1], this.segEnd[seg - 1] - WINDOW), this.segEnd[seg - 1] + 1), i, true);
      const ownKind = ofN ? (this.kindIn(this.near(i, 8), i, true) ?? (bracketed && restates() ? kindBefore() : null)) : kind;
      if (!kind && !ofN && !run)
        return void this.emit(start, end, { kind: 'never', why: 'a dose count that does not say missed, refused or given' });
      return void this.emit(start, end, {
        kind: 'count',
        target: this.medFor(i),
        count: run && !ofN ? 'run' : (ownKind ?? 'given'),
        value: it.value,
        decimals: it.decimals,
        of: ofN ? ofN.value : null,
        last,
        approx: this.approxBefore(i),
      });
    }

    // --- counts of observation sets: "3 sets", "the last 2 complete sets" ---
    if (has(next, 'setNoun')) {
      // "the last two sets" are some of them: at most as many as were recorded.
      const within = prev?.norm === 'last' || prev?.norm === 'the last' || prev?.norm === 'previous';
      return void this.emit(i, i + 1, { kind: 'setCount', value: it.value, within });
    }

    // --- values of a parameter ---
    const bound = this.paramFor(i);
    const unitTag = tagOf(next, 'unit');
    if (unitTag?.unit === 'other') return void this.emit(i, i + 1, { kind: 'never', why: 'a unit no fact is in' });
    let param: Param | 'unknown' | null = bound?.param ?? null;
    if (unitTag?.unit === 'celsius' && param !== 'temperature') param = param === null || param === 'news2' ? 'temperature' : param;
    if (unitTag?.unit === 'bpm') param = param === 'heartRate' || param === null ? 'heartRate' : 'unknown';
    if (unitTag?.unit === 'breaths') param = param === 'respiratoryRate' || param === null ? 'respiratoryRate' : 'unknown';
    if (unitTag?.unit === 'mmHg' && (param === null || param === 'bp')) param = 'systolicBp';
    const end = unitTag ? i + 1 : i;
    if (param === null && this.setAt[i] === 'mean' && (this.sentenceHas('trendNoun') || this.sentenceHas('direction'))) param = 'news2';
    // "peak 9 (high)", "now 8 (high risk)": a number with a band in brackets is a NEWS2 total.
    if (param === null && after?.norm === '(' && has(items[i + 2], 'band')) param = 'news2';
    // "Trend stable (5–6 across all four sets)": a range of totals.
    if (
      param === null &&
      marks.between.has(i) &&
      (this.sentenceHas('trendNoun') || this.sentenceHas('direction') || this.sentenceHas('setNoun'))
    )
      param = 'news2';
    // "the score between 5 and 6": in a handover the only score is NEWS2; "The score has been rising, up from 6" too.
    if (param === null && items.slice(Math.max(this.segStart[seg], i - WINDOW), i).some(isScoreWord)) param = 'news2';
    if (param === null && (marks.from.has(i) || marks.to.has(i) || marks.listed.has(i)) && this.scoreInSentence[i]) param = 'news2';
    if (
      it.value === 0 &&
      !unitTag &&
      (this.segHas(seg, 'exception') ||
        (this.segHas(seg, 'quantAll') &&
          /parameter|observation|value/.test(
            this.near(i)
              .map((x) => x.norm)
              .join(' '),
          )))
    ) {
      return void this.emit(i, i, { kind: 'reassure', reassurance: 'normal', scope: 'except', set: { ref: this.refFor(i, marks) } });
    }
    if (param === 'news2') {
      const claim = this.emit(
        i,
        end,
        {
          kind: 'news2',
          value: it.value,
          decimals: it.decimals,
          approx: this.approxBefore(i),
          set: { ref: this.refFor(i, marks) },
          acknowledgesPartial: this.sentenceHas('partial') || this.sentenceHas('rejection') || this.atLeast,
        },
        this.labelOf(i),
      );
      this.recordValue(i, claim);
      return;
    }
    if (param === 'unknown') return void this.emit(i, end, { kind: 'never', why: 'a measurement the facts do not hold' });
    // "Low SBP at 88: the only scoring parameter, but a 3": no SpO2, blood pressure, pulse or temperature reads 0–3,
    // so in a sentence about scores such a bare number is the parameter's sub-score (checked as one).
    if (param && NEVER_UNDER_4.has(param) && !unitTag && it.decimals === 0 && it.value <= 3 && this.sentenceHas('scoreWord')) {
      const scored = scoredOf[param];
      if (scored) return void this.emit(i, end, { kind: 'subscore', param: scored, value: it.value, set: { ref: this.refFor(i, marks) } });
    }
    const vital = param ? vitalOf[param] : undefined;
    if (vital) {
      return this.emitValue(i, end, vital, marks);
    }
    if (it.digits) this.emit(i, end, { kind: 'never', why: 'no fact this number is a value of' });
  }

  private readWords(i: number, marks: Marks): void {
    const items = this.items;
    const it = items[i];
    const seg = it.seg;
    const set: SetSpec = { ref: this.setAt[i] };
    // "low throughout", "never been high risk", "on room air throughout": a state over every set when its clause says
    // so, before or after the word.
    const stateSet: SetSpec = this.segAll(seg) || this.neverAt(i) ? { ref: 'all' } : set;
    let negated = this.negatedAt(i);
    const news2In = (s: number) => this.segNews2[s] ?? false;
    const sentenceNews2 = this.segNews2.some(Boolean);
    const vitalNear = (): VitalParam | null => {
      let best: { p: VitalParam; d: number } | null = null;
      for (const x of this.near(i)) {
        const v = vitalParamOf(x);
        const d = Math.abs(x.index - i);
        if (v && (!best || d < best.d)) best = { p: v, d };
      }
      return (best as { p: VitalParam } | null)?.p ?? null;
    };

    for (const tag of it.tags) {
      switch (tag.t) {
        case 'band': {
          if (it.used) break;
          // "medium-risk": the hyphen between is nothing.
          const hyphen = items[i + 1]?.norm === '-' ? 1 : 0;
          const next = items[i + 1 + hyphen];
          const riskAfter = has(next, 'risk');
          const nounAfter =
            next !== undefined &&
            next.seg === seg &&
            !has(next, 'risk') &&
            (paramOf(next) !== null || next.kind === 'word' || has(next, 'doseNoun') || has(next, 'adherence') || has(next, 'med'));
          // "The score is low": in a handover, the score is NEWS2.
          const news2Near = news2In(seg) || news2In(seg - 1) || sentenceNews2 || this.sentenceHas('scoreWord');
          if (!riskAfter && tag.band !== 'low-medium' && !(news2Near && !nounAfter)) break;
          // The NEWS2 total this band describes: the nearest before it, in its clause or the two before.
          const owner = this.news2Before[i];
          const ownerSet = owner && owner.claim.kind === 'news2' && items[owner.item].seg >= seg - 2 ? owner.claim.set : null;
          const atLeast = items[i - 1]?.norm === 'at least' || (items[i - 1]?.norm === 'least' && items[i - 2]?.norm === 'at');
          this.emit(i, riskAfter ? i + 1 + hyphen : i, { kind: 'band', band: tag.band, set: ownerSet ?? stateSet, atLeast, negated });
          break;
        }
        case 'scoreWord': {
          // "SpO2 94% did not score", "oxygen does not contribute": that parameter's sub-score is 0.
          if (!negated || it.used) break;
          const named = this.lastParam[i];
          const scored =
            named && named.param !== 'unknown' && named.at >= i - 6 && items[named.at].seg === seg ? scoredOf[named.param] : null;
          if (scored) this.emit(i, i, { kind: 'subscore', param: scored, value: 0, set });
          break;
        }
        case 'redScore':
          this.emit(i, i, { kind: 'redScore', negated, set });
          break;
        case 'singleParam':
          // "not a single Apixaban dose": a single dose, not a single parameter.
          if (has(items[i + 1], 'med') || has(items[i + 1], 'doseNoun')) break;
          if (negated || this.near(i).some((x) => x.kind === 'num' && x.value === 3)) {
            this.emit(i, i, { kind: 'redScore', negated, set });
          }
          break;
        case 'direction': {
          if (it.used) break;
          // "temperature not recorded, so the true score may be higher": what a partial set means, not a trend.
          const modal = items[i - 1]?.norm === 'be' && /^(may|might|could)$/.test(items[i - 2]?.norm ?? '');
          if (modal && tag.dir === 'rising' && it.norm === 'higher' && this.sentenceHas('partial')) {
            this.emit(i, i, { kind: 'partial', value: true, params: [], set });
            break;
          }
          // "rose from 4", "down from 9": a "from" within a few words makes this a comparison of two values.
          let fromNumber: number | undefined;
          for (let k = Math.max(0, i - 8); k <= Math.min(items.length - 1, i + 8) && fromNumber === undefined; k++) {
            if (has(items[k], 'from')) fromNumber = marks.fromNumber.get(k);
          }
          const fromClaim = fromNumber !== undefined ? this.valueAt.get(fromNumber) : undefined;
          const patientWord = /deteriorat|worsen|improv|better|recover/.test(it.norm);
          if (fromClaim && (fromClaim.kind === 'news2' || fromClaim.kind === 'value') && !patientWord) {
            this.comparison(i, tag.dir, fromNumber!, fromClaim, marks);
            break;
          }
          // "NEWS2 was higher earlier", "worse yesterday": it has come down since, the other direction ("higher than
          // yesterday" is not).
          const comparedBack =
            /^(higher|lower|worse|better)$/.test(it.norm) &&
            items[i + 1]?.norm !== 'than' &&
            items.slice(i + 1, i + 4).some((x) => x.seg === seg && tagOf(x, 'qualifier')?.set === 'any');
          const dir: Direction = comparedBack ? ({ rising: 'falling', falling: 'rising', stable: 'stable' } as const)[tag.dir] : tag.dir;
          const vital = vitalNear();
          const isFlagWord = /^(fall|fell|fallen)$/.test(it.norm);
          if (
            !vital &&
            (news2In(seg) ||
              this.segHas(seg, 'trendNoun') ||
              (seg > 0 && this.segHas(seg - 1, 'trendNoun') && this.segEnd[seg - 1] - this.segStart[seg - 1] <= 1) ||
              sentenceNews2 ||
              this.scoreInSeg[i]) &&
            !(isFlagWord && !news2In(seg))
          )
            this.emit(i, i, { kind: 'trend', dir, negated });
          else if (vital && !isFlagWord && !negated) this.emit(i, i, { kind: 'paramTrend', param: vital, dir });
          else if (patientWord) this.emit(i, i, { kind: 'trend', dir, negated });
          else if (dir === 'stable' && !this.medContext(seg) && !this.notesContext(seg))
            this.emit(i, i, { kind: 'reassure', reassurance: 'stable', scope: 'set', set });
          break;
        }
        case 'reassure': {
          if (it.used) break;
          if (negated && tag.kind !== 'noEscalation' && tag.kind !== 'noConcerns') break;
          if (this.notesContext(seg)) {
            if (tag.kind === 'noConcerns' || tag.kind === 'normal') this.emit(i, i, { kind: 'noFlags' });
            break;
          }
          if (tag.kind === 'normal') {
            const vital = vitalNear();
            const except = this.sentenceHas('exception');
            const recorded = this.saysRecorded;
            const scope = except ? 'except' : vital && !this.segHas(seg, 'quantAll') ? vital : recorded ? 'recorded' : 'set';
            this.emit(i, i, { kind: 'reassure', reassurance: 'normal', scope, set });
          } else this.emit(i, i, { kind: 'reassure', reassurance: tag.kind, scope: 'set', set });
          break;
        }
        case 'abnormal':
          if (!negated) this.emit(i, i, { kind: 'abnormal', set });
          break;
        case 'partial': {
          if (it.used) break;
          const paramsOf = (x: Item) => {
            const p = paramOf(x);
            if (p === 'consciousness') return ['consciousness'];
            const v = vitalParamOf(x);
            return v ? [v] : [];
          };
          const params = this.near(i, 8).flatMap(paramsOf) as VitalParam[];
          // "no temperature or consciousness level", "neither temperature nor consciousness was recorded": in a sentence
          // about a partial set, the parameters it says were not there.
          for (const p of this.negatedParams()) if (!params.includes(p)) params.push(p);
          // "(SpO2, pulse and temperature not recorded)": the list before it, across its commas (a few items back).
          for (let k = i - 1; k >= Math.max(0, i - 20); k--) {
            const x = items[k];
            const sep = x.kind === 'punct' ? this.tokens[x.from].norm === ',' : /^(and|or)$/.test(x.norm);
            if (!sep && paramOf(x) === null) break;
            for (const p of paramsOf(x) as VitalParam[]) if (!params.includes(p)) params.push(p);
          }
          if (this.medContext(seg) && params.length === 0) break;
          // "Nothing is missing from the latest set", "the set is not incomplete": a claim that it is complete.
          if (negated && params.length === 0 && it.norm !== 'without') {
            this.emit(i, i, { kind: 'partial', value: false, params: [], set });
            break;
          }
          if ((it.norm === 'without' || it.norm === 'missing') && params.length === 0 && !this.obsContext(seg)) break;
          this.emit(i, i, { kind: 'partial', value: true, params, set });
          break;
        }
        case 'complete': {
          // "a full set is needed" asks for one; only a statement about a set is a claim.
          const indefinite = /^(a|an|another)$/.test(items[i - 1]?.norm ?? '');
          if (
            !indefinite &&
            !this.medContext(seg) &&
            !it.used &&
            !this.near(i).some((x) => /^(needed|need|needs|required|requires|repeat|due|overdue|should|please)$/.test(x.norm))
          ) {
            this.emit(i, i, { kind: 'partial', value: negated, params: [], set });
          }
          break;
        }
        case 'overdue':
          // "overdue after 6 h" states the rule, not that they are overdue.
          if (/^(after|if|beyond|when)$/.test(items[i + 1]?.norm ?? '')) break;
          if (!this.medContext(seg) || this.obsContext(seg)) this.emit(i, i, { kind: 'overdue', value: !negated });
          break;
        case 'notOverdue':
          this.emit(i, i, { kind: 'overdue', value: false });
          break;
        case 'oxygenState':
          if (!it.used) this.emit(i, i, { kind: 'oxygen', on: negated ? !tag.on : tag.on, set: stateSet });
          break;
        case 'consciousness': {
          const next = items[i + 1];
          if (it.norm === 'alert' && next && /^(the|medical|team|doctor|nurse|staff)/.test(next.norm)) break;
          this.emit(i, i, { kind: 'consciousness', level: tag.level, set: stateSet, negated });
          break;
        }
        case 'qualitative':
          // "Fever has resolved", "hypotension ruled out": gone, as "not febrile" says.
          this.emit(i, i, { kind: 'qualitative', word: tag.word, set: stateSet, negated: negated || this.goneAfter(i) });
          break;
        case 'response': {
          if (this.notesContext(seg) || it.used) break;
          // "No need for emergency assessment", "critical care review is not required": a response said not to be
          // needed is a claim too, false where the chart's band calls for it.
          const notNeeded = negated || this.notNeededAfter(i);
          // "decides frequency/escalation", "who decide whether to escalate": the chart's low bands leave it to judgement.
          if (
            tag.level === 'inform' &&
            items.slice(Math.max(0, i - 3), i).some((x) => /^(decide|decides|whether|if|may|might|consider)$/.test(x.norm))
          )
            break;
          this.emit(i, i, { kind: 'response', level: tag.level, set, negated: notNeeded });
          break;
        }
        case 'frequency':
          if (!it.used) this.emit(i, i, { kind: 'frequency', hours: tag.hours, atLeast: this.atLeast, set });
          break;
        case 'flag': {
          if (it.used) break;
          const fallWord =
            tag.flag === 'fall' && /^(fell|falls|found on the floor|on the floor)$/.test(it.norm) && !news2In(seg) && !vitalNear();
          const distinctive =
            fallWord || tag.flag === 'safeguarding' || tag.flag === 'DNACPR' || (tag.flag === 'pain' && !has(it, 'consciousness'));
          if (this.notesContext(seg) || distinctive) {
            if (tag.flag === 'refusal' && !this.notesContext(seg)) break;
            if (tag.flag === 'escalation' && !this.notesContext(seg)) break;
            this.emit(i, i, { kind: 'flag', flag: tag.flag, negated });
          }
          break;
        }
        case 'kind': {
          if (it.used || !this.medContext(seg) || this.notesContext(seg)) break;
          const counted = this.near(i).some((x) => x.kind === 'num' && x.used);
          // "no doses of Paracetamol were refused", "nothing else critical was missed or refused": the clause's negation,
          // with no number or conjunction between ("no Apixaban missed and 2 refused" makes two claims).
          if (!negated) {
            for (let k = i - 1; k >= Math.max(this.segStart[seg], i - 7); k--) {
              const x = items[k];
              if (x.kind === 'num' || /^(and|but|while|whereas)$/.test(x.norm)) break;
              // "not a single Apixaban dose was missed", "not one dose refused".
              if (
                /^(no|none|nothing|not any)$/.test(x.norm) ||
                (x.norm === 'not' && /^(a|a single|single|one)$/.test(items[k + 1]?.norm ?? ''))
              ) {
                negated = true;
                break;
              }
            }
            // After it: "she missed no critical medicines", "Apixaban missed: no", "missed Apixaban doses: none".
            const after = items.slice(i + 1, i + 5);
            const colon = after.findIndex((x) => x.norm === ':');
            if (
              /^(no|none|nil|nothing)$/.test(after[0]?.norm ?? '') ||
              (colon >= 0 && /^(no|none|nil|nothing|zero|0)$/.test(after[colon + 1]?.norm ?? ''))
            )
              negated = true;
          }
          // "nothing else critical was missed": about the medicines not named, which coverage checks one by one.
          if (negated && items.slice(Math.max(this.segStart[seg], i - 7), i).some((x) => /^(else|other)$/.test(x.norm))) break;
          const target = this.medFor(i);
          if (tag.kind === 'missed' || tag.kind === 'refused' || tag.kind === 'notTaken') {
            // "the most recent dose was missed", "the last dose refused": the current run of doses not taken is at least 1.
            if (!negated && !counted && this.lastDoseBefore(i)) {
              this.emit(i, i, { kind: 'count', target, count: 'run', value: 1, decimals: 0, of: null, last: true, approx: 'atLeast' });
              break;
            }
            if (negated) this.emit(i, i, { kind: 'noneMissed', target, count: tag.kind });
            else if (!counted && target !== 'overall') this.emit(i, i, { kind: 'notTaken', target, count: tag.kind });
          } else if (tag.kind === 'given' && !counted) {
            if (!negated && this.lastDoseBefore(i)) {
              // "the last dose of Apixaban was given": no dose not taken since.
              this.emit(i, i, { kind: 'count', target, count: 'run', value: 0, decimals: 0, of: null, last: true, approx: null });
            } else if (
              this.near(i).some((x) => has(x, 'quantAll') || (has(x, 'overall') && x.norm.startsWith('all '))) ||
              (typeof target === 'object' && target.meds.length > 0)
            ) {
              // "all doses given", "all medicines taken as prescribed", "Apixaban given as prescribed" (a medicine
              // given, no count: as it should be); "not all given", "not fully taken": some were not.
              this.emit(i, i, negated ? { kind: 'notTaken', target, count: 'notTaken' } : { kind: 'allGiven', target });
            }
          }
          break;
        }
        case 'adherence':
          if (!it.used && this.near(i).some((x) => has(x, 'quantAll')) && !this.near(i).some((x) => x.kind === 'num' && x.digits)) {
            this.emit(i, i, { kind: 'allGiven', target: this.medFor(i) });
          }
          break;
        case 'med':
          if (tag.meds.length === 0) this.emit(i, i, { kind: 'never', why: 'a medicine the patient is not prescribed' });
          break;
        case 'clock':
          if (!it.used && /day$/.test(it.norm)) this.emit(i, i, { kind: 'never', why: 'a day of the week: the facts give hours ago' });
          break;
        default:
          break;
      }
    }
  }

  /** "rose from 4 to 8", "down from 9", "fell from 9 to 7, 5, 3 and now 1": the direction must match the numbers. */
  private comparison(i: number, dir: Direction, fromItem: number, fromClaim: ValueClaim, marks: Marks): void {
    if (fromClaim.kind !== 'news2' && fromClaim.kind !== 'value') return;
    // The value it went to: the number after "to", else the sentence's last value of the same kind (or the latest set's).
    const toItem = marks.toNumberAfter.get(fromItem);
    const to =
      (toItem !== undefined ? this.valueAt.get(toItem) : undefined) ??
      (this.lastValue && this.lastValue.item !== fromItem && this.lastValue.claim.kind === fromClaim.kind
        ? this.lastValue.claim
        : undefined);
    this.emit(i, i, {
      kind: 'comparison',
      dir,
      from: fromClaim.value,
      to: to && (to.kind === 'news2' || to.kind === 'value') ? to.value : null,
      param: fromClaim.kind === 'news2' ? 'news2' : fromClaim.param,
    });
  }
}

/** The claims a number makes as a value: what a later time dates, and a comparison compares. */
type ValueClaim = Extract<Claim, { kind: 'news2' | 'value' | 'pair' }>;
/** A NEWS2 total or a reading: a number and how it was written. */
type NumberValue = Extract<Claim, { kind: 'news2' | 'value' }>;
const written = (c: NumberValue) => ({ value: c.value, decimals: c.decimals });

/**
 * "15 and 27 hours ago", "37, 25 and 13 hours ago": the unit written once after a list of numbers, for each of them.
 * Looks a few items ahead only (bounded, so reading stays linear).
 */
function unitAfterList(items: Item[], i: number, punct: (x: Item) => string): Item | undefined {
  let sawAnd = false;
  for (let k = i + 1; k < items.length && k <= i + 9; k++) {
    const x = items[k];
    if (x.kind === 'num') {
      if (sawAnd) return has(items[k + 1], 'timeUnit') ? items[k + 1] : undefined;
      continue;
    }
    if (x.norm === 'and') sawAnd = true;
    else if (!(x.kind === 'punct' && punct(x) === ',')) return undefined;
  }
  return undefined;
}

/** "the score": in a handover the only score is NEWS2. */
const isScoreWord = (x: Item) => x.norm === 'score' || x.norm === 'scores' || x.norm === 'the score';
/** The noun alone ("The score has been stable"), not the verb ("SpO2 88% scores 3 and is lower than…"). */
const isScoreNoun = (x: Item) => x.norm === 'score' || x.norm === 'the score';

interface Marks {
  /** Numbers right after "from", "to", "between" (and both ends of a range). */
  from: Set<number>;
  to: Set<number>;
  between: Set<number>;
  /** A range's first number → its second ("between 5 and 6", "5–6"). */
  ranges: Map<number, number>;
  /** Numbers joined by arrows, earlier to latest ("4→6→8", "9->1"). */
  series: number[][];
  /** Numbers listed after a from/to number ("to 7, 5, 3"). */
  listed: Set<number>;
  lastNumber: number;
  /** "from" item → its number; a "from" number → the number after the following "to". */
  fromNumber: Map<number, number>;
  toNumberAfter: Map<number, number>;
}

/**
 * Reads a sentence. Numbers are classified by what stands around them (a unit, "%", "of N", a dose word, a
 * parameter), bound to the parameter they follow in their clause (or the one right after, or the sentence's
 * last), and to the set the sentence's qualifiers point at (the latest unless it says otherwise). Every number
 * no rule claims becomes an unsupported claim. Words carry claims of their own (bands, trends, reassurance...).
 */
export function readSentence(text: string, context: ReadContext): Claim[] {
  return new SentenceReader(text, context).read();
}
