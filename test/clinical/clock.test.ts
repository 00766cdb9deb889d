// The same rows at a later clock: within clockStableUntil, recomputing only "hours ago" gives exactly the facts a full
// rebuild gives; one millisecond past it, it would not.
import { clockFactsOf, clockStableUntil, factsAtClock, prepareWeek, summaryFingerprintMaterial } from '../../src/clinical';
import type { PatientWeek } from '../../src/clinical/types';
import { deterioratingWeek, hoursAgo, now, vitals, week } from './fixtures';

const DAYS = 7;
const at = (ms: number) => new Date(ms);
/** The week as the loader would return it at `t`: the window ending at `t`, the rows inside it. */
function weekAt(w: PatientWeek, t: Date): PatientWeek {
  const from = t.getTime() - DAYS * 86_400_000;
  const inside = (d: Date) => d.getTime() >= from && d.getTime() <= t.getTime();
  return {
    ...w,
    window: { from: new Date(from), to: t },
    observations: w.observations.filter((o) => inside(o.takenAt)),
    administrations: w.administrations.filter((a) => inside(a.dueAt)),
    notes: w.notes.filter((n) => inside(n.authoredAt)),
  };
}

const cases: [string, PatientWeek][] = [
  ['a deteriorating week (latest set 2.5 h ago: turns overdue first)', deterioratingWeek()],
  [
    'an overdue week (latest set 30 h ago: a row leaves the window first)',
    deterioratingWeek({ observations: [vitals({ id: 'o1', takenAt: hoursAgo(150) }), vitals({ id: 'o2', takenAt: hoursAgo(30) })] }),
  ],
  [
    'no observations at all',
    week({ notes: [{ id: 'n1', authoredAt: hoursAgo(5), authorRole: 'nurse', category: 'nursing', text: 'Settled.' }] }),
  ],
];

describe.each(cases)('%s', (_name, w) => {
  const start = weekAt(w, now);
  const prepared = prepareWeek(start, now);
  const until = clockStableUntil(start, prepared.facts, now, DAYS, prepared.options);

  test('within the bound, factsAtClock equals a full rebuild, and the fingerprint material is unchanged', () => {
    expect(until).toBeGreaterThan(now.getTime());
    const base = summaryFingerprintMaterial(prepared.week, prepared.facts, prepared.options, 'm');
    for (const fraction of [0, 0.013, 0.37, 0.5, 0.99, 1]) {
      const t = at(Math.floor(now.getTime() + (Math.min(until, now.getTime() + 30 * 86_400_000) - now.getTime()) * fraction));
      const rebuilt = prepareWeek(weekAt(w, t), t);
      const refreshed = factsAtClock(prepared.facts, t);
      expect(refreshed).toEqual(rebuilt.facts);
      const m = summaryFingerprintMaterial(rebuilt.week, rebuilt.facts, rebuilt.options, 'm');
      expect(m.material).toBe(base.material);
      expect(clockFactsOf(refreshed)).toBe(m.clockFacts);
    }
    // The facts it started from are not touched (they are shared between reads).
    expect(prepared.facts).toEqual(prepareWeek(start, now).facts);
  });

  test('one millisecond past the bound, a rebuild differs beyond the clock-driven numbers', () => {
    if (!Number.isFinite(until)) return expect(w.observations.length + w.administrations.length + w.notes.length).toBe(0);
    const t = at(until + 1);
    const rebuilt = prepareWeek(weekAt(w, t), t);
    const m = summaryFingerprintMaterial(rebuilt.week, rebuilt.facts, rebuilt.options, 'm');
    expect(m.material).not.toBe(summaryFingerprintMaterial(prepared.week, prepared.facts, prepared.options, 'm').material);
  });
});

test('clockFactsOf gives what the fingerprint cuts out, for every fixture', () => {
  for (const [, w] of cases) {
    const p = prepareWeek(weekAt(w, now), now);
    expect(clockFactsOf(p.facts)).toBe(summaryFingerprintMaterial(p.week, p.facts, p.options, 'm').clockFacts);
  }
});
