// What a careful model answers after a repair turn for each scenario: true, complete, plainly phrased.
import { s, type CaseSentence, type ScenarioKey } from './types';

export const corrected: Record<ScenarioKey, CaseSentence[]> = {
  high: [
    s(
      'Latest NEWS2 is 8 (high risk), recorded 2 hours ago, and the trend is rising.',
      'news2.latest.total',
      'news2.latest.band',
      'news2.trend.direction',
    ),
    s('Respiratory rate 24/min, SpO2 94% on oxygen, BP 108/70 mmHg, heart rate 104/min, temperature 38.4 °C.', 'vitals.latest'),
    s(
      'Per NEWS2 the medical team should be informed immediately for emergency assessment, with continuous monitoring.',
      'news2.latest.response',
    ),
    s('Apixaban: 2 of 14 doses missed, the last 2 in a row.', 'adherence.meds.0'),
  ],
  normal: [
    s('Latest NEWS2 is 0 (low risk), 3 hours ago; routine 12-hourly monitoring applies.', 'news2.latest'),
    s('All doses given (100% adherence).', 'adherence.overallPct'),
  ],
  medium: [
    s(
      'Latest NEWS2 is 6 (medium risk), 4 hours ago, driven by SpO2 88% on air (scoring 3), respiratory rate 22/min and heart rate 94/min.',
      'news2.latest',
      'vitals.latest',
    ),
    s('The medical team should be informed immediately for urgent assessment; monitor at least 1-hourly.', 'news2.latest.response'),
  ],
  red: [
    s(
      'Latest NEWS2 is 3 but low-medium risk because systolic BP of 88 mmHg scores 3 on its own (a red score).',
      'news2.latest',
      'vitals.latest.systolicBp',
    ),
    s('The medical team should be informed and monitoring should be at least 1-hourly.', 'news2.latest.response'),
    s('Insulin glargine: the last 2 doses were refused (5 of 7 given).', 'adherence.meds.0'),
  ],
  partial: [
    s(
      'The latest observation set, 9 hours ago, is partial: temperature and consciousness were not recorded, giving a partial NEWS2 of 2.',
      'news2.latest',
    ),
    s(
      'Observations are overdue: they are due every 6 hours at this score and none have been charted for 9 hours.',
      'vitals.overdue',
      'vitals.overdueAfterHours',
      'vitals.hoursSinceLastObservation',
    ),
    s('Paracetamol: 2 doses missed.', 'adherence.meds.0.missed'),
  ],
  rejected: [
    s(
      'The latest set, 1 hour ago, recorded an SpO2 of 250%, which is impossible and was rejected, so the NEWS2 of 0 is partial.',
      'news2.latest',
    ),
    s(
      'The other values were within range: respiratory rate 18/min, BP 136/82 mmHg, heart rate 78/min, temperature 37.1 °C.',
      'vitals.latest',
    ),
    s('Please repeat the SpO2.'),
  ],
  improving: [
    s(
      'NEWS2 has fallen from a peak of 9 (high risk) 60 hours ago to 1 now; the trend is improving.',
      'news2.max',
      'news2.latest',
      'news2.trend',
    ),
    s('Latest SpO2 89% on air (scale 2), heart rate 92/min.', 'vitals.latest'),
  ],
  insulin: [
    s('Latest NEWS2 is 2 (low risk), 2 hours ago.', 'news2.latest'),
    s('Insulin aspart: the last 3 doses were refused.', 'adherence.meds.0'),
    s('Levetiracetam: 1 dose missed (13 of 14 given).', 'adherence.meds.1'),
  ],
};
