// Medication adherence over the window: per order and overall, missed runs, and critical drugs not taken.
import { z } from 'zod';
import type { ClinicalOptions } from './options';
import type { AdministrationRecord, PatientWeek } from './types';

const Count = z.number().int().min(0);

export const MedicationAdherenceSchema = z.object({
  orderId: z.string(),
  drug: z.string(),
  drugClass: z.string(),
  critical: z.boolean(),
  /** Doses due by now, less held ones: the denominator. */
  due: Count,
  given: Count,
  missed: Count,
  refused: Count,
  /** Held by a clinician: reported, but neither due nor missed. */
  held: Count,
  /** given / due as a whole percentage; null when nothing was due. */
  pct: z.number().int().nullable(),
  /** Consecutive doses missed or refused: the longest run, and the run still going at the latest due dose. */
  longestMissedRun: Count,
  currentMissedRun: Count,
});
export type MedicationAdherence = z.infer<typeof MedicationAdherenceSchema>;

export const AdherenceFactsSchema = z.object({
  overallPct: z.number().int().nullable(),
  due: Count,
  given: Count,
  missed: Count,
  refused: Count,
  held: Count,
  /** Drugs of a critical class with at least one dose missed or refused. */
  criticalMissed: z.array(z.string()),
  meds: z.array(MedicationAdherenceSchema),
});
export type AdherenceFacts = z.infer<typeof AdherenceFactsSchema>;

const percent = (given: number, due: number) => (due === 0 ? null : Math.round((given / due) * 100));

/**
 * Runs of missed or refused doses in due order. Held doses are skipped: holding is a deliberate clinical
 * decision, so it neither breaks nor extends a run of doses the patient should have had.
 */
function missedRuns(doses: AdministrationRecord[]): { longest: number; current: number } {
  let longest = 0;
  let current = 0;
  for (const dose of doses) {
    if (dose.status === 'held') continue;
    current = dose.status === 'given' ? 0 : current + 1;
    longest = Math.max(longest, current);
  }
  return { longest, current };
}

export function adherenceFacts(week: PatientWeek, now: Date, options: Pick<ClinicalOptions, 'criticalDrugClasses'>): AdherenceFacts {
  const criticalClasses = new Set(options.criticalDrugClasses.map((drugClass) => drugClass.toLowerCase()));
  const meds = week.medications.map((order): MedicationAdherence => {
    const doses = week.administrations
      .filter((dose) => dose.orderId === order.orderId && dose.dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const count = (status: AdministrationRecord['status']) => doses.filter((dose) => dose.status === status).length;
    const [given, missed, refused, held] = [count('given'), count('missed'), count('refused'), count('held')];
    const due = given + missed + refused;
    const runs = missedRuns(doses);
    return {
      orderId: order.orderId,
      drug: order.drug,
      drugClass: order.drugClass,
      critical: criticalClasses.has(order.drugClass.toLowerCase()),
      due,
      given,
      missed,
      refused,
      held,
      pct: percent(given, due),
      longestMissedRun: runs.longest,
      currentMissedRun: runs.current,
    };
  });
  const total = (key: 'due' | 'given' | 'missed' | 'refused' | 'held') => meds.reduce((sum, med) => sum + med[key], 0);
  return {
    overallPct: percent(total('given'), total('due')),
    due: total('due'),
    given: total('given'),
    missed: total('missed'),
    refused: total('refused'),
    held: total('held'),
    criticalMissed: meds.filter((med) => med.critical && med.missed + med.refused > 0).map((med) => med.drug),
    meds,
  };
}
