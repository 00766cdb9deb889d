// Audit hooks for the LLM client: an llm.request row committed before each attempt, llm.response after.
import type { AttemptEnd, AttemptHooks, AttemptStart } from '../llm';
import type { AuditEventInput, AuditOutcome, PurposeOfUse } from './types';
import type { AuditWriter } from './writer';

/** Who and why, carried opaquely through the LLM client as attempt `meta`. */
export interface DisclosureContext {
  actorId: string;
  actorRoles: string[];
  patientId: string | null;
  purposeOfUse: PurposeOfUse;
  requestId: string;
  /** Data categories sent, never content (45 CFR 164.528 description of the disclosure). */
  dataCategories: string[];
  promptVersion: string;
  windowDays: number;
}

function outcomeCode(a: AttemptEnd): AuditOutcome {
  if (a.outcome === 'success') return 'success';
  if (a.outcome === 'client_error' || (a.status !== null && a.status >= 400 && a.status < 500)) return 'minor_failure';
  return 'serious_failure';
}

/** The fields both rows share: who asked, for which patient, and which endpoint received the data. */
function common(a: AttemptStart): Omit<AuditEventInput, 'action' | 'outcome' | 'details'> {
  const ctx = a.meta as Partial<DisclosureContext>;
  if (!ctx.actorId || !ctx.actorRoles || !ctx.requestId || !ctx.purposeOfUse) {
    // Fail closed: an attempt without an accountable actor is never sent.
    throw new Error('LLM attempt without audit context');
  }
  return {
    actorId: ctx.actorId,
    actorRoles: ctx.actorRoles,
    patientId: ctx.patientId ?? null,
    purposeOfUse: ctx.purposeOfUse,
    requestId: ctx.requestId,
    target: { provider: a.provider, type: a.type, model: a.model, host: a.host, baa: a.baa },
  };
}

/**
 * `llm.request` is awaited (committed before the request is sent). `llm.response` is only queued (appendLater):
 * it joins the commit of the `summary.read` that follows instead of costing the clinician a commit of its own. A crash
 * in between loses that result row, never the disclosure row; a failed write is logged.
 */
export function llmAuditHooks(writer: AuditWriter, onResponseRowError: (err: unknown) => void = () => undefined): AttemptHooks {
  return {
    async beforeAttempt(a) {
      const ctx = a.meta as unknown as DisclosureContext;
      const row = await writer.append({
        ...common(a),
        action: 'llm.request',
        outcome: 'success',
        details: {
          attempt: a.attempt,
          providerAttempt: a.providerAttempt,
          hedge: a.hedge,
          requestBytes: a.requestBytes,
          requestSha256: a.requestSha256,
          dataCategories: ctx.dataCategories ?? [],
          promptVersion: ctx.promptVersion ?? null,
          windowDays: ctx.windowDays ?? null,
          purpose: 'treatment: shift summary',
        },
      });
      return row.id;
    },
    async afterAttempt(a) {
      const row = {
        ...common(a),
        action: 'llm.response',
        outcome: outcomeCode(a),
        details: {
          requestEventId: a.auditEventId,
          attempt: a.attempt,
          hedge: a.hedge,
          status: a.status,
          result: a.outcome,
          latencyMs: Math.round(a.latencyMs * 1000) / 1000,
          inputTokens: a.usage?.inputTokens ?? null,
          outputTokens: a.usage?.outputTokens ?? null,
        },
      } satisfies AuditEventInput;
      writer.appendLater(row).catch(onResponseRowError);
    },
  };
}
