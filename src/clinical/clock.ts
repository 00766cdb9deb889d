// The same rows at a later clock: while no row enters or leaves the window and no threshold is crossed, a week's facts
// change only in their "hours ago" numbers, which are cheap to recompute. A cached read uses this instead of
// re-loading and re-scoring the week (src/services/week-memo.ts).
import type { Facts } from './facts';
import type { ClinicalOptions } from './options';
import type { PatientWeek } from './types';
import { ageInHours } from './vitals';

const hourMs = 3_600_000;

/**
 * The latest clock (epoch ms, inclusive) at which `facts`, built from `week` at `now`, differ only in their clock-driven
 * numbers (hoursAgo, hoursSinceLastObservation): before the oldest row leaves the window and before the latest
 * observation turns overdue. Rows that would enter the window later are the caller's to bound (the database knows
 * them). `days` is the window's length.
 */
export function clockStableUntil(
  week: PatientWeek,
  facts: Facts,
  now: Date,
  days: number,
  options: Pick<ClinicalOptions, 'overdueObservationHours'>,
): number {
  let until = Number.POSITIVE_INFINITY;
  // BETWEEN from AND to: a row at t stays in the window while now - days ≤ t.
  const windowMs = days * 86_400_000;
  for (const o of week.observations) until = Math.min(until, o.takenAt.getTime() + windowMs);
  for (const a of week.administrations) until = Math.min(until, a.dueAt.getTime() + windowMs);
  for (const n of week.notes) until = Math.min(until, n.authoredAt.getTime() + windowMs);
  // Overdue once more than overdueObservationHours have passed since the latest set (already overdue stays so).
  const last = facts.vitals.lastObservedAt === null ? null : Date.parse(facts.vitals.lastObservedAt);
  if (last !== null && !facts.vitals.overdue) until = Math.min(until, last + options.overdueObservationHours * hourMs);
  // Doses due after `now` are not in the week (the window ends at `now`): the caller's bound on entering rows covers them.
  return Math.max(until, now.getTime());
}

/**
 * `facts` (built at an earlier clock) as at `now`, for the same rows, when `now` is within clockStableUntil: every
 * scored set's hoursAgo and the hours since the last observation recomputed, nothing else. New objects; `facts` is
 * left as it was (it is shared between reads).
 */
export function factsAtClock(facts: Facts, now: Date): Facts {
  const at = now.getTime();
  const { news2, vitals } = facts;
  const scores = news2.scores.map((s) => ({ ...s, hoursAgo: ageInHours(Date.parse(s.takenAt), at) }));
  const byId = (id: string) => scores.find((s) => s.observationId === id) ?? null;
  const latest = news2.latest ? byId(news2.latest.observationId) : null;
  const max = news2.max ? byId(news2.max.observationId) : null;
  return {
    ...facts,
    news2: { ...news2, latest, max, scores },
    vitals: { ...vitals, hoursSinceLastObservation: latest?.hoursAgo ?? null },
  };
}
