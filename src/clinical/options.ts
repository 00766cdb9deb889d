// Tunable clinical rules: what counts as critical, overdue, and how much note text a prompt may carry.

export interface ClinicalOptions {
  /** Drug classes whose missed doses are flagged as critical (compared case-insensitively). */
  criticalDrugClasses: string[];
  /** Hours after which the latest observation set counts as overdue. */
  overdueObservationHours: number;
  /** How many of the most recent notes are always listed, flagged or not. */
  recentNoteCount: number;
  /** Upper bound on flagged notes listed, so a long stay cannot flood the prompt. */
  maxFlaggedNotes: number;
  /** Longest note excerpt (characters) sent to a model, after redaction. */
  noteExcerptChars: number;
}

export const defaultClinicalOptions: ClinicalOptions = {
  criticalDrugClasses: ['anticoagulant', 'insulin', 'antiepileptic'],
  overdueObservationHours: 6,
  recentNoteCount: 5,
  maxFlaggedNotes: 10,
  noteExcerptChars: 300,
};
