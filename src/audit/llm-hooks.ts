// Audit hooks for the LLM client: an llm.request row committed before each attempt, llm.response after.
import type { AuditWriter } from './writer';
import type { AuditOutcome, PurposeOfUse } from './types';

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

export interface AttemptStartInfo {
  provider: string;
  type: string;
  model: string;
  host: string;
  baa: boolean;
  attempt: number;
  providerAttempt: number;
  hedge: boolean;
  requestBytes: number;
  requestSha256: string;
  meta: Record<string, unknown>;
}

export interface AttemptEndInfo extends AttemptStartInfo {
  auditEventId: string;
  status: number | null;
  outcome: string;
  latencyMs: number;
  usage?: { inputTokens: number; outputTokens: number };
}

function outcomeCode(outcome: string, status: number | null): AuditOutcome {
  if (outcome === 'success') return 'success';
  if (outcome === 'client_error' || (status !== null && status >= 400 && status < 500)) return 'minor_failure';
  return 'serious_failure';
}

function context(meta: Record<string, unknown>): DisclosureContext {
  const ctx = meta as Partial<DisclosureContext>;
  if (!ctx.actorId || !ctx.requestId || !ctx.purposeOfUse) {
    // Fail closed: an attempt without an accountable actor is never sent.
    throw new Error('LLM attempt without audit context');
  }
  return ctx as DisclosureContext;
}

export function llmAuditHooks(writer: AuditWriter) {
  return {
    async beforeAttempt(a: AttemptStartInfo): Promise<string> {
      const ctx = context(a.meta);
      const row = await writer.append({
        action: 'llm.request',
        outcome: 'success',
        actorId: ctx.actorId,
        actorRoles: ctx.actorRoles,
        patientId: ctx.patientId,
        purposeOfUse: ctx.purposeOfUse,
        requestId: ctx.requestId,
        target: { provider: a.provider, type: a.type, model: a.model, host: a.host, baa: a.baa },
        details: {
          attempt: a.attempt,
          providerAttempt: a.providerAttempt,
          hedge: a.hedge,
          requestBytes: a.requestBytes,
          requestSha256: a.requestSha256,
          dataCategories: ctx.dataCategories,
          promptVersion: ctx.promptVersion,
          windowDays: ctx.windowDays,
          purpose: 'treatment: shift summary',
        },
      });
      return row.id;
    },
    async afterAttempt(a: AttemptEndInfo): Promise<void> {
      const ctx = context(a.meta);
      await writer.append({
        action: 'llm.response',
        outcome: outcomeCode(a.outcome, a.status),
        actorId: ctx.actorId,
        actorRoles: ctx.actorRoles,
        patientId: ctx.patientId,
        purposeOfUse: ctx.purposeOfUse,
        requestId: ctx.requestId,
        target: { provider: a.provider, type: a.type, model: a.model, host: a.host, baa: a.baa },
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
      });
    },
  };
}
