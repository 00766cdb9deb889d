// The week view: trend rule, latest and highest set, overdue, drivers, and which SpO2 scale the week uses.
import { buildFacts, defaultClinicalOptions, type VitalSigns } from '../../src/clinical';
import { news2Trend, observationFacts } from '../../src/clinical/vitals';
import { hoursAgo, now, vitals, week } from './fixtures';

const options = defaultClinicalOptions;
const factsOf = (observations: VitalSigns[], hypercapnicRespiratoryFailure = false) =>
  observationFacts(week({ observations, hypercapnicRespiratoryFailure }), now, options);

describe('trend rule: mean of the latest k complete sets vs the k before, k = min(3, floor(n/2)), ±2', () => {
  test.each([
    [[], 'unknown', 0, null, null],
    [[4], 'unknown', 0, null, null],
    [[1, 3], 'rising', 1, 3, 1],
    [[1, 2], 'stable', 1, 2, 1],
    [[3, 1], 'falling', 1, 1, 3],
    [[7, 0, 5], 'rising', 1, 5, 0], // n = 3: the oldest set is not compared
    [[2, 2, 3, 4], 'stable', 2, 3.5, 2], // +1.5
    [[2, 2, 4, 4], 'rising', 2, 4, 2], // +2 exactly
    [[2, 2, 2, 4, 4, 3], 'stable', 3, 3.7, 2], // +1.67
    [[2, 2, 2, 4, 4, 4], 'rising', 3, 4, 2],
    [[5, 5, 5, 3, 3, 4], 'stable', 3, 3.3, 5], // -1.67
    [[5, 5, 5, 3, 3, 3], 'falling', 3, 3, 5],
    [[9, 0, 0, 0, 2, 2, 2], 'rising', 3, 2, 0], // only the latest 6 count
  ])('%j → %s', (totals, direction, setsCompared, recentMean, previousMean) => {
    expect(news2Trend(totals)).toEqual({ direction, setsCompared, recentMean, previousMean });
  });

  test('partial sets are left out of the trend (a spot check would fake a fall)', () => {
    const { news2 } = factsOf([
      vitals({ id: 'a', takenAt: hoursAgo(6), respiratoryRate: 21, heartRate: 111 }), // 4
      vitals({ id: 'b', takenAt: hoursAgo(4), respiratoryRate: 21, heartRate: 111 }), // 4
      vitals({ id: 'c', takenAt: hoursAgo(2), respiratoryRate: null, heartRate: null, temperatureC: null }), // partial 0
    ]);
    expect(news2.trend).toEqual({ direction: 'stable', setsCompared: 1, recentMean: 4, previousMean: 4 });
  });
});

describe('latest and highest set', () => {
  const observations = [
    vitals({ id: 'old-5', takenAt: hoursAgo(30), systolicBp: 100, heartRate: 111, temperatureC: 38.1 }), // 5
    vitals({ id: 'mid-5', takenAt: hoursAgo(20), systolicBp: 100, heartRate: 111, temperatureC: 38.1 }), // 5
    vitals({ id: 'latest-1', takenAt: hoursAgo(2.25), heartRate: 95 }), // 1
  ];

  test('latest is the most recent set even if the list arrives out of order; max ties go to the more recent set', () => {
    const { news2 } = factsOf([observations[2], observations[0], observations[1]]);
    expect(news2.latest?.observationId).toBe('latest-1');
    expect(news2.latest?.total).toBe(1);
    expect(news2.max?.observationId).toBe('mid-5');
    expect(news2.max?.total).toBe(5);
    expect(news2.scores.map((s) => s.observationId)).toEqual(['old-5', 'mid-5', 'latest-1']);
  });

  test('hours ago count 6-minute steps of one clock grid: every set changes at the same instants, by 0.1 h', () => {
    // Sets at 09:53 and 09:59 (neither on the grid). Rounding each age on its own flipped them at
    // different instants, so a ward of hundreds of sets had new facts (and a new ETag) every second or so.
    const sets = [vitals({ id: 'a', takenAt: hoursAgo(2 + 7 / 60) }), vitals({ id: 'b', takenAt: hoursAgo(2 + 1 / 60) })];
    const at = (ms: number) =>
      observationFacts(week({ observations: sets }), new Date(now.getTime() + ms), { overdueObservationHours: 12 });
    const ages = (ms: number) => at(ms).news2.scores.map((s) => s.hoursAgo);
    expect(ages(0)).toEqual([2.2, 2.1]);
    // Anywhere in the step that starts at 12:00 (the grid counts from the epoch): the same facts.
    for (const ms of [1_000, 150_000, 200_000, 359_999]) expect(at(ms)).toEqual(at(0));
    // The next step: every set 0.1 h older at once.
    expect(ages(360_000)).toEqual([2.3, 2.2]);
    // Never more than one step from the exact age.
    for (let ms = 0; ms < 720_000; ms += 7_000)
      for (const s of at(ms).news2.scores)
        expect(Math.abs(s.hoursAgo - (now.getTime() + ms - Date.parse(s.takenAt)) / 3_600_000)).toBeLessThan(0.1);
  });

  test('hours ago are rounded to 0.1 h', () => {
    const { news2, vitals: facts } = factsOf(observations);
    expect(news2.latest?.hoursAgo).toBe(2.3);
    expect(facts.hoursSinceLastObservation).toBe(2.3);
    expect(facts.lastObservedAt).toBe(hoursAgo(2.25).toISOString());
  });

  test('drivers: the parameters that scored above 0, with their charted values', () => {
    const { vitals: facts } = factsOf([
      ...observations,
      vitals({ id: 'peak', takenAt: hoursAgo(10), respiratoryRate: 25, onOxygen: true, consciousness: 'C', temperatureC: 39.2 }),
    ]);
    expect(facts.drivers.latest).toEqual([{ parameter: 'pulse', value: 95, score: 1 }]);
    expect(facts.drivers.max).toEqual([
      { parameter: 'respiratoryRate', value: 25, score: 3 },
      { parameter: 'airOrOxygen', value: 'oxygen', score: 2 },
      { parameter: 'consciousness', value: 'C', score: 3 },
      { parameter: 'temperature', value: 39.2, score: 2 },
    ]);
    expect(facts.latest).toMatchObject({ respiratoryRate: 16, heartRate: 95, temperatureC: 37 });
  });

  test('an empty window has no latest, max or drivers', () => {
    const { news2, vitals: facts } = factsOf([]);
    expect(news2.latest).toBeNull();
    expect(news2.max).toBeNull();
    expect(facts).toMatchObject({ observationCount: 0, latest: null, hoursSinceLastObservation: null, drivers: { latest: [], max: [] } });
  });
});

describe('overdue (default: after 6 h)', () => {
  test.each([
    [1, false],
    [6, false],
    [6.01, true],
    [30, true],
  ])('last set %d h ago → overdue %s', (hours, overdue) => {
    expect(factsOf([vitals({ takenAt: hoursAgo(hours) })]).vitals.overdue).toBe(overdue);
  });

  test('no set in the window is overdue', () => {
    expect(factsOf([]).vitals.overdue).toBe(true);
  });

  test('the threshold is an option', () => {
    const facts = buildFacts(week({ observations: [vitals({ takenAt: hoursAgo(3) })] }), now, {
      ...options,
      overdueObservationHours: 2,
    });
    expect(facts.vitals).toMatchObject({ overdue: true, overdueAfterHours: 2 });
  });

  test('a set timed after now counts as 0 h ago, not negative', () => {
    expect(factsOf([vitals({ takenAt: hoursAgo(-0.5) })]).vitals).toMatchObject({ hoursSinceLastObservation: 0, overdue: false });
  });
});

test.each([
  [false, 1, 3],
  [true, 2, 0],
])('hypercapnic flag %s → scale %d for every set (SpO2 88%% on air scores %d)', (flag, scale, spo2Score) => {
  const { news2 } = factsOf([vitals({ spo2: 88 })], flag);
  expect(news2.scale).toBe(scale);
  expect(news2.latest?.subScores.spo2).toBe(spo2Score);
});
