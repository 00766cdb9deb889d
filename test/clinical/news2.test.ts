// NEWS2 against the RCP 2017 chart (docs/news2.md): every band edge on both sides, both SpO2 scales, the worked cases, precedence.
import { news2Score, type VitalSigns } from '../../src/clinical';
import { vitals } from './fixtures';

const scale1 = (overrides: Partial<VitalSigns>) => news2Score(vitals(overrides), 1);
const scale2 = (overrides: Partial<VitalSigns>) => news2Score(vitals(overrides), 2);

describe('respiration rate', () => {
  test.each([
    // 1 is the lowest rate accepted as a reading (limits.ts); 0 and below are rejected, not scored.
    [1, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [40, 3],
  ])('RR %d/min scores %d', (respiratoryRate, expected) => {
    const score = scale1({ respiratoryRate });
    expect(score.subScores.respiratoryRate).toBe(expected);
    expect(score.total).toBe(expected);
  });
});

describe('SpO2 scale 1 (on air)', () => {
  test.each([
    [70, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 %d%% scores %d', (spo2, expected) => {
    const score = scale1({ spo2 });
    expect(score.subScores.spo2).toBe(expected);
    expect(score.total).toBe(expected);
    expect(score.spo2Scale).toBe(1);
  });
});

describe('SpO2 scale 1 on oxygen: SpO2 still scored on scale 1, oxygen adds 2', () => {
  test.each([
    [98, 0],
    [96, 0],
    [95, 1],
    [94, 1],
    [93, 2],
    [92, 2],
    [91, 3],
  ])('SpO2 %d%% on oxygen: SpO2 %d, oxygen 2', (spo2, expected) => {
    const score = scale1({ spo2, onOxygen: true });
    expect(score.subScores.spo2).toBe(expected);
    expect(score.subScores.airOrOxygen).toBe(2);
    expect(score.total).toBe(expected + 2);
  });
});

describe('SpO2 scale 2 on air', () => {
  test.each([
    [80, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
    [93, 0],
    [96, 0],
    [97, 0],
    [100, 0],
  ])('SpO2 %d%% on air scores %d', (spo2, expected) => {
    const score = scale2({ spo2, onOxygen: false });
    expect(score.subScores.spo2).toBe(expected);
    expect(score.subScores.airOrOxygen).toBe(0);
    expect(score.spo2Scale).toBe(2);
  });
});

describe('SpO2 scale 2 on oxygen', () => {
  test.each([
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
    [93, 1],
    [94, 1],
    [95, 2],
    [96, 2],
    [97, 3],
    [100, 3],
  ])('SpO2 %d%% on oxygen scores %d (+2 for oxygen)', (spo2, expected) => {
    const score = scale2({ spo2, onOxygen: true });
    expect(score.subScores.spo2).toBe(expected);
    expect(score.subScores.airOrOxygen).toBe(2);
    expect(score.total).toBe(expected + 2);
  });
});

describe('air or oxygen', () => {
  test.each([
    [false, 0],
    [true, 2],
  ])('onOxygen %s scores %d', (onOxygen, expected) => {
    expect(scale1({ onOxygen, spo2: 97 }).subScores.airOrOxygen).toBe(expected);
  });
});

describe('systolic BP', () => {
  test.each([
    [60, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [250, 3],
  ])('SBP %d mmHg scores %d', (systolicBp, expected) => {
    // Diastolic left unrecorded: the fixture's 75 would make 60/75, which limits.ts rejects as impossible.
    expect(scale1({ systolicBp, diastolicBp: null }).subScores.systolicBp).toBe(expected);
  });
});

describe('pulse', () => {
  test.each([
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [180, 3],
  ])('pulse %d/min scores %d', (heartRate, expected) => {
    expect(scale1({ heartRate }).subScores.pulse).toBe(expected);
  });
});

describe('consciousness (ACVPU; C = new confusion)', () => {
  test.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as const)('%s scores %d', (consciousness, expected) => {
    expect(scale1({ consciousness }).subScores.consciousness).toBe(expected);
  });
});

describe('temperature (0.1 °C)', () => {
  test.each([
    [34.0, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41.0, 2],
  ])('%d °C scores %d', (temperatureC, expected) => {
    expect(scale1({ temperatureC }).subScores.temperature).toBe(expected);
  });

  test.each([
    [38.04, 0],
    [38.06, 1],
    [35.04, 3],
    [35.06, 1],
  ])('finer value %d °C is rounded to the charted 0.1 first: scores %d', (temperatureC, expected) => {
    expect(scale1({ temperatureC }).subScores.temperature).toBe(expected);
  });
});

describe("the SpO2 scale is the patient's recorded one, not the observation's charted field", () => {
  test('an unflagged patient charted on scale 2 is scored on scale 1 (88% → 3)', () => {
    expect(scale1({ spo2: 88, spo2Scale: 2 }).subScores.spo2).toBe(3);
  });
  test('a flagged patient charted on scale 1 is scored on scale 2 (88% → 0)', () => {
    const score = scale2({ spo2: 88, spo2Scale: 1 });
    expect(score.subScores.spo2).toBe(0);
    expect(score.spo2Scale).toBe(2);
  });
});

describe('worked cases from news2.md (sub-scores RR, SpO2, O2, SBP, pulse, consciousness, temp)', () => {
  test.each([
    [
      { respiratoryRate: 12, spo2: 96, onOxygen: false, systolicBp: 111, heartRate: 51, temperatureC: 36.1 },
      1,
      [0, 0, 0, 0, 0, 0, 0],
      0,
      'low',
    ],
    [
      { respiratoryRate: 11, spo2: 95, onOxygen: false, systolicBp: 110, heartRate: 91, temperatureC: 37.0 },
      1,
      [1, 1, 0, 1, 1, 0, 0],
      4,
      'low',
    ],
    [
      { respiratoryRate: 18, spo2: 88, onOxygen: true, systolicBp: 130, heartRate: 130, temperatureC: 36.0 },
      2,
      [0, 0, 2, 0, 2, 0, 1],
      5,
      'medium',
    ],
    [
      { respiratoryRate: 9, spo2: 93, onOxygen: true, systolicBp: 125, heartRate: 85, temperatureC: 39.0 },
      2,
      [1, 1, 2, 0, 0, 0, 1],
      5,
      'medium',
    ],
  ] as const)('case %#', (overrides, scale, subScores, total, band) => {
    const score = news2Score(vitals({ ...overrides, consciousness: 'A' }), scale);
    const s = score.subScores;
    expect([s.respiratoryRate, s.spo2, s.airOrOxygen, s.systolicBp, s.pulse, s.consciousness, s.temperature]).toEqual(subScores);
    expect(score.total).toBe(total);
    expect(score.band).toBe(band);
    expect(score.partial).toBe(false);
  });
});

describe('aggregate and risk-band precedence', () => {
  test.each([
    ['total 0', {}, 0, false, 'low', '12-hourly'],
    ['total 1', { heartRate: 91 }, 1, false, 'low', '4–6-hourly'],
    ['total 4 without a 3: oxygen 2 + SBP 100 (2)', { onOxygen: true, systolicBp: 100 }, 4, false, 'low', '4–6-hourly'],
    ['oxygen alone is never the single 3', { onOxygen: true }, 2, false, 'low', '4–6-hourly'],
    ['total 3, a single 3 (RR 8)', { respiratoryRate: 8 }, 3, true, 'low-medium', '1-hourly'],
    ['total 4, a single 3 (C) + pulse 91 (1)', { consciousness: 'C', heartRate: 91 }, 4, true, 'low-medium', '1-hourly'],
    [
      'total 5 without a 3: SBP 100 (2) + pulse 111 (2) + temp 38.1 (1)',
      { systolicBp: 100, heartRate: 111, temperatureC: 38.1 },
      5,
      false,
      'medium',
      '1-hourly',
    ],
    [
      'total 6 with a 3 is medium, not low-medium: RR 25 (3) + SBP 100 (2) + pulse 91 (1)',
      { respiratoryRate: 25, systolicBp: 100, heartRate: 91 },
      6,
      true,
      'medium',
      '1-hourly',
    ],
    ['total 7: RR 25 (3) + SpO2 91 (3) + pulse 91 (1)', { respiratoryRate: 25, spo2: 91, heartRate: 91 }, 7, true, 'high', 'continuous'],
    [
      'total 20: every parameter at its worst',
      { respiratoryRate: 30, spo2: 85, onOxygen: true, systolicBp: 85, heartRate: 140, consciousness: 'U', temperatureC: 34.5 },
      20,
      true,
      'high',
      'continuous',
    ],
  ] as const)('%s', (_name, overrides, total, anySingleThree, band, minimumMonitoring) => {
    const score = scale1(overrides);
    expect(score.total).toBe(total);
    expect(score.anySingleThree).toBe(anySingleThree);
    expect(score.band).toBe(band);
    expect(score.response.minimumMonitoring).toBe(minimumMonitoring);
  });

  test('the clinical response text follows the band', () => {
    expect(scale1({ respiratoryRate: 25, spo2: 91, heartRate: 91 }).response.action).toMatch(/registrar.*critical-care/);
    expect(scale1({ respiratoryRate: 8 }).response.action).toMatch(/decide whether to escalate/);
  });
});

describe('missing parameters: partial, never a complete NEWS2', () => {
  test.each([
    ['temperature not recorded', 1, { temperatureC: null }, ['temperature'], 0],
    ['consciousness not recorded, RR 25 scored', 1, { consciousness: null, respiratoryRate: 25 }, ['consciousness'], 3],
    ['air or oxygen not recorded (scale 1 SpO2 is still scored)', 1, { onOxygen: null, spo2: 94 }, ['airOrOxygen'], 1],
    [
      'scale 2, SpO2 93 with air or oxygen unknown: SpO2 cannot be scored either',
      2,
      { spo2: 93, onOxygen: null },
      ['spo2', 'airOrOxygen'],
      0,
    ],
    [
      'nothing recorded',
      2,
      { respiratoryRate: null, spo2: null, onOxygen: null, systolicBp: null, heartRate: null, consciousness: null, temperatureC: null },
      ['respiratoryRate', 'spo2', 'airOrOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature'],
      0,
    ],
  ] as const)('%s', (_name, scale, overrides, missing, total) => {
    const score = news2Score(vitals(overrides), scale);
    expect(score.partial).toBe(true);
    expect(score.missing).toEqual(missing);
    expect(score.total).toBe(total);
    for (const parameter of missing) expect(score.subScores[parameter]).toBeNull();
  });

  test('scale 2, SpO2 88 with air or oxygen unknown: SpO2 still scores 0 (88–92 is 0 either way)', () => {
    const score = scale2({ spo2: 88, onOxygen: null });
    expect(score.subScores.spo2).toBe(0);
    expect(score.missing).toEqual(['airOrOxygen']);
  });

  test('a partial 0 is not a NEWS2 of 0: never 12-hourly routine monitoring', () => {
    const score = scale1({ temperatureC: null });
    expect(score.band).toBe('low');
    expect(score.response.minimumMonitoring).toBe('4–6-hourly');
  });

  test('a partial total already at 7 is banded high: missing parameters can only add', () => {
    const score = scale1({ respiratoryRate: 25, spo2: 91, heartRate: 91, temperatureC: null });
    expect(score).toMatchObject({ partial: true, total: 7, band: 'high', missing: ['temperature'] });
  });
});
