// Use case "a clinician reads a patient's summary": load the week, summarise, audit the read.
import { summarizeWeek, type ChatCompleter, type ClinicalOptions, type PatientSummary, PROMPT_VERSION, promptCategories } from '../clinical';
import type { AuditWriter, DisclosureContext } from '../audit';
import type { Db } from '../db/client';
import { loadPatientWeek } from '../db/patient-week';
import { canSeeWard, type Principal } from '../http/auth';
import { forbidden, notFound } from '../http/errors';

export interface SummaryServiceDeps {
  db: Db;
  audit: AuditWriter;
  completer: ChatCompleter | null;
  clinicalOptions?: Partial<ClinicalOptions>;
  now?: () => Date;
}

export interface SummaryRequest {
  patientId: string;
  days: number;
  requestId: string;
  signal?: AbortSignal;
}

export type SummaryResponse = PatientSummary & { auditEventId: string };

export function purposeOf(principal: Principal): DisclosureContext['purposeOfUse'] {
  return principal.roles.includes('clinician') || principal.roles.includes('service') ? 'TREAT' : 'HOPERAT';
}

export async function readPatientSummary(deps: SummaryServiceDeps, principal: Principal, req: SummaryRequest): Promise<SummaryResponse> {
  const now = deps.now?.() ?? new Date();
  const window = { from: new Date(now.getTime() - req.days * 86_400_000), to: now };
  const loaded = await loadPatientWeek(deps.db, req.patientId, window);
  if (!loaded) throw notFound('patient');
  if (!canSeeWard(principal, loaded.wardId)) throw forbidden('this patient is not on one of your wards');

  const context: DisclosureContext = {
    actorId: principal.sub,
    actorRoles: principal.roles,
    patientId: req.patientId,
    purposeOfUse: purposeOf(principal),
    requestId: req.requestId,
    dataCategories: promptCategories,
    promptVersion: PROMPT_VERSION,
    windowDays: req.days,
  };
  const summary = await summarizeWeek(
    loaded.week,
    { completer: deps.completer, now, options: deps.clinicalOptions },
    { signal: req.signal, meta: { ...context } },
  );
  // Committed before the data is returned: no read of patient data goes unrecorded.
  const read = await deps.audit.append({
    action: 'summary.read',
    outcome: 'success',
    actorId: principal.sub,
    actorRoles: principal.roles,
    patientId: req.patientId,
    purposeOfUse: context.purposeOfUse,
    requestId: req.requestId,
    target: null,
    details: {
      windowDays: req.days,
      source: summary.source,
      provider: summary.provider,
      model: summary.model,
      grounded: summary.grounding.ok,
      promptVersion: PROMPT_VERSION,
    },
  });
  return { ...summary, auditEventId: read.id };
}
