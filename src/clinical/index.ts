// The clinical domain's public API: a patient's week in, a grounded summary out.
// TEMPORARY STUB: replaced by the full implementation (NEWS2, adherence, notes, prompt, grounding).
import type { AttemptMeta, ChatCompleter, PatientWeek } from './types';

export * from './types';

export interface ClinicalOptions {
  /** Drug classes whose missed doses are flagged as critical. */
  criticalDrugClasses: string[];
  /** Hours after which the latest observation set counts as overdue. */
  overdueObservationHours: number;
}

export const defaultClinicalOptions: ClinicalOptions = {
  criticalDrugClasses: ['anticoagulant', 'insulin', 'antiepileptic'],
  overdueObservationHours: 6,
};

export interface Grounding {
  ok: boolean;
  unsupported: string[];
}

/** The contract's summary body, less what the HTTP layer adds (auditEventId). */
export interface PatientSummary {
  patientId: string;
  window: { from: string; to: string };
  summary: string;
  source: 'llm' | 'fallback';
  provider: string | null;
  model: string | null;
  facts: Record<string, unknown>;
  grounding: Grounding;
  generatedAt: string;
}

export interface SummarizeDeps {
  /** null when no provider is configured: the deterministic fallback answers. */
  completer: ChatCompleter | null;
  now: Date;
  options?: Partial<ClinicalOptions>;
}

export async function summarizeWeek(
  week: PatientWeek,
  deps: SummarizeDeps,
  run: { signal?: AbortSignal; meta: AttemptMeta },
): Promise<PatientSummary> {
  const base = {
    patientId: week.patientId,
    window: { from: week.window.from.toISOString(), to: week.window.to.toISOString() },
    facts: { observations: week.observations.length },
    generatedAt: deps.now.toISOString(),
  };
  if (deps.completer) {
    try {
      const answer = await deps.completer.complete(
        { system: 'Summarise.', messages: [{ role: 'user', content: `${week.observations.length} observations` }], maxTokens: 300 },
        { signal: run.signal, meta: run.meta },
      );
      return { ...base, summary: answer.text, source: 'llm', provider: answer.provider, model: answer.model, grounding: { ok: true, unsupported: [] } };
    } catch {
      // fall through to the fallback
    }
  }
  return {
    ...base,
    summary: `${week.observations.length} observation sets recorded.`,
    source: 'fallback',
    provider: null,
    model: null,
    grounding: { ok: true, unsupported: [] },
  };
}
