// Judges each claim against the facts: true, or unsupported with a reason written from the facts alone.
import type { MedicationAdherence } from '../adherence';
import type { Facts } from '../facts';
import type { RiskBand } from '../news2';
import type { ScoredSet } from '../vitals';
import { qualitativeRules, type Approx } from './lexicon';
import type { Claim, MedTarget, ScoredParam, SetSpec, TimeValue, VitalParam } from './types';

export type Verdict = { ok: true } | { ok: false; reason: string };
const yes: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** What the whole answer says, for claims that depend on it ("other observations normal" excepts what it named). */
export interface AnswerContext {
  /** NEWS2 parameters the answer gives a value, sub-score or state for. */
  named: Set<ScoredParam>;
}

const bandOrder: RiskBand[] = ['low', 'low-medium', 'medium', 'high'];
const valueKey: Record<VitalParam, 'respiratoryRate' | 'spo2' | 'systolicBp' | 'diastolicBp' | 'heartRate' | 'temperatureC'> = {
  respiratoryRate: 'respiratoryRate',
  spo2: 'spo2',
  systolicBp: 'systolicBp',
  diastolicBp: 'diastolicBp',
  heartRate: 'heartRate',
  temperature: 'temperatureC',
};
export const scoredKey: Record<VitalParam, ScoredParam | null> = {
  respiratoryRate: 'respiratoryRate',
  spo2: 'spo2',
  systolicBp: 'systolicBp',
  diastolicBp: null,
  heartRate: 'pulse',
  temperature: 'temperature',
};
const labels: Record<VitalParam, [string, string]> = {
  respiratoryRate: ['respiratory rate', '/min'],
  spo2: ['SpO2', '%'],
  systolicBp: ['systolic BP', ' mmHg'],
  diastolicBp: ['diastolic BP', ' mmHg'],
  heartRate: ['heart rate', '/min'],
  temperature: ['temperature', ' °C'],
};
const setName = (spec: SetSpec) =>
  spec.at
    ? `no set ${describeTime(spec.at)}`
    : spec.ref === 'max'
      ? 'the highest-scoring set'
      : spec.ref === 'any'
        ? 'no set in the window'
        : spec.ref === 'all'
          ? 'not every set'
          : 'the latest set';
const describeTime = (t: TimeValue) =>
  `about ${Math.round((t.hours / t.unitHours) * 10) / 10} ${t.unitHours === 1 ? 'h' : t.unitHours === 24 ? 'days' : t.unitHours < 1 ? 'min' : 'weeks'} ago`;

/**
 * "37.8" stands for 37.75–37.85; "about 9" for ±5 % (±`about`; a time passes 15 %), never less than its rounding,
 * so "about 7" is 7 and "around 100 %" is not 88; "over 6" for more than 6, "under 8" for less than 8 (not 8).
 */
export function matches(claimed: number, decimals: number, fact: number, approx: Approx | null = null, about = 0.05): boolean {
  const rounding = 0.5 * 10 ** -decimals + 1e-9;
  switch (approx) {
    case 'over':
      return fact > claimed + 1e-9;
    case 'under':
      return fact < claimed - 1e-9;
    case 'atLeast':
      return fact >= claimed - 1e-9;
    case 'atMost':
      return fact <= claimed + 1e-9;
    case 'about':
      return Math.abs(fact - claimed) <= Math.max(rounding, about * Math.abs(claimed));
    default:
      return Math.abs(fact - claimed) <= rounding;
  }
}

/** A time as written against a fact's hours, in the unit written: "9 minutes" is not 9 hours. */
export function timeMatches(t: TimeValue, factHours: number): boolean {
  // "over 72 h", "within 6 hours": of a time, a span that includes its end.
  const approx = t.approx === 'over' ? 'atLeast' : t.approx === 'under' ? 'atMost' : t.approx;
  return matches(t.hours / t.unitHours, t.decimals, factHours / t.unitHours, approx, 0.15);
}

/** The sets a claim can be about, and whether it must hold for one of them or all. */
function setsOf(facts: Facts, spec: SetSpec): { sets: ScoredSet[]; every: boolean } {
  const { latest, max, scores } = facts.news2;
  let sets: ScoredSet[];
  switch (spec.ref) {
    case 'max':
      sets = max ? [max] : [];
      break;
    case 'any':
    case 'mean':
      sets = scores;
      break;
    case 'all':
      return { sets: scores, every: true };
    default:
      sets = latest ? [latest] : [];
  }
  if (spec.at) sets = sets.filter((set) => timeMatches(spec.at!, set.hoursAgo));
  return { sets, every: false };
}

function holds(facts: Facts, spec: SetSpec, test: (set: ScoredSet) => boolean): boolean {
  const { sets, every } = setsOf(facts, spec);
  return sets.length > 0 && (every ? sets.every(test) : sets.some(test));
}

const monitoringHours: Record<string, [number, number]> = {
  continuous: [0, 0],
  '1-hourly': [1, 1],
  '4–6-hourly': [4, 6],
  '12-hourly': [12, 12],
};

function medsOf(facts: Facts, target: MedTarget): MedicationAdherence[] | 'overall' | null {
  if (target === 'unknown') return null;
  if (target === 'overall') return 'overall';
  return target.meds.map((i) => facts.adherence.meds[i]).filter(Boolean);
}

function countOf(source: MedicationAdherence | Facts['adherence'], count: string): number | null {
  const med = source as MedicationAdherence;
  switch (count) {
    case 'missed':
      return source.missed;
    case 'refused':
      return source.refused;
    case 'given':
      return source.given;
    case 'held':
      return source.held;
    case 'due':
      return source.due;
    case 'notTaken':
      return source.missed + source.refused;
    case 'pct':
      return 'pct' in med ? med.pct : (source as Facts['adherence']).overallPct;
    default:
      return null;
  }
}

/** Sub-scores above 0 at a set, as NEWS2 parameter names. */
const scoring = (set: ScoredSet) =>
  (Object.entries(set.subScores) as [ScoredParam, number | null][]).filter(([, score]) => (score ?? 0) > 0).map(([p]) => p);
const completeZero = (set: ScoredSet | null) => set !== null && !set.partial && set.total === 0 && set.rejected.length === 0;

export function check(claim: Claim, facts: Facts, answer: AnswerContext): Verdict {
  const { news2, vitals, adherence } = facts;
  const latest = news2.latest;
  switch (claim.kind) {
    case 'never':
      return no(claim.why);

    case 'news2': {
      if (claim.set.ref === 'mean') {
        const means = [news2.trend.recentMean, news2.trend.previousMean].filter((m): m is number => m !== null);
        return means.some((m) => matches(claim.value, claim.decimals, m, claim.approx))
          ? yes
          : no(`the NEWS2 trend means are ${means.join(' and ') || 'unknown'}`);
      }
      const { sets, every } = setsOf(facts, claim.set);
      const hit = (set: ScoredSet) => matches(claim.value, claim.decimals, set.total, claim.approx);
      const ok = sets.length > 0 && (every ? sets.every(hit) : sets.some(hit));
      if (!ok) {
        const at = claim.set.ref === 'max' ? news2.max : claim.set.ref === 'latest' && !claim.set.at ? latest : null;
        return no(
          at
            ? `${claim.set.ref === 'max' ? 'the highest' : 'the latest'} NEWS2 is ${at.partial ? 'a partial ' : ''}${at.total}`
            : `${setName(claim.set)} has a NEWS2 of ${claim.value}`,
        );
      }
      const set = sets.find(hit)!;
      if (set.partial && !claim.acknowledgesPartial)
        return no(
          `that set is partial (${[...set.missing, ...set.rejected.map((r) => r.field)].join(', ')} not scored): say it is a partial NEWS2`,
        );
      return yes;
    }

    case 'value': {
      const key = valueKey[claim.param];
      const [label, unit] = labels[claim.param];
      if (claim.asRejected) {
        const spec =
          claim.set.ref === 'latest' && !claim.set.at
            ? claim.set
            : { ...claim.set, ref: claim.set.ref === 'latest' ? ('any' as const) : claim.set.ref };
        const found = holds(facts, spec, (set) =>
          set.rejected.some((r) => r.field === key && r.value !== null && matches(claim.value, claim.decimals, r.value)),
        );
        if (found) return yes;
        if (
          !claim.set.at &&
          holds(facts, { ref: 'any' }, (set) =>
            set.rejected.some((r) => r.field === key && r.value !== null && matches(claim.value, claim.decimals, r.value)),
          )
        )
          return yes;
      }
      // "The SpO2 of 88% is likely artefact": a reading the facts hold, dismissed as an error.
      if (claim.dismissed) return no(`${label} ${claim.value}${unit} is a reading the chart scored, not an error`);
      if (claim.target && claim.param === 'spo2' && news2.scale === 2 && claim.value >= 88 && claim.value <= 92) return yes;
      if (holds(facts, claim.set, (set) => set.values[key] !== null && matches(claim.value, claim.decimals, set.values[key], claim.approx)))
        return yes;
      const rejectedHere = holds(facts, claim.set.ref === 'latest' && !claim.set.at ? claim.set : { ref: 'any' }, (set) =>
        set.rejected.some((r) => r.field === key && r.value !== null && matches(claim.value, claim.decimals, r.value)),
      );
      if (rejectedHere) return no(`${label} ${claim.value}${unit} was rejected as impossible: say so, never as a reading`);
      const at = claim.set.ref === 'max' ? news2.max : claim.set.ref === 'latest' && !claim.set.at ? latest : null;
      if (at) {
        const value = at.values[key];
        return no(
          value === null
            ? `${label} was not recorded at ${claim.set.ref === 'max' ? 'the highest-scoring' : 'the latest'} set`
            : `${claim.set.ref === 'max' ? 'at the highest-scoring set' : 'the latest'} ${label} is ${value}${unit}`,
        );
      }
      return no(`${setName(claim.set)} has a ${label} of ${claim.value}${unit}`);
    }

    case 'pair': {
      const rejectedPair = (set: ScoredSet) =>
        set.rejected.some((r) => r.field === 'systolicBp' && r.value === claim.systolic) ||
        set.rejected.some((r) => r.field === 'diastolicBp' && r.value === claim.diastolic);
      if (claim.asRejected && holds(facts, claim.set.ref === 'latest' && !claim.set.at ? claim.set : { ref: 'any' }, rejectedPair))
        return yes;
      if (claim.dismissed) return no(`BP ${claim.systolic}/${claim.diastolic} mmHg is a reading the chart scored, not an error`);
      if (holds(facts, claim.set, (set) => set.values.systolicBp === claim.systolic && set.values.diastolicBp === claim.diastolic))
        return yes;
      const at = claim.set.ref === 'max' ? news2.max : latest;
      return no(
        at
          ? `the ${claim.set.ref === 'max' ? "highest-scoring set's" : 'latest'} BP is ${at.values.systolicBp ?? '?'}/${at.values.diastolicBp ?? '?'} mmHg`
          : 'no blood pressure was recorded',
      );
    }

    case 'subscore':
      return holds(facts, claim.set, (set) => set.subScores[claim.param] === claim.value)
        ? yes
        : no(
            `${claim.param} scores ${(claim.set.ref === 'max' ? news2.max : latest)?.subScores[claim.param] ?? 'nothing'} at ${claim.set.ref === 'max' ? 'the highest-scoring' : 'the latest'} set`,
          );

    case 'band': {
      const ok = holds(facts, claim.set, (set) => {
        if (claim.negated) return set.band !== claim.band && !(set.partial && bandOrder.indexOf(claim.band) > bandOrder.indexOf(set.band));
        if (claim.atLeast) return bandOrder.indexOf(set.band) >= bandOrder.indexOf(claim.band) || set.band === claim.band;
        return set.band === claim.band;
      });
      const at = claim.set.ref === 'max' ? news2.max : latest;
      if (!ok && claim.set.ref === 'all' && news2.max)
        return no(`not at every set: the highest NEWS2 in the window was ${news2.max.total} (${news2.max.band} risk)`);
      return ok
        ? yes
        : no(
            at
              ? `${claim.set.ref === 'max' ? 'the highest' : 'the latest'} NEWS2 (${at.partial ? 'partial ' : ''}${at.total}) is ${at.partial ? 'at least ' : ''}${at.band} risk`
              : 'no NEWS2 was scored',
          );
    }

    case 'redScore':
      return holds(facts, claim.set, (set) => set.anySingleThree === !claim.negated)
        ? yes
        : no(claim.negated ? 'a single parameter does score 3' : 'no single parameter scores 3');

    case 'trend': {
      const direction = news2.trend.direction;
      const ok = claim.negated ? direction !== 'unknown' && direction !== claim.dir : direction === claim.dir;
      return ok ? yes : no(`the NEWS2 trend is ${direction}`);
    }

    case 'paramTrend': {
      const key = valueKey[claim.param];
      const series = news2.scores.map((set) => set.values[key]).filter((v): v is number => v !== null);
      if (series.length < 2) return no(`too few ${labels[claim.param][0]} readings to say it is ${claim.dir}`);
      const last = series[series.length - 1];
      const tolerance = { respiratoryRate: 2, spo2: 1, systolicBp: 10, diastolicBp: 10, heartRate: 10, temperature: 0.3 }[claim.param];
      const against = [series[series.length - 2], series[0]];
      const ok = against.some((before) =>
        claim.dir === 'rising' ? last > before : claim.dir === 'falling' ? last < before : Math.abs(last - before) <= tolerance,
      );
      return ok ? yes : no(`${labels[claim.param][0]} went from ${against[0]} to ${last}`);
    }

    case 'comparison': {
      const to = claim.to ?? (claim.param === 'news2' ? latest?.total : latest?.values[valueKey[claim.param]]) ?? null;
      if (to === null) return no('nothing to compare with');
      const ok = claim.dir === 'rising' ? to > claim.from : claim.dir === 'falling' ? to < claim.from : to === claim.from;
      return ok ? yes : no(`from ${claim.from} to ${to} is not ${claim.dir}`);
    }

    case 'reassure':
      return reassurance(claim, facts, answer);

    case 'abnormal':
      return completeZero(latest) && news2.trend.direction !== 'rising' ? no('the latest set scores 0 on every parameter') : yes;

    case 'time':
      return time(claim, facts);

    case 'overdue':
      return vitals.overdue === claim.value
        ? yes
        : no(
            vitals.overdue
              ? `observations are overdue (last set ${vitals.hoursSinceLastObservation ?? '—'} h ago)`
              : `observations are not overdue (last set ${vitals.hoursSinceLastObservation} h ago, overdue after ${vitals.overdueAfterHours} h)`,
          );

    case 'partial': {
      const ok = holds(facts, claim.set, (set) => {
        if (!claim.value) return !set.partial;
        if (!set.partial) return false;
        const unscored = new Set<string>([...set.missing, ...set.rejected.map((r) => r.field)]);
        return claim.params.every((p) =>
          (p as string) === 'consciousness' ? unscored.has('consciousness') : unscored.has(scoredKey[p] ?? p) || unscored.has(valueKey[p]),
        );
      });
      const at = claim.set.ref === 'max' ? news2.max : latest;
      if (!ok && claim.set.ref === 'all' && news2.max)
        return no(`not at every set: the highest NEWS2 in the window was ${news2.max.total} (${news2.max.band} risk)`);
      return ok
        ? yes
        : no(
            at?.partial
              ? `at that set ${[...at.missing, ...at.rejected.map((r) => r.field)].join(', ')} were not scored`
              : 'that set is complete',
          );
    }

    case 'oxygen':
      return holds(facts, claim.set, (set) => set.values.onOxygen === claim.on)
        ? yes
        : no(`the patient was ${claim.on ? 'on air' : 'on oxygen'} at that set (or it was not recorded)`);

    case 'consciousness':
      return holds(
        facts,
        claim.set,
        (set) => set.values.consciousness !== null && (set.values.consciousness === claim.level) !== Boolean(claim.negated),
      )
        ? yes
        : no(`consciousness at that set is ${(claim.set.ref === 'max' ? news2.max : latest)?.values.consciousness ?? 'not recorded'}`);

    case 'qualitative': {
      const rule = qualitativeRules[claim.word];
      const param = rule.param as VitalParam;
      const key = valueKey[param];
      const scoredParam = scoredKey[param];
      const ok = holds(facts, claim.set, (set) => {
        const value = set.values[key];
        const score = scoredParam ? set.subScores[scoredParam] : null;
        if (value === null) return false;
        return claim.negated ? !rule.trueWhen(value, set.values.onOxygen, score) : !rule.falseWhen(value, set.values.onOxygen, score);
      });
      const value = (claim.set.ref === 'max' ? news2.max : latest)?.values[key];
      return ok
        ? yes
        : no(
            value === null || value === undefined
              ? `${labels[param][0]} was not recorded`
              : `${labels[param][0]} is ${value}${labels[param][1]}`,
          );
    }

    case 'response': {
      const needs: Record<string, RiskBand[]> = {
        emergency: ['high'],
        urgent: ['medium', 'high'],
        inform: ['low-medium', 'medium', 'high'],
      };
      const ok = holds(facts, claim.set, (set) => needs[claim.level].includes(set.band) !== claim.negated);
      return ok ? yes : no(`at ${latest?.band ?? 'no'} risk the NEWS2 response is: ${latest?.response.action ?? 'none'}`);
    }

    case 'frequency': {
      const ok = holds(facts, claim.set, (set) => {
        const [lo, hi] = monitoringHours[set.response.minimumMonitoring] ?? [NaN, NaN];
        // "at least hourly" states the chart's minimum, as "hourly" does: hourly where continuous monitoring is due
        // understates it, and 4–6-hourly where the chart says routine 12-hourly is another band's response.
        return claim.hours[0] >= lo && claim.hours[1] <= hi;
      });
      return ok ? yes : no(`minimum monitoring is ${latest?.response.minimumMonitoring ?? 'not set'}`);
    }

    case 'count':
      return count(claim, facts);

    case 'noneMissed': {
      const meds = medsOf(facts, claim.target);
      if (meds === null) return no('a medicine the patient is not prescribed');
      // "no critical medicine was missed" of a patient prescribed none.
      if (meds !== 'overall' && meds.length === 0) return yes;
      const sources = meds === 'overall' ? [adherence] : meds;
      return sources.length > 0 && sources.every((m) => (countOf(m, claim.count) ?? 1) === 0)
        ? yes
        : no(`${claim.count} doses: ${sources.map((m) => countOf(m, claim.count)).join(', ')}`);
    }

    case 'allGiven': {
      const meds = medsOf(facts, claim.target);
      if (meds === null) return no('a medicine the patient is not prescribed');
      const sources = meds === 'overall' ? [adherence] : meds;
      return sources.length > 0 && sources.every((m) => m.missed + m.refused === 0)
        ? yes
        : no(`${sources.map((m) => m.missed + m.refused).reduce((a, b) => a + b, 0)} doses were missed or refused`);
    }

    case 'notTaken': {
      const meds = medsOf(facts, claim.target);
      if (meds === 'overall')
        return countOf(adherence, claim.count)! > 0
          ? yes
          : no(`no dose was ${claim.count === 'notTaken' ? 'missed or refused' : claim.count}`);
      if (meds === null) return no('a medicine the patient is not prescribed');
      return meds.some((m) => (countOf(m, claim.count) ?? 0) > 0)
        ? yes
        : no(`${meds.map((m) => m.drug).join(', ')}: no dose ${claim.count === 'notTaken' ? 'missed or refused' : claim.count}`);
    }

    case 'range': {
      const label = claim.param === 'news2' ? 'NEWS2' : labels[claim.param][0];
      const valueOf = (set: ScoredSet) => (claim.param === 'news2' ? set.total : set.values[valueKey[claim.param]]);
      const all = news2.scores.flatMap((set) => {
        const value = valueOf(set);
        return value === null || value === undefined ? [] : [{ set, value }];
      });
      const isEnd = (end: { value: number; decimals: number }) => (x: { value: number }) => matches(end.value, end.decimals, x.value);
      let covered: typeof all;
      if (claim.scope === 'all') covered = all;
      else if (claim.scope === 'recent') {
        // The shortest stretch ending now that reaches both ends: from the less recent of their last occurrences.
        const lastOf = (end: { value: number; decimals: number }) => {
          for (let k = all.length - 1; k >= 0; k--) if (isEnd(end)(all[k])) return k;
          return -1;
        };
        const start = Math.min(lastOf(claim.lo), lastOf(claim.hi));
        covered = start < 0 ? [] : all.slice(start);
      } else {
        const hours = claim.scope.hours;
        covered = all.filter((x) => x.set.hoursAgo <= hours);
      }
      if (!covered.some(isEnd(claim.lo)) || !covered.some(isEnd(claim.hi)))
        return no(`no ${label} of ${claim.lo.value} and ${claim.hi.value} in the sets it covers`);
      const lo = claim.lo.value - 0.5 * 10 ** -claim.lo.decimals;
      const hi = claim.hi.value + 0.5 * 10 ** -claim.hi.decimals;
      const outside = covered.filter((x) => x.value < lo - 1e-9 || x.value > hi + 1e-9);
      return outside.length === 0
        ? yes
        : no(`${label} was ${outside.map((x) => `${x.value} ${x.set.hoursAgo} h ago`).join(', ')} in the time it covers`);
    }

    case 'series': {
      const label = claim.param === 'news2' ? 'NEWS2' : labels[claim.param][0];
      const valueOf = (set: ScoredSet) => (claim.param === 'news2' ? set.total : set.values[valueKey[claim.param]]);
      const sets = news2.scores;
      // From the latest back: each earlier value at the nearest earlier set that has it.
      let at = sets.length - 1;
      const latestValue = at >= 0 ? valueOf(sets[at]) : null;
      for (let k = claim.values.length - 1; k >= 0; k--) {
        const { value, decimals } = claim.values[k];
        if (k === claim.values.length - 1) {
          if (latestValue === null || latestValue === undefined || !matches(value, decimals, latestValue))
            return no(`the latest ${label} is ${latestValue ?? 'not recorded'}`);
          continue;
        }
        at--;
        while (at >= 0 && !((v) => v !== null && v !== undefined && matches(value, decimals, v))(valueOf(sets[at]))) at--;
        if (at < 0) return no(`no ${label} of ${value} before the ones that follow it`);
      }
      return yes;
    }

    case 'setCount': {
      const complete = news2.scores.filter((set) => !set.partial).length;
      if (claim.within)
        return claim.value >= 1 && claim.value <= vitals.observationCount ? yes : no(`${vitals.observationCount} sets were recorded`);
      return [vitals.observationCount, news2.trend.setsCompared, complete].includes(claim.value)
        ? yes
        : no(`${vitals.observationCount} sets were recorded (${complete} complete)`);
    }

    case 'scale':
      return news2.scale === claim.value ? yes : no(`the patient's SpO2 scale is ${news2.scale}`);

    case 'flag': {
      const flags = new Set(facts.notes.map((note) => note.flag));
      const present = flags.has(claim.flag) || (claim.flag === 'refusal' && adherence.refused > 0);
      return present !== claim.negated ? yes : no(present ? `the notes do flag ${claim.flag}` : `no note is flagged ${claim.flag}`);
    }

    case 'noFlags': {
      const flags = facts.notes.flatMap((note) => (note.flag ? [note.flag] : []));
      return flags.length === 0 ? yes : no(`the notes flag ${[...new Set(flags)].join(', ')}`);
    }
  }
}

function reassurance(claim: Extract<Claim, { kind: 'reassure' }>, facts: Facts, answer: AnswerContext): Verdict {
  const { news2, vitals, adherence } = facts;
  const latest = news2.latest;
  if (!latest) return no('no observations were recorded');
  const describe = `the latest NEWS2 is ${latest.partial ? 'a partial ' : ''}${latest.total} (${latest.band} risk)`;
  const lowComplete = latest.band === 'low' && !latest.partial;
  switch (claim.reassurance) {
    case 'normal': {
      if (typeof claim.scope === 'string' && claim.scope in valueKey) {
        const param = claim.scope as VitalParam;
        const key = valueKey[param];
        const scored = scoredKey[param];
        const ok = holds(facts, claim.set, (set) => set.values[key] !== null && (scored === null || set.subScores[scored] === 0));
        return ok ? yes : no(`${labels[param][0]} scores ${scored ? latest.subScores[scored] : '—'} at the latest set`);
      }
      if (claim.scope === 'except') {
        const unnamed = scoring(latest).filter((p) => !answer.named.has(p));
        if (latest.rejected.length && !answer.named.has('spo2')) unnamed.push(...(latest.rejected.map((r) => r.field) as ScoredParam[]));
        return unnamed.length === 0 ? yes : no(`${unnamed.join(', ')} also score at the latest set`);
      }
      if (claim.scope === 'recorded') {
        return latest.rejected.length === 0 && scoring(latest).length === 0
          ? yes
          : no(`${describe}${latest.rejected.length ? ', with a value rejected as impossible' : ''}`);
      }
      if (claim.set.ref === 'all') return news2.scores.every(completeZero) ? yes : no('not every set scored 0');
      return completeZero(latest) ? yes : no(describe);
    }
    case 'stable':
      return lowComplete && (news2.trend.direction === 'stable' || news2.trend.direction === 'falling')
        ? yes
        : no(`${describe}, trend ${news2.trend.direction}`);
    case 'noEscalation':
      return lowComplete ? yes : no(`${describe}: ${latest.response.action}`);
    case 'routine':
      return latest.response.minimumMonitoring === '12-hourly'
        ? yes
        : no(`${describe}: minimum monitoring ${latest.response.minimumMonitoring}`);
    case 'noConcerns': {
      const worries = [
        !lowComplete && describe,
        vitals.overdue && 'observations are overdue',
        adherence.criticalMissed.length > 0 && `${adherence.criticalMissed.join(', ')} not taken`,
        news2.trend.direction === 'rising' && 'the NEWS2 trend is rising',
        latest.rejected.length > 0 && 'a value was rejected as impossible',
      ].filter(Boolean);
      return worries.length === 0 ? yes : no(worries.join('; '));
    }
  }
}

function time(claim: Extract<Claim, { kind: 'time' }>, facts: Facts): Verdict {
  const { news2, vitals } = facts;
  const t = claim.time;
  if (claim.context === 'medicines') return no('no fact gives when or for how long doses were missed: the facts count doses');
  switch (claim.relation) {
    case 'after': {
      const monitoring = news2.latest ? monitoringHours[news2.latest.response.minimumMonitoring] : undefined;
      const ok =
        timeMatches(t, vitals.overdueAfterHours) || (monitoring !== undefined && t.hours >= monitoring[0] && t.hours <= monitoring[1]);
      return ok ? yes : no(`observations are overdue after ${vitals.overdueAfterHours} h`);
    }
    case 'since':
      return vitals.hoursSinceLastObservation !== null && timeMatches(t, vitals.hoursSinceLastObservation)
        ? yes
        : no(`the last set was ${vitals.hoursSinceLastObservation ?? '—'} h ago`);
    case 'window':
      return news2.scores.some((set) => set.hoursAgo <= t.hours + t.unitHours * 0.5) && t.hours <= 14 * 24
        ? yes
        : no('no set falls in that window');
    case 'at': {
      if (claim.set.at) return holds(facts, claim.set, () => true) ? yes : no(`${setName(claim.set)}`);
      const { sets } = setsOf(facts, claim.set);
      if (sets.some((set) => timeMatches(t, set.hoursAgo))) return yes;
      const at = claim.set.ref === 'max' ? news2.max : claim.set.ref === 'latest' ? news2.latest : null;
      return no(
        at ? `${claim.set.ref === 'max' ? 'the highest-scoring' : 'the latest'} set was ${at.hoursAgo} h ago` : 'no set was taken then',
      );
    }
  }
}

function count(claim: Extract<Claim, { kind: 'count' }>, facts: Facts): Verdict {
  const meds = medsOf(facts, claim.target);
  if (meds === null) return no('a medicine the patient is not prescribed');
  const sources: (MedicationAdherence | Facts['adherence'])[] = meds === 'overall' ? [facts.adherence] : meds;
  if (sources.length === 0) return no('no such medicine');
  const fits = (m: MedicationAdherence | Facts['adherence']) => {
    if (claim.of !== null && claim.of !== m.due) return false;
    if (claim.count === 'run') {
      if (!('currentMissedRun' in m)) return false;
      // "the last 2 were refused" says the run is 2: with 3 refused it understates a critical medicine's refusals.
      if (claim.last && claim.approx === 'atLeast') return m.currentMissedRun >= claim.value;
      return claim.last ? m.currentMissedRun === claim.value : m.currentMissedRun === claim.value || m.longestMissedRun === claim.value;
    }
    const value = countOf(m, claim.count);
    return value !== null && matches(claim.value, claim.decimals, value, claim.approx);
  };
  if (sources.some(fits)) return yes;
  const m = sources[0];
  const name = 'drug' in m ? m.drug : 'overall';
  if (claim.count === 'run')
    return no(
      `${name}: ${'currentMissedRun' in m ? `the current run of missed or refused doses is ${m.currentMissedRun}` : 'no run of doses is counted overall'}`,
    );
  if (claim.count === 'pct') return no(`${name}: adherence is ${countOf(m, 'pct') ?? '—'}%`);
  return no(`${name}: ${m.due} due, ${m.given} given, ${m.missed} missed, ${m.refused} refused${m.held ? `, ${m.held} held` : ''}`);
}
