// The clinical domain's public API: a patient's week in, a grounded summary out. Pure: no I/O, no framework.
export * from './types';
export { defaultClinicalOptions, type ClinicalOptions } from './options';
export { buildFacts, FactsSchema, type Facts } from './facts';
export { news2Score, type News2Score, type RiskBand } from './news2';
export { PROMPT_VERSION, promptCategories } from './prompt';
export { clockFactsOf, summaryFingerprintMaterial } from './cache-key';
export { clockStableUntil, factsAtClock } from './clock';
export { SentenceSchema, type Sentence } from './model-output';
export { type GroundedAnswer } from './grounding';
export {
  summarizeWeek,
  prepareWeek,
  preparedWith,
  summarizePrepared,
  reuseSummary,
  regroundStored,
  type PreparedWeek,
  type SummaryWithSentences,
  PatientSummarySchema,
  GroundingSchema,
  type PatientSummary,
  type Grounding,
  type RejectedAnswer,
  type SummarizeDeps,
} from './summarize';
