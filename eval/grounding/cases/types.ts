// The shape of one eval case: a model answer for a scenario, whether it is true, and what the model says if asked to repair.

export type ScenarioKey = 'high' | 'normal' | 'medium' | 'red' | 'partial' | 'rejected' | 'improving' | 'insulin';

export interface CaseSentence {
  text: string;
  facts?: string[];
}

export interface EvalCase {
  id: string;
  patient: ScenarioKey;
  /** true: every claim is true and nothing that matters is left out; false: the clinician must not see it. */
  truth: boolean;
  /** For false answers the category; for true ones how they are phrased. */
  category: string;
  /** The model's first answer: sentences, or raw text (an answer that is not the JSON shape). */
  answer: CaseSentence[] | string;
  /**
   * What the model answers when given a repair turn (a careful model corrects itself). Absent: it repeats its
   * first answer. Its truth is `repairTruth` (default true).
   */
  repair?: CaseSentence[];
  repairTruth?: boolean;
}

export const s = (text: string, ...facts: string[]): CaseSentence => ({ text, facts });
