// Facts referenced by name in an answer ("{vitals.latest.spo2}") written out by the service, with label and unit.
import { isIdentifierOrTimestampKey, type Facts } from '../facts';
import { type Param } from './lexicon';
import { normalise, tagTokens, tokenize } from './tokens';

/** A reference: braces around a dot path into the facts (brackets allowed for array indices). */
const reference = /\{([A-Za-z][A-Za-z0-9_]*(?:(?:\.[A-Za-z0-9_]+)|(?:\[\d+\])){0,8})\}/g;

const vitalLabels: Record<string, { param: Param; label: string; unit: string }> = {
  respiratoryRate: { param: 'respiratoryRate', label: 'respiratory rate', unit: '/min' },
  spo2: { param: 'spo2', label: 'SpO2', unit: '%' },
  systolicBp: { param: 'systolicBp', label: 'systolic BP', unit: ' mmHg' },
  diastolicBp: { param: 'diastolicBp', label: 'diastolic BP', unit: ' mmHg' },
  heartRate: { param: 'heartRate', label: 'heart rate', unit: '/min' },
  temperatureC: { param: 'temperature', label: 'temperature', unit: ' °C' },
};

/** The value at a path, or undefined: own properties only, never identifiers or timestamps. */
export function factAt(facts: Facts, path: string): unknown {
  let node: unknown = facts;
  for (const key of path
    .replace(/^facts\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')) {
    if (!key || isIdentifierOrTimestampKey(key) || node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node) ? !/^(?:0|[1-9]\d*)$/.test(key) : !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The parameter the text just before a reference already names ("SpO2 {vitals.latest.spo2}"): then no label is added. */
function namedBefore(text: string): Param | null {
  const tail = normalise(text.slice(-40));
  const tokens = tokenize(tail);
  const tagged = tagTokens(tokens, null);
  const last = tagged[tagged.length - 1];
  if (!last || last.to < tokens.length - 2) return null;
  const param = last.tags.find((tag) => tag.t === 'param');
  return param && param.t === 'param' ? param.param : null;
}

/** The text right after a count reference says its kind within two words ("{…missed} doses missed"). */
const saysKind: Record<string, RegExp> = Object.fromEntries(
  ['missed', 'refused', 'given', 'held', 'due'].map((kind) => [kind, new RegExp(`^\\W*(\\w+\\W+){0,2}${kind}\\b`, 'i')]),
);

export interface Rendered {
  text: string;
  /** References that name no fact (or a fact that cannot be written): unsupported as written. */
  unknown: string[];
}

/**
 * Writes each reference out. A vital sign gets its label (unless the text names it just before) and unit; a
 * NEWS2 total its name, and "partial" when its set is partial; hours ago "N h ago" ("N h" before "ago" or "since"); percentages "%". The
 * result is read and checked like any other text: rendering makes numbers right, not the words around them.
 */
export function renderReferences(text: string, facts: Facts): Rendered {
  const unknown: string[] = [];
  if (!text.includes('{')) return { text, unknown };
  let out = '';
  let last = 0;
  for (const match of text.matchAll(reference)) {
    const path = match[1].replace(/\[(\d+)\]/g, '.$1');
    const before = text.slice(last, match.index);
    out += before;
    last = match.index + match[0].length;
    const written = render(path, factAt(facts, path), facts, out, text.slice(last));
    if (written === null) {
      unknown.push(match[0]);
      out += match[0];
    } else out += written;
  }
  return { text: out + text.slice(last), unknown };
}

function render(path: string, value: unknown, facts: Facts, before: string, after: string): string | null {
  const key = path.split('.').pop()!;
  const setPath = /^news2\.(latest|max|scores\.\d+)/.exec(path)?.[0];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (key === 'total' && setPath) {
      const set = factAt(facts, setPath) as { partial?: boolean } | undefined;
      const partial = set?.partial && !/partial/i.test(before + after) ? 'partial ' : '';
      return namedBefore(before) === 'news2' ? `${partial}${value}` : `${partial}NEWS2 ${value}`;
    }
    // "{...hoursAgo} ago", "{...} since the last set": the text says the rest.
    if (key === 'hoursAgo' || key === 'hoursSinceLastObservation')
      return /^\s*(ago|since)\b/i.test(after) ? `${value} h` : `${value} h ago`;
    if (key === 'overdueAfterHours') return `${value} h`;
    // A medicine's count says what it counts ("Apixaban: {adherence.meds.0.missed}" → "Apixaban: 2 missed") unless
    // the text goes on to say it; an adherence percentage says it is one.
    const countKind = /^adherence\.meds\.\d+\.(missed|refused|given|held|due)$/.exec(path)?.[1];
    if (countKind) {
      // "N of M" and "of M" are ratios the text words itself ("{given} of {due} given").
      const ratio = /^\s*(of\b|\/)/i.test(after) || /\b(of|out of)\s*$/i.test(before);
      const says = saysKind[countKind].test(after);
      return ratio || says ? String(value) : `${value} ${countKind}`;
    }
    if (key === 'pct' || key === 'overallPct') {
      const pct = /^\s*%/.test(after) ? `${value}` : `${value}%`;
      const said = /adherence|compliance|of doses|doses given/i.test(before.slice(-40) + after.slice(0, 30));
      return said ? pct : key === 'overallPct' ? `overall adherence ${pct}` : `${pct} of doses given`;
    }
    const vital = vitalLabels[key];
    if (vital && /(^|\.)(latest|values)\.[A-Za-z0-9]+$/.test(path)) {
      const unit = after.trimStart().startsWith(vital.unit.trim()) ? '' : vital.unit;
      return namedBefore(before) === vital.param || (vital.param === 'systolicBp' && namedBefore(before) === 'bp')
        ? `${value}${unit}`
        : `${vital.label} ${value}${unit}`;
    }
    return String(value);
  }
  if (typeof value === 'string') return value;
  return null;
}
