// The facts of a patient's week: one zod schema (the contract's `facts`), built from the week by pure rules.
import { z } from 'zod';
import { adherenceFacts, AdherenceFactsSchema } from './adherence';
import { NoteFactSchema, noteFact, selectNotes } from './notes';
import type { ClinicalOptions } from './options';
import type { PatientWeek } from './types';
import { News2WeekSchema, observationFacts, VitalsFactsSchema } from './vitals';

export const FactsSchema = z.object({
  news2: News2WeekSchema,
  vitals: VitalsFactsSchema,
  adherence: AdherenceFactsSchema,
  notes: z.array(NoteFactSchema),
});
export type Facts = z.infer<typeof FactsSchema>;

/** Keys ending in Id/At (and `id`) hold identifiers and ISO timestamps: never sent to a model, never quantities. */
export const isIdentifierOrTimestampKey = (key: string) => /^id$|Id$|At$/.test(key);

export function buildFacts(week: PatientWeek, now: Date, options: ClinicalOptions): Facts {
  return {
    ...observationFacts(week, now, options),
    adherence: adherenceFacts(week, now, options),
    notes: selectNotes(week, options).map(noteFact),
  };
}
