// The re-grounding memo: a cached read's check kept for the same fingerprint, clock facts and stored sentences, and
// never served for another clock, another stored answer or other facts. Each result is compared with reuseSummary's.
import { reuseSummary } from '../../src/clinical';
import type { LoadedWeek } from '../../src/db/patient-week';
import { ReuseMemo } from '../../src/services/reuse-memo';
import { keyWeek } from '../../src/services/summary-core';
import type { StoredSummary } from '../../src/services/summary-store';
import { deterioratingWeek, now } from '../clinical/fixtures';

const at = (clock: Date, overrides = {}) => {
  const week = deterioratingWeek(overrides);
  const loaded: LoadedWeek = {
    wardId: 'w',
    bed: 'b',
    week: { ...week, window: { from: new Date(clock.getTime() - 7 * 86_400_000), to: clock } },
    recentSummaries: [],
    dataVersion: '1',
    nextRowAt: null,
  };
  return keyWeek({ modelKey: 'local:fake-model' }, loaded);
};

const stored = (...texts: string[]): StoredSummary => ({
  sentences: texts.map((text) => ({ text, facts: [] })),
  provider: 'local',
  model: 'fake-model',
  generatedAt: now.toISOString(),
});
const careful = stored(
  'Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.',
  'Apixaban: {adherence.meds.0.missed} missed, {adherence.meds.0.refused} refused.',
);

test('the same week, clock and answer: the same summary as reuseSummary gives, checked once', () => {
  const memo = new ReuseMemo();
  const keyed = at(now);
  const plain = reuseSummary(keyed.prepared, careful);
  expect(plain).not.toBeNull();
  expect(plain!.summary).toContain('NEWS2 7 (high risk), 2.5 h ago');
  const first = memo.reuse(keyed, careful)!;
  expect(first).toEqual(plain);
  const again = memo.reuse(at(now), careful)!;
  expect(again).toEqual(plain);
  // The kept check itself (the same object), not a new one: the sentences were not read and checked again.
  expect(again.grounding.unsupported).toBe(first.grounding.unsupported);
  expect(reuseSummary(keyed.prepared, careful)!.grounding.unsupported).not.toBe(first.grounding.unsupported);
  expect(memo.size).toBe(1);
});

test('"hours ago" moving on is another entry: the summary is written out at the new clock, never the kept one', () => {
  const memo = new ReuseMemo();
  memo.reuse(at(now), careful);
  const later = at(new Date(now.getTime() + 20 * 60_000));
  const shown = memo.reuse(later, careful);
  expect(shown?.summary).toContain('2.8 h ago');
  expect(shown).toEqual(reuseSummary(later.prepared, careful));
  expect(memo.size).toBe(2);
});

test('another stored answer for the same facts is checked on its own: a false one is refused, the true one still served', () => {
  const memo = new ReuseMemo();
  const keyed = at(now);
  expect(memo.reuse(keyed, careful)).not.toBeNull();
  const falseOne = stored('NEWS2 is 0.', 'All observations are normal and the patient is stable.');
  expect(memo.reuse(keyed, falseOne)).toBeNull();
  expect(memo.reuse(keyed, falseOne)).toBeNull(); // kept as refused, not re-checked into something else
  expect(memo.reuse(keyed, careful)).toEqual(reuseSummary(keyed.prepared, careful));
});

test('other facts (another fingerprint) are checked again: a missed dose given instead makes a true sentence false', () => {
  const memo = new ReuseMemo();
  const says = stored('Latest {news2.latest.total} ({news2.latest.band} risk), {news2.latest.hoursAgo}.', 'Apixaban: 2 missed, 0 refused.');
  expect(memo.reuse(at(now), says)).not.toBeNull();
  const week = deterioratingWeek();
  const oneMissed = at(now, {
    administrations: week.administrations.map((a, i) => (i === 2 ? { ...a, status: 'given' as const } : a)),
  });
  expect(oneMissed.fingerprint).not.toBe(at(now).fingerprint);
  expect(memo.reuse(oneMissed, says)).toBeNull();
  expect(reuseSummary(oneMissed.prepared, says)).toBeNull();
});

test('bounded: the least recently used entry goes first', () => {
  const memo = new ReuseMemo(2);
  const [c0, c1, c2] = [0, 10, 20].map((minutes) => at(new Date(now.getTime() + minutes * 60_000)));
  const kept = memo.reuse(c0, careful)!.grounding.unsupported;
  const dropped = memo.reuse(c1, careful)!.grounding.unsupported;
  memo.reuse(c0, careful); // used again: c1 is now the oldest
  memo.reuse(c2, careful);
  expect(memo.size).toBe(2);
  expect(memo.reuse(c0, careful)!.grounding.unsupported).toBe(kept);
  expect(memo.reuse(c1, careful)!.grounding.unsupported).not.toBe(dropped);
});
