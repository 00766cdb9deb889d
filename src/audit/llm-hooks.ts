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
  /** What the disclosure was for, in the accounting's words; default "treatment: shift summary". */
  purpose?: string;
  /** SHA-256 of what the prompt was built from (the summary cache key): which version of the data was disclosed. */
  fingerprint?: string;
}

/**
 * FHIR outcome of one attempt. A refusal, a configuration error or another 4xx is a minor failure (the provider
 * answered, but not with a summary); no answer at all (5xx, timeout, reset, garbage, an oversized body) is serious.
 */
function outcomeCode(a: AttemptEnd): AuditOutcome {
  switch (a.outcome) {
    case 'success':
      return 'success';
    case 'refused':
    case 'misconfigured':
    case 'client_error':
      return 'minor_failure';
    default:
      return a.status !== null && a.status >= 400 && a.status < 500 && a.outcome !== '429' ? 'minor_failure' : 'serious_failure';
  }
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
 * it joins the commit of the `summary.read` that follows instead of costing the clinician a commit of its own. A
 * commit that cannot happen (a database restart) keeps it for a retry; only a crash before its commit loses it, and
 * verification then counts that disclosure as unanswered (`unansweredRequests`). A row the database refuses is logged.
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
          fingerprint: ctx.fingerprint ?? null,
          purpose: ctx.purpose ?? 'treatment: shift summary',
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
          // The provider's own error type or stop reason (e.g. "refusal", "not_found_error"): never content.
          reason: a.reason ?? null,
          latencyMs: Math.round(a.latencyMs * 1000) / 1000,
          inputTokens: a.usage?.inputTokens ?? null,
          outputTokens: a.usage?.outputTokens ?? null,
        },
      } satisfies AuditEventInput;
      writer.appendLater(row).catch(onResponseRowError);
    },
  };
}
