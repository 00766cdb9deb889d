// What a charted vital sign can be: one table of limits; a value outside is a data error, never scored as a reading.
import { z } from 'zod';
import type { VitalSigns } from './types';

export const ChartedFieldSchema = z.enum(['respiratoryRate', 'spo2', 'systolicBp', 'diastolicBp', 'heartRate', 'temperatureC']);
export type ChartedField = z.infer<typeof ChartedFieldSchema>;

interface Limit {
  /** Lowest and highest value accepted as a reading, inclusive. */
  min: number;
  max: number;
}

/**
 * Inclusive limits. Chosen to keep every reading a living ward patient can show (and the chart can score),
 * and to turn away what no body shows: typing slips (SpO2 250, 60 °C), unit mix-ups (°F as °C), a probe off.
 * References:
 * - MIT-LCP mimic-code, MIMIC-IV `concepts/measurement/vitalsign.sql`: keeps 0 < HR < 300, 0 < SBP < 400,
 *   0 < DBP < 300, 0 < RR < 70, 10 < temperature < 50 °C, 0 < SpO2 ≤ 100 — the widest cleaning bounds in use.
 * - MIT-LCP eicu-code, `concepts/pivoted/pivoted-vital.sql`: HR 25–225, RR 0–60, SpO2 0–100, NIBP systolic
 *   25–250 and diastolic 1–200, invasive systolic 1–300, temperature 25–46 °C.
 * - ISO 80601-2-61 (pulse oximeters): SpO2 accuracy is stated over 70–100 %; a percentage above 100 is impossible
 *   by definition (the share of haemoglobin that is oxygenated).
 * - RCP NEWS2 (2017) Chart 1: scores RR, SpO2, systolic BP, pulse and temperature on open-ended bands (≤8, ≥25,
 *   ≤91, ≥220, ≤40, ≥131, ≤35.0, ≥39.1), so only a limit like these keeps an impossible value out of a score.
 */
export const chartLimits: Record<ChartedField, Limit> = {
  // >0 as in MIMIC (0 is apnoea: an arrest call, not a charted set); 70 is MIMIC's upper bound (eICU: 60).
  respiratoryRate: { min: 1, max: 70 },
  // ≤100 by definition; below 50 no oximeter is calibrated (accuracy is specified from 70 %), so a reading
  // there is a probe or charting error far more often than physiology.
  spo2: { min: 50, max: 100 },
  // A cuff reads roughly 40 to 300; eICU keeps invasive systolic to 300, MIMIC's 400 is an ICU cleaning bound.
  systolicBp: { min: 40, max: 300 },
  // eICU's non-invasive diastolic bounds (1–200), with 10 as the floor of a measurable cuff diastolic.
  diastolicBp: { min: 10, max: 200 },
  // Below eICU's 25 to keep the slowest escape rhythms; MIMIC's 300 above (the fastest conducted rates).
  heartRate: { min: 20, max: 300 },
  // eICU's 25–46 narrowed at the top to 45: above it no one has been charted alive on a ward; below 25 is a
  // °F/°C slip or a room-temperature probe.
  temperatureC: { min: 25, max: 45 },
};

export const RejectedValueSchema = z.object({
  field: ChartedFieldSchema,
  /** The value as charted (null if it was not a finite number). */
  value: z.number().nullable(),
  min: z.number(),
  max: z.number(),
  /** outside the limits, or a blood pressure whose diastolic is not below its systolic (one of them is wrong). */
  reason: z.enum(['out_of_range', 'diastolic_not_below_systolic']),
});
export type RejectedValue = z.infer<typeof RejectedValueSchema>;

const fields = ChartedFieldSchema.options;

/**
 * The observation with every impossible value replaced by null (so it is neither scored nor shown as a
 * reading), and the values it rejected. Bounds are inclusive: a value exactly at a limit is a reading.
 */
export function screenObservation(observation: VitalSigns): { screened: VitalSigns; rejected: RejectedValue[] } {
  const rejected: RejectedValue[] = [];
  const screened = { ...observation };
  for (const field of fields) {
    const value = observation[field];
    if (value === null) continue;
    const { min, max } = chartLimits[field];
    if (!Number.isFinite(value) || value < min || value > max) {
      rejected.push({ field, value: Number.isFinite(value) ? value : null, min, max, reason: 'out_of_range' });
      screened[field] = null;
    }
  }
  const { systolicBp, diastolicBp } = screened;
  if (systolicBp !== null && diastolicBp !== null && diastolicBp >= systolicBp) {
    for (const field of ['systolicBp', 'diastolicBp'] as const) {
      const { min, max } = chartLimits[field];
      rejected.push({ field, value: observation[field], min, max, reason: 'diastolic_not_below_systolic' });
      screened[field] = null;
    }
  }
  return { screened, rejected };
}
