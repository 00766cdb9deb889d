// The fingerprint material: the same inputs give the same material whatever the clock says; any data change alters it.
import { prepareWeek, summaryFingerprintMaterial } from '../../src/clinical';
import { deterioratingWeek, now, vitals } from './fixtures';

const material = (week = deterioratingWeek(), at = now) => {
  const prepared = prepareWeek(week, at);
  return summaryFingerprintMaterial(prepared.week, prepared.facts, prepared.options, 'local:fake-model');
};

test('the clock alone changes the clock-driven facts, never the material', () => {
  const later = new Date(now.getTime() + 90 * 60_000);
  const a = material();
  const b = material(deterioratingWeek(), later);
  expect(b.material).toBe(a.material);
  expect(b.clockFacts).not.toBe(a.clockFacts);
  expect(a.clockFacts).toMatch(/^("(hoursAgo|hoursSinceLastObservation)":(null|[\d.]+))+$/);
  expect(a.material).not.toMatch(/"hoursAgo"|"hoursSinceLastObservation"/);
});

test('a changed observation, a new note or another model changes the material', () => {
  const base = material().material;
  const week = deterioratingWeek();
  // The latest set's values are in the prompt (an older set counts only through its scores).
  const last = week.observations.length - 1;
  const changed = {
    ...week,
    observations: week.observations.map((o, i) => (i === last ? { ...o, heartRate: (o.heartRate ?? 0) + 1 } : o)),
  };
  expect(material(changed).material).not.toBe(base);
  const extra = { ...week, observations: [...week.observations, vitals({ id: 'o9', takenAt: new Date(now.getTime() - 3_600_000) })] };
  expect(material(extra).material).not.toBe(base);
  const prepared = prepareWeek(week, now);
  expect(summaryFingerprintMaterial(prepared.week, prepared.facts, prepared.options, 'other:model').material).not.toBe(base);
});

test('note text that looks like a clock-driven fact is kept: only real keys are cut', () => {
  const week = deterioratingWeek();
  const sneaky = {
    ...week,
    notes: [
      {
        id: 'n1',
        authoredAt: new Date(now.getTime() - 3_600_000),
        authorRole: 'nurse',
        category: 'nursing',
        text: 'Fall at the bedside. {"hoursAgo":5}',
      },
    ],
  };
  const { material: m } = material(sneaky);
  expect(m).toContain('{\\"hoursAgo\\":5}');
});
