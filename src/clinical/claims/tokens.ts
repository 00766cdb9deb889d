// A sentence as tokens (words, numbers, punctuation) in one linear pass, and its tokens tagged by the lexicon's phrases.
import { numberWords, phrases, type Tag } from './lexicon';

export interface Token {
  kind: 'word' | 'number' | 'punct';
  /** As written (after Unicode normalisation). */
  text: string;
  /** Lower case. */
  norm: string;
  start: number;
  end: number;
  /** Numbers: the value and the decimals written ("37.80" has 2). */
  value: number;
  decimals: number;
  /** Whitespace right before this token. */
  spaced: boolean;
}

/** Unicode look-alikes folded so that one table covers them: NFKC (SpO₂ → SpO2, full-width digits), dashes, quotes. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2010\u2011\u2012\u2013\u2212]/g, '-')
    .replace(/[\u2018\u2019\u2032]/g, "'")
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0';
const letter = /\p{L}/u;
const isLetter = (c: string) => letter.test(c);

/**
 * One left-to-right pass: O(length). "x3" and "×3" become a times sign and a number; a number glued to
 * letters ("2h", "4th", "38.4C") is split; letters glued to digits ("SpO2", "NEWS2", "O2") stay one word.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = false;
  const push = (kind: Token['kind'], start: number, end: number, value = 0, decimals = 0) => {
    const raw = text.slice(start, end);
    tokens.push({ kind, text: raw, norm: raw.toLowerCase(), start, end, value, decimals, spaced });
    spaced = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      spaced = true;
      i++;
      continue;
    }
    // A minus sign written before a number ("-4", not "4-6" or "-hourly") makes it negative.
    const negative = c === '-' && isDigit(text.charCodeAt(i + 1)) && (i === 0 || isSpace(text[i - 1]) || text[i - 1] === '(');
    if (isDigit(text.charCodeAt(i)) || negative) {
      const start = i;
      if (negative) i++;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      let decimals = 0;
      if (text[i] === '.' && i + 1 < text.length && isDigit(text.charCodeAt(i + 1))) {
        i++;
        const fraction = i;
        while (i < text.length && isDigit(text.charCodeAt(i))) i++;
        decimals = i - fraction;
      }
      push('number', start, i, Number(text.slice(start, i)), decimals);
      // Ward shorthand "2/7 ago" is two days ago ("/7" days): written as a unit, then read as any time is.
      if (/^\/7(?![\d.])\s*ago\b/i.test(text.slice(i, i + 12))) {
        push('word', i, i + 2);
        tokens[tokens.length - 1].norm = 'days';
        i += 2;
      }
      continue;
    }
    if (isLetter(c)) {
      const start = i;
      while (i < text.length && (isLetter(text[i]) || isDigit(text.charCodeAt(i)) || (text[i] === "'" && isLetter(text[i + 1] ?? '')))) i++;
      const word = text.slice(start, i);
      const times = /^[xX](\d+)$/.exec(word);
      // "RR16", "HR72bpm", "Sats98": a parameter's abbreviation glued to its value is the two.
      const glued = /^(rr|hr|sats|sbp|dbp|bp|pulse)(\d+)([a-z]*)$/i.exec(word);
      if (glued) {
        const digitsAt = start + glued[1].length;
        const unitAt = digitsAt + glued[2].length;
        push('word', start, digitsAt);
        push('number', digitsAt, unitAt, Number(glued[2]));
        if (unitAt < i) push('word', unitAt, i);
      } else if (times) {
        push('punct', start, start + 1);
        tokens[tokens.length - 1].norm = '×';
        push('number', start + 1, i, Number(times[1]));
      } else if (word.length > 3 && /n't$/i.test(word)) {
        // "isn't", "doesn't", "can't": the verb, then a "not" (its text "n't"), so every "not" phrase and the negation
        // window read them as they read "is not".
        push('word', start, i - 3);
        push('word', i - 3, i);
        tokens[tokens.length - 1].norm = 'not';
      } else if (word.toLowerCase() === 'cannot') {
        push('word', start, start + 3);
        push('word', start + 3, i);
      } else push('word', start, i);
      continue;
    }
    push('punct', i, i + 1);
    i++;
  }
  return mergeNews2(tokens);
}

/** "NEWS 2" and "NEWS-2" are the score's name, not a value of 2. */
function mergeNews2(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'word' && t.norm === 'news') {
      const hyphen = tokens[i + 1]?.norm === '-' && !tokens[i + 1].spaced ? 1 : 0;
      const two = tokens[i + 1 + hyphen];
      if (
        two?.kind === 'number' &&
        two.value === 2 &&
        two.decimals === 0 &&
        (hyphen || two.spaced) &&
        tokens[i + 2 + hyphen]?.norm !== '%'
      ) {
        out.push({ ...t, text: `${t.text} 2`, norm: 'news2', end: two.end });
        i += 1 + hyphen;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  tags: Tag[];
}

function buildTrie(entries: [string, Tag | Tag[]][]): TrieNode {
  const root: TrieNode = { next: new Map(), tags: [] };
  for (const [phrase, tag] of entries) {
    let node = root;
    for (const token of tokenize(phrase)) {
      if (token.norm === '-') continue;
      let child = node.next.get(token.norm);
      if (!child) node.next.set(token.norm, (child = { next: new Map(), tags: [] }));
      node = child;
    }
    // The same phrase in several tables carries every tag ("fall": a trend word and a note flag), each once.
    for (const t of Array.isArray(tag) ? tag : [tag]) {
      if (!node.tags.some((existing) => JSON.stringify(existing) === JSON.stringify(t))) node.tags.push(t);
    }
  }
  return root;
}

const lexiconTrie = buildTrie(phrases);

export interface Tagged {
  /** Index of the first and one past the last token of the phrase. */
  from: number;
  to: number;
  tags: Tag[];
}

/** A hyphen written inside a compound ("low-medium", "sub-score"), skipped when matching phrases. */
const innerHyphen = (tokens: Token[], i: number) =>
  tokens[i].norm === '-' &&
  !tokens[i].spaced &&
  i > 0 &&
  i + 1 < tokens.length &&
  !tokens[i + 1].spaced &&
  tokens[i - 1].kind === 'word' &&
  tokens[i + 1].kind === 'word';

/** The longest phrase of `trie` starting at token `i`, or null. Phrases are at most a few words: O(1) per position. */
function longestAt(trie: TrieNode, tokens: Token[], i: number): Tagged | null {
  let node = trie;
  let best: Tagged | null = null;
  let j = i;
  while (j < tokens.length) {
    if (j > i && innerHyphen(tokens, j)) {
      j++;
      continue;
    }
    const child = node.next.get(tokens[j].norm);
    if (!child) break;
    node = child;
    j++;
    if (node.tags.length) best = { from: i, to: j, tags: node.tags };
  }
  return best;
}

/** Number words, compounds included ("twenty-two"), as a number tag. */
function numberWordAt(tokens: Token[], i: number): Tagged | null {
  const first = numberWords[tokens[i].norm];
  if (first === undefined || tokens[i].kind !== 'word') return null;
  if (first >= 20 && first < 100 && first % 10 === 0) {
    const j = tokens[i + 1]?.norm === '-' ? i + 2 : i + 1;
    const unit = tokens[j] && numberWords[tokens[j].norm];
    if (unit !== undefined && unit >= 1 && unit <= 9 && tokens[j].kind === 'word')
      return { from: i, to: j + 1, tags: [{ t: 'number', value: first + unit }] };
  }
  return { from: i, to: i + 1, tags: [{ t: 'number', value: first }] };
}

/**
 * Tags every position: the longest phrase of the extra trie (the patient's medicines) or the lexicon wins;
 * number words are tagged where no phrase is. Non-overlapping, left to right.
 */
export function tagTokens(tokens: Token[], extra: TrieNode | null): Tagged[] {
  const out: Tagged[] = [];
  let i = 0;
  while (i < tokens.length) {
    const candidates = [extra && longestAt(extra, tokens, i), longestAt(lexiconTrie, tokens, i)].filter((c): c is Tagged => c !== null);
    const best = candidates.sort((a, b) => b.to - a.to)[0];
    // A number word that is also a phrase ("single", "both") keeps both readings.
    const word = numberWordAt(tokens, i);
    if (best && (!word || best.to >= word.to)) {
      out.push(word && word.to === best.to ? { ...best, tags: [...best.tags, ...word.tags] } : best);
      i = best.to;
    } else if (word) {
      out.push(word);
      i = word.to;
    } else i++;
  }
  return out;
}

export { buildTrie, type TrieNode };
