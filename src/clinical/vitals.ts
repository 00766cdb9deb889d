// The window's observations as facts: each set's NEWS2, the latest and highest, the trend, overdue, and what scored.
import { z } from 'zod';
import { news2Parameters, news2Score, News2ParameterSchema, News2ScoreSchema, type News2Parameter, type News2Score } from './news2';
import { screenObservation } from './limits';
import type { ClinicalOptions } from './options';
import type { PatientWeek, VitalSigns } from './types';

/** A set's charted values, impossible ones (the score's `rejected`) left out as null: what a reading may state. */
export const ChartedValuesSchema = z.object({
  respiratoryRate: z.number().nullable(),
  spo2: z.number().nullable(),
  onOxygen: z.boolean().nullable(),
  systolicBp: z.number().nullable(),
  diastolicBp: z.number().nullable(),
  heartRate: z.number().nullable(),
  consciousness: z.string().nullable(),
  temperatureC: z.number().nullable(),
});
export type ChartedValues = z.infer<typeof ChartedValuesSchema>;

export const ScoredSetSchema = News2ScoreSchema.extend({
  observationId: z.string(),
  takenAt: z.string(),
  /** In 0.1 h steps of one clock grid (ageInHours): every set's changes at the same instants. */
  hoursAgo: z.number(),
  values: ChartedValuesSchema,
});
export type ScoredSet = z.infer<typeof ScoredSetSchema>;

export const TrendSchema = z.object({
  direction: z.enum(['rising', 'falling', 'stable', 'unknown']),
  /** Complete sets in each of the two compared groups (0 when unknown). */
  setsCompared: z.number().int(),
  recentMean: z.number().nullable(),
  previousMean: z.number().nullable(),
});
export type Trend = z.infer<typeof TrendSchema>;

export const News2WeekSchema = z.object({
  scale: z.union([z.literal(1), z.literal(2)]),
  latest: ScoredSetSchema.nullable(),
  max: ScoredSetSchema.nullable(),
  trend: TrendSchema,
  /** Every observation set in the window, oldest first. */
  scores: z.array(ScoredSetSchema),
});
export type News2Week = z.infer<typeof News2WeekSchema>;

const DriverSchema = z.object({
  parameter: News2ParameterSchema,
  /** The charted value: a number, "oxygen", or the ACVPU letter. */
  value: z.union([z.number(), z.string()]),
  score: z.number().int(),
});
export type Driver = z.infer<typeof DriverSchema>;

export const VitalsFactsSchema = z.object({
  observationCount: z.number().int(),
  lastObservedAt: z.string().nullable(),
  hoursSinceLastObservation: z.number().nullable(),
  /** No set in the window, or the latest is older than `overdueAfterHours`. */
  overdue: z.boolean(),
  overdueAfterHours: z.number(),
  /** The latest set's values (impossible ones null: see news2.latest.rejected). */
  latest: ChartedValuesSchema.nullable(),
  /** The parameters that scored above 0 at the latest set and at the highest-scoring set. */
  drivers: z.object({ latest: z.array(DriverSchema), max: z.array(DriverSchema) }),
});
export type VitalsFacts = z.infer<typeof VitalsFactsSchema>;

const hourMs = 3_600_000;
const roundTo1 = (value: number) => Math.round(value * 10) / 10;
/** 0.1 h: the precision of every "hours ago". */
const AGE_STEP_MS = 360_000;

/**
 * Hours from `at` to `now` (epoch ms) in 0.1 h steps of one grid counted from the epoch: the number of step boundaries
 * between them. Every set's age therefore changes at the same instants, all by 0.1 h (rounding each age on its own
 * flipped them at scattered instants, so a ward's facts, and its ETag, changed every second or so). At most one step
 * from the exact age. A set timed after `now` (clock skew between devices) counts as just taken, not as negative.
 */
export function ageInHours(at: number, now: number): number {
  return Math.max(0, Math.floor(now / AGE_STEP_MS) - Math.floor(at / AGE_STEP_MS)) / 10;
}

/**
 * Trend rule: the mean NEWS2 of the most recent k complete sets against the mean of the k complete sets just
 * before them, k = min(3, floor(n / 2)) so both groups are the same size. A difference of 2 or more is rising
 * (or falling); less is stable; fewer than 2 complete sets is unknown. Partial totals are left out: they are
 * floors, and a run of spot checks would otherwise look like a fall.
 */
export function news2Trend(completeTotals: number[]): Trend {
  const k = Math.min(3, Math.floor(completeTotals.length / 2));
  if (k === 0) return { direction: 'unknown', setsCompared: 0, recentMean: null, previousMean: null };
  const sum = (totals: number[]) => totals.reduce((a, b) => a + b, 0);
  const recent = sum(completeTotals.slice(-k));
  const previous = sum(completeTotals.slice(-2 * k, -k));
  // Compared as sums (difference of means >= 2 <=> difference of sums >= 2k): exact, no float edge.
  const difference = recent - previous;
  const direction = difference >= 2 * k ? 'rising' : difference <= -2 * k ? 'falling' : 'stable';
  return { direction, setsCompared: k, recentMean: roundTo1(recent / k), previousMean: roundTo1(previous / k) };
}

function chartedValue(observation: VitalSigns, parameter: News2Parameter): number | string | null {
  switch (parameter) {
    case 'respiratoryRate':
      return observation.respiratoryRate;
    case 'spo2':
      return observation.spo2;
    case 'airOrOxygen':
      return observation.onOxygen === null ? null : observation.onOxygen ? 'oxygen' : 'air';
    case 'systolicBp':
      return observation.systolicBp;
    case 'pulse':
      return observation.heartRate;
    case 'consciousness':
      return observation.consciousness;
    case 'temperature':
      return observation.temperatureC;
  }
}

function drivers(observation: VitalSigns | undefined, score: News2Score | null): Driver[] {
  if (!observation || !score) return [];
  return news2Parameters.flatMap((parameter) => {
    const subScore = score.subScores[parameter];
    const value = chartedValue(observation, parameter);
    return subScore && value !== null ? [{ parameter, value, score: subScore }] : [];
  });
}

function chartedValues(observation: VitalSigns): ChartedValues {
  return {
    respiratoryRate: observation.respiratoryRate,
    spo2: observation.spo2,
    onOxygen: observation.onOxygen,
    systolicBp: observation.systolicBp,
    diastolicBp: observation.diastolicBp,
    heartRate: observation.heartRate,
    consciousness: observation.consciousness,
    temperatureC: observation.temperatureC,
  };
}

export function observationFacts(
  week: PatientWeek,
  now: Date,
  options: Pick<ClinicalOptions, 'overdueObservationHours'>,
): { news2: News2Week; vitals: VitalsFacts } {
  const scale = week.hypercapnicRespiratoryFailure ? 2 : 1;
  // Impossible values leave the facts here, once: neither scored nor shown as readings (limits.ts).
  const charted = [...week.observations].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const observations = charted.map((observation) => screenObservation(observation).screened);
  const scores: ScoredSet[] = charted.map((observation, i) => ({
    observationId: observation.id,
    takenAt: observation.takenAt.toISOString(),
    hoursAgo: ageInHours(observation.takenAt.getTime(), now.getTime()),
    ...news2Score(observation, scale),
    values: chartedValues(observations[i]),
  }));
  const latestIndex = scores.length - 1;
  // Highest total; a tie goes to the more recent set.
  const maxIndex = scores.reduce((best, score, i) => (score.total >= scores[best].total ? i : best), 0);
  const latest = scores[latestIndex] ?? null;
  const max = scores[maxIndex] ?? null;
  const lastObservation = observations[latestIndex];
  const overdue = !lastObservation || now.getTime() - lastObservation.takenAt.getTime() > options.overdueObservationHours * hourMs;

  return {
    news2: {
      scale,
      latest,
      max,
      trend: news2Trend(scores.filter((score) => !score.partial).map((score) => score.total)),
      scores,
    },
    vitals: {
      observationCount: observations.length,
      lastObservedAt: latest?.takenAt ?? null,
      hoursSinceLastObservation: latest?.hoursAgo ?? null,
      overdue,
      overdueAfterHours: options.overdueObservationHours,
      latest: latest?.values ?? null,
      drivers: { latest: drivers(lastObservation, latest), max: drivers(observations[maxIndex], max) },
    },
  };
}
