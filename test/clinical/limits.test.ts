// Impossible charted values: every edge of the limits table, and what a rejected value does to the score, facts and fallback.
import { buildFacts, defaultClinicalOptions, news2Score, type VitalSigns } from '../../src/clinical';
import { fallbackSentences } from '../../src/clinical/fallback';
import { chartLimits, screenObservation } from '../../src/clinical/limits';
import type { News2Parameter } from '../../src/clinical/news2';
import { hoursAgo, now, vitals, week } from './fixtures';

describe('the edges: a value at a limit is a reading, a step past it is rejected', () => {
  const steps = { respiratoryRate: 1, spo2: 1, systolicBp: 1, diastolicBp: 1, heartRate: 1, temperatureC: 0.1 } as const;
  const cases = Object.entries(chartLimits).flatMap(([field, { min, max }]) => {
    const step = steps[field as keyof typeof steps];
    return [
      [field, min, false],
      [field, max, false],
      [field, Math.round((min - step) * 10) / 10, true],
      [field, Math.round((max + step) * 10) / 10, true],
    ] as const;
  });
  test.each(cases)('%s %d → rejected %s', (field, value, rejected) => {
    // Systolic and diastolic far apart from each other, so only the limit under test decides.
    const base = vitals({ systolicBp: 250, diastolicBp: 20 });
    const result = screenObservation({ ...base, [field]: value });
    expect(result.rejected.map((r) => r.field)).toEqual(rejected ? [field] : []);
    expect(result.screened[field as keyof VitalSigns]).toBe(rejected ? null : value);
  });

  test('the table is the one the issue asks for in spirit: SpO2 ≤ 100, temperature about 25–45, systolic about 40–300', () => {
    expect(chartLimits.spo2.max).toBe(100);
    expect(chartLimits.temperatureC).toEqual({ min: 25, max: 45 });
    expect(chartLimits.systolicBp).toEqual({ min: 40, max: 300 });
    expect(chartLimits.respiratoryRate.min).toBeGreaterThan(0);
  });
});

describe('values the chart would have scored as real are now data errors', () => {
  const cases: [Partial<VitalSigns>, News2Parameter, number][] = [
    // [charted, the sub-score the old code gave it]
    [{ spo2: 250 }, 'spo2', 0],
    [{ temperatureC: 60 }, 'temperature', 2],
    [{ systolicBp: 400, diastolicBp: 80 }, 'systolicBp', 3],
    [{ respiratoryRate: -4 }, 'respiratoryRate', 3],
    [{ heartRate: 0 }, 'pulse', 3],
    [{ heartRate: Number.NaN }, 'pulse', 3],
  ];
  test.each(cases)('%j: not scored (was %s %d), listed as rejected, the set partial', (overrides, parameter) => {
    const score = news2Score(vitals(overrides), 1);
    expect(score.subScores[parameter]).toBeNull();
    expect(score.partial).toBe(true);
    expect(score.missing).toEqual([]);
    expect(score.rejected).toHaveLength(1);
    expect(score.rejected[0]).toMatchObject({ reason: 'out_of_range' });
  });

  test('a diastolic not below its systolic rejects both (one of them is wrong, and we cannot tell which)', () => {
    const score = news2Score(vitals({ systolicBp: 80, diastolicBp: 95 }), 1);
    expect(score.subScores.systolicBp).toBeNull();
    expect(score.rejected.map((r) => [r.field, r.value, r.reason])).toEqual([
      ['systolicBp', 80, 'diastolic_not_below_systolic'],
      ['diastolicBp', 95, 'diastolic_not_below_systolic'],
    ]);
  });
});

describe('in the facts and the fallback', () => {
  const facts = buildFacts(
    week({
      observations: [
        vitals({ id: 'early', takenAt: hoursAgo(30), temperatureC: 60 }),
        vitals({ id: 'mid', takenAt: hoursAgo(20) }),
        vitals({ id: 'latest', takenAt: hoursAgo(1), spo2: 250 }),
      ],
    }),
    now,
    defaultClinicalOptions,
  );

  test('the reading is null, the rejected value is listed with its limits, and partial sets stay out of the trend', () => {
    expect(facts.vitals.latest?.spo2).toBeNull();
    expect(facts.news2.latest?.values.spo2).toBeNull();
    expect(facts.news2.latest).toMatchObject({ partial: true, total: 0, rejected: [{ field: 'spo2', value: 250, min: 50, max: 100 }] });
    expect(facts.news2.scores[0]).toMatchObject({ partial: true, rejected: [{ field: 'temperatureC', value: 60 }] });
    expect(facts.news2.trend.setsCompared).toBe(0);
    expect(facts.vitals.drivers.latest).toEqual([]);
  });

  test('the fallback says so, for the latest set and earlier ones', () => {
    const text = fallbackSentences(facts).map((s) => s.text);
    expect(text[0]).toBe(
      'The latest observation set, 1 h ago, is incomplete (rejected as impossible, not scored: SpO2 250%): partial NEWS2 of 0, so at least low risk; RN assesses, decides frequency/escalation; minimum monitoring 4–6-hourly.',
    );
    expect(text).toContain('Rejected as impossible earlier in the window: temperature 60 °C 30 h ago.');
  });
});
