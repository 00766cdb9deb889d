// How a held-out case is written: a true (t) or false (f) answer for a scenario, whose repair turn a careful model
// answers with the scenario's plainest true phrasing (corrected.ts).
import { corrected } from './corrected';
import type { EvalCase } from './types';

const held =
  (truth: boolean) =>
  (id: string, patient: EvalCase['patient'], category: string, answer: EvalCase['answer']): EvalCase => ({
    id,
    patient,
    truth,
    category,
    answer,
    repair: corrected[patient],
  });

/** A true answer: every claim holds and nothing that matters is left out. */
export const t = held(true);
/** A false answer: the clinician must not see it. */
export const f = held(false);
