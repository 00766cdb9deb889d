// NEWS2 for one observation set, scored exactly as the RCP 2017 chart (docs/news2.md, Charts 1, 3 and 4).
import { z } from 'zod';
import { RejectedValueSchema, screenObservation } from './limits';
import type { VitalSigns } from './types';

export const News2ParameterSchema = z.enum([
  'respiratoryRate',
  'spo2',
  'airOrOxygen',
  'systolicBp',
  'pulse',
  'consciousness',
  'temperature',
]);
export type News2Parameter = z.infer<typeof News2ParameterSchema>;
export const news2Parameters = News2ParameterSchema.options;

export const RiskBandSchema = z.enum(['low', 'low-medium', 'medium', 'high']);
export type RiskBand = z.infer<typeof RiskBandSchema>;

/** null = the parameter could not be scored (not recorded). */
const SubScore = z.number().int().min(0).max(3).nullable();

export const News2ScoreSchema = z.object({
  /** Sum of the sub-scores that could be scored; a floor, not a NEWS2, when `partial`. */
  total: z.number().int(),
  subScores: z.object({
    respiratoryRate: SubScore,
    spo2: SubScore,
    airOrOxygen: SubScore,
    systolicBp: SubScore,
    pulse: SubScore,
    consciousness: SubScore,
    temperature: SubScore,
  }),
  spo2Scale: z.union([z.literal(1), z.literal(2)]),
  anySingleThree: z.boolean(),
  /** Some parameter could not be scored: not recorded (`missing`) or an impossible value (`rejected`). */
  partial: z.boolean(),
  /** Not recorded. */
  missing: z.array(News2ParameterSchema),
  /** Charted values no body can show (limits.ts): data errors, not scored. */
  rejected: z.array(RejectedValueSchema),
  /** When `partial`, the band of the floor total: missing parameters can only add points, so the true band is this or higher. */
  band: RiskBandSchema,
  response: z.object({ minimumMonitoring: z.string(), action: z.string() }),
});
export type News2Score = z.infer<typeof News2ScoreSchema>;
type SubScores = News2Score['subScores'];

// The chart bands integers (temperature in tenths). The RCP gives no rule for finer values, so they are
// first rounded to the charted resolution, which is what a nurse writing them on the chart would do.
function scoreRespiratoryRate(perMinute: number): number {
  const rr = Math.round(perMinute);
  if (rr <= 8) return 3;
  if (rr <= 11) return 1;
  if (rr <= 20) return 0;
  if (rr <= 24) return 2;
  return 3;
}

function scoreSpo2Scale1(percent: number): number {
  const spo2 = Math.round(percent);
  if (spo2 <= 91) return 3;
  if (spo2 <= 93) return 2;
  if (spo2 <= 95) return 1;
  return 0;
}

/** Scale 2 needs to know air or oxygen above 92%: without it the SpO2 cannot be scored (null). */
function scoreSpo2Scale2(percent: number, onOxygen: boolean | null): number | null {
  const spo2 = Math.round(percent);
  if (spo2 <= 83) return 3;
  if (spo2 <= 85) return 2;
  if (spo2 <= 87) return 1;
  if (spo2 <= 92) return 0;
  if (onOxygen === null) return null;
  if (!onOxygen) return 0;
  if (spo2 <= 94) return 1;
  if (spo2 <= 96) return 2;
  return 3;
}

function scoreSystolicBp(mmHg: number): number {
  const sbp = Math.round(mmHg);
  if (sbp <= 90) return 3;
  if (sbp <= 100) return 2;
  if (sbp <= 110) return 1;
  if (sbp <= 219) return 0;
  return 3;
}

function scorePulse(perMinute: number): number {
  const pulse = Math.round(perMinute);
  if (pulse <= 40) return 3;
  if (pulse <= 50) return 1;
  if (pulse <= 90) return 0;
  if (pulse <= 110) return 1;
  if (pulse <= 130) return 2;
  return 3;
}

function scoreTemperature(celsius: number): number {
  const tenths = Math.round(celsius * 10);
  if (tenths <= 350) return 3;
  if (tenths <= 360) return 1;
  if (tenths <= 380) return 0;
  if (tenths <= 390) return 1;
  return 2;
}

/** The NEWS2 parameter a charted field scores (diastolic BP scores none). */
const parameterOfField: Record<string, News2Parameter | undefined> = {
  respiratoryRate: 'respiratoryRate',
  spo2: 'spo2',
  systolicBp: 'systolicBp',
  heartRate: 'pulse',
  temperatureC: 'temperature',
};

function scoreOrNull(value: number | null, score: (value: number) => number): number | null {
  return value === null ? null : score(value);
}

/** Chart 3 in the chart's code order: total >= 7 high; >= 5 medium; any single 3 low-medium; else low. */
function riskBand(total: number, anySingleThree: boolean): RiskBand {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  if (anySingleThree) return 'low-medium';
  return 'low';
}

const responses: Record<RiskBand, News2Score['response']> = {
  high: {
    minimumMonitoring: 'continuous',
    action:
      'RN informs medical team immediately (at least registrar level); emergency assessment by a critical-care-competent team; consider HDU/ICU',
  },
  medium: {
    minimumMonitoring: '1-hourly',
    action: 'RN informs medical team immediately; urgent assessment by a clinician with acute-illness competencies',
  },
  'low-medium': { minimumMonitoring: '1-hourly', action: 'RN informs medical team, who decide whether to escalate' },
  low: { minimumMonitoring: '4–6-hourly', action: 'RN assesses, decides frequency/escalation' },
};
const routineResponse = { minimumMonitoring: '12-hourly', action: 'routine monitoring' };

/** Every response text the chart gives (the prompt never redacts them: src/clinical/prompt.ts). */
export const NEWS2_RESPONSE_TEXTS: string[] = [...Object.values(responses), routineResponse].flatMap((r) => [
  r.minimumMonitoring,
  r.action,
]);

/** Chart 4. A partial 0 is not a NEWS2 of 0, so only a complete 0 earns 12-hourly routine monitoring. */
function clinicalResponse(band: RiskBand, total: number, partial: boolean): News2Score['response'] {
  return band === 'low' && total === 0 && !partial ? routineResponse : responses[band];
}

/**
 * Scores one observation set. `spo2Scale` is the patient's recorded scale (2 only with clinician-recorded
 * hypercapnic respiratory failure), not what the observation was charted on: the chart says never to guess.
 * Impossible values are screened out first (limits.ts): not scored, listed as rejected, the set partial.
 */
export function news2Score(charted: VitalSigns, spo2Scale: 1 | 2): News2Score {
  const { screened: observation, rejected } = screenObservation(charted);
  const { spo2, onOxygen } = observation;
  const subScores: SubScores = {
    respiratoryRate: scoreOrNull(observation.respiratoryRate, scoreRespiratoryRate),
    spo2: spo2 === null ? null : spo2Scale === 2 ? scoreSpo2Scale2(spo2, onOxygen) : scoreSpo2Scale1(spo2),
    airOrOxygen: onOxygen === null ? null : onOxygen ? 2 : 0,
    systolicBp: scoreOrNull(observation.systolicBp, scoreSystolicBp),
    pulse: scoreOrNull(observation.heartRate, scorePulse),
    consciousness: observation.consciousness === null ? null : observation.consciousness === 'A' ? 0 : 3,
    temperature: scoreOrNull(observation.temperatureC, scoreTemperature),
  };
  const scored = news2Parameters.map((parameter) => subScores[parameter]);
  const rejectedParameters = new Set(rejected.map(({ field }) => parameterOfField[field]));
  const unscored = news2Parameters.filter((parameter) => subScores[parameter] === null);
  const missing = unscored.filter((parameter) => !rejectedParameters.has(parameter));
  const total = scored.reduce<number>((sum, score) => sum + (score ?? 0), 0);
  const anySingleThree = scored.includes(3);
  const partial = unscored.length > 0;
  const band = riskBand(total, anySingleThree);
  return {
    total,
    subScores,
    spo2Scale,
    anySingleThree,
    partial,
    missing,
    rejected,
    band,
    response: clinicalResponse(band, total, partial),
  };
}
