// What a summary must say: a medium or high NEWS2, a single-parameter 3, overdue observations, a critical medicine not taken, a partial or impossible latest set.
import type { Facts } from '../facts';
import type { ScoredSet } from '../vitals';
import type { Claim, ScoredParam } from './types';

const isLatest = (facts: Facts, claim: { set: { ref: string; at?: { hours: number } } }) =>
  claim.set.ref === 'latest' || (claim.set.at !== undefined && facts.news2.latest !== null && claim.set.ref !== 'max');

const scoredParamOf: Record<string, ScoredParam | undefined> = {
  respiratoryRate: 'respiratoryRate',
  spo2: 'spo2',
  systolicBp: 'systolicBp',
  heartRate: 'pulse',
  temperature: 'temperature',
};
const label: Record<string, string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  airOrOxygen: 'oxygen',
  systolicBp: 'systolic BP',
  diastolicBp: 'diastolic BP',
  pulse: 'pulse',
  heartRate: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
  temperatureC: 'temperature',
};

function threes(set: ScoredSet): ScoredParam[] {
  return (Object.entries(set.subScores) as [ScoredParam, number | null][]).filter(([, s]) => s === 3).map(([p]) => p);
}

/**
 * Each thing that matters and is not said, in words from the facts (no note text): empty when the supported
 * claims cover them all. "Said" means a true claim about it: reassurance contradicting it is caught as a
 * false claim by the checker, and a vague mention does not count.
 */
export function omissions(facts: Facts, supported: Claim[]): string[] {
  const { news2, vitals, adherence } = facts;
  const latest = news2.latest;
  const omitted: string[] = [];
  const saysLatest = (kinds: Claim['kind'][]) => supported.some((c) => kinds.includes(c.kind) && 'set' in c && isLatest(facts, c));

  if (latest && (latest.band === 'medium' || latest.band === 'high')) {
    if (!saysLatest(['band', 'news2']))
      omitted.push(
        `the latest NEWS2 is ${latest.partial ? 'a partial ' : ''}${latest.total}, ${latest.partial ? 'at least ' : ''}${latest.band} risk`,
      );
  }
  // Where a single 3 decides the band (low-medium); under a medium or high band that band's response already applies.
  if (latest && latest.anySingleThree && latest.band === 'low-medium') {
    const three = threes(latest);
    const named = supported.some(
      (c) =>
        (((c.kind === 'band' && c.band === 'low-medium') || (c.kind === 'redScore' && !c.negated)) && isLatest(facts, c)) ||
        ((c.kind === 'value' || c.kind === 'qualitative' || c.kind === 'pair') &&
          isLatest(facts, c) &&
          three.includes(
            (c.kind === 'value'
              ? scoredParamOf[c.param]
              : c.kind === 'pair'
                ? 'systolicBp'
                : scoredParamOf[c.word === 'hypotensive' || c.word === 'hypertensive' ? 'systolicBp' : c.word]) as ScoredParam,
          )) ||
        (c.kind === 'subscore' && c.value === 3 && isLatest(facts, c)),
    );
    if (!named) omitted.push(`${three.map((p) => label[p]).join(' and ')} scored 3 on its own at the latest set (low-medium risk)`);
  }
  if (vitals.overdue && !supported.some((c) => c.kind === 'overdue' && c.value)) {
    omitted.push(
      latest
        ? `observations are overdue: the last set was ${vitals.hoursSinceLastObservation} h ago`
        : 'no observations were recorded: they are overdue',
    );
  }
  adherence.meds.forEach((med, i) => {
    if (!med.critical || med.missed + med.refused === 0) return;
    const said = supported.some(
      (c) =>
        (c.kind === 'count' || c.kind === 'notTaken') &&
        typeof c.target === 'object' &&
        c.target.meds.includes(i) &&
        (c.kind === 'notTaken' ||
          (['missed', 'refused', 'notTaken', 'run'].includes(c.count) && c.value > 0) ||
          (c.count === 'given' && c.of !== null)),
    );
    if (!said) omitted.push(`${med.drug} (${med.drugClass}): ${med.missed} missed, ${med.refused} refused`);
  });
  // Partial, and what was not recorded: the service writes "partial" into a referenced total by itself, so that word
  // alone does not say which parameters are missing.
  const saysPartial = (c: Claim) => c.kind === 'partial' && c.value && isLatest(facts, c);
  // Oxygen has no name of its own in a partial claim: any partial claim says it.
  const missingNamed = (missing: string[]) =>
    supported.some(saysPartial) &&
    missing.every(
      (field) =>
        field === 'airOrOxygen' ||
        supported.some(
          (c) => c.kind === 'partial' && saysPartial(c) && c.params.some((p) => (p as string) === field || scoredParamOf[p] === field),
        ),
    );
  if (latest?.missing.length && !missingNamed(latest.missing)) {
    omitted.push(`the latest set is partial: ${latest.missing.map((p) => label[p]).join(', ')} not recorded`);
  }
  if (latest?.rejected.length && !supported.some((c) => (c.kind === 'value' || c.kind === 'pair') && c.asRejected)) {
    omitted.push(
      `at the latest set ${latest.rejected.map((r) => `${label[r.field]} ${r.value ?? '(not a number)'}`).join(', ')} was rejected as impossible and not scored`,
    );
  }
  return omitted;
}
