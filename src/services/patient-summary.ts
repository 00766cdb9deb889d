// Use case: one patient's summary for a reader, cached by data fingerprint, its read audited before it is returned.
import { canSeeWard, type Principal } from '../access/policy';
import { ForbiddenError, NotFoundError } from '../errors';
import {
  actorOf,
  deadlineFrom,
  readWeek,
  requireAudit,
  summarizeLoaded,
  summaryReadRow,
  type SummaryRequest,
  type SummaryResponse,
  type SummaryServiceDeps,
} from './summary-core';

export async function readPatientSummary(deps: SummaryServiceDeps, principal: Principal, req: SummaryRequest): Promise<SummaryResponse> {
  requireAudit(deps);
  const deadlineAt = deadlineFrom(deps, Date.now());
  const now = deps.now?.() ?? new Date();
  const read = await readWeek(deps, req.patientId, req.days, now);
  if (!read) throw new NotFoundError('patient');
  const { keyed, known } = read;
  if (!canSeeWard(principal, keyed.loaded.wardId)) throw new ForbiddenError('this patient is not on one of your wards');
  const actor = actorOf(principal);
  // A hit among the rows the loader brought (or the memo kept) costs no query; otherwise the cache is read.
  const summarized = await summarizeLoaded(deps, actor, keyed, { ...req, deadlineAt }, known);
  // Committed before the data is returned: no read of patient data goes unrecorded.
  const row = await deps.audit.append(
    summaryReadRow(actor, req, {
      patientId: summarized.summary.patientId,
      fingerprint: summarized.fingerprint,
      summary: summarized.summary,
    }),
  );
  return { ...summarized.summary, auditEventId: row.id };
}

export interface PatientSummaryService {
  read(principal: Principal, req: SummaryRequest): Promise<SummaryResponse>;
}

export function patientSummaryService(deps: SummaryServiceDeps): PatientSummaryService {
  return { read: (principal, req) => readPatientSummary(deps, principal, req) };
}
