// Compliance use cases over the audit trail: review, verify, export, accounting of disclosures, MRN lookup; each audited.
import type pg from 'pg';
import type { Principal } from '../access/policy';
import {
  exportEncoder,
  findPatientById,
  findPatientByMrn,
  getAuditEvent,
  listAuditEvents,
  scanAuditEvents,
  scanDisclosures,
  scanFoldedAuditEvents,
  seqBounds,
  verifyChain,
  type AuditEventInput,
  type AuditFilter,
  type AuditRecord,
  type AuditWriter,
  type ChainVerification,
  type ExportFormat,
  type FhirExportRow,
  type FhirSource,
  type Json,
  type PatientRef,
} from '../audit';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors';

export interface AuditReviewDeps {
  pool: pg.Pool;
  audit: AuditWriter;
  /** How FHIR exports name the observing service; defaults to "shiftnote". */
  source?: FhirSource;
}

/** Who is asking, for the row that records each use of the audit log (purposeOfUse HOPERAT). */
export interface ComplianceRequest {
  principal: Principal;
  requestId: string;
  /** The client's network address as its TCP connection shows it. */
  clientAddress?: string;
}

export interface TimeWindow {
  from?: Date;
  to?: Date;
}

/** A filter that may name its patient by a typed MRN instead of an id (not both: the route's schema says so). */
export type PatientFilter = AuditFilter & { mrn?: string };

export interface ReviewPage {
  events: AuditRecord[];
  /** seq of the last event when more (older) events match, else null. */
  nextBeforeSeq: string | null;
  /** The patient an MRN named, when the filter had one. */
  patient: PatientRef | null;
}

/** A streamed answer: its audit row is committed before the first chunk is asked for. */
export interface Streamed {
  auditEventId: string;
  chunks: AsyncIterable<string>;
}

export interface AuditExport extends Streamed {
  contentType: string;
  /** `audit-events-YYYY-MM-DD.{ndjson|csv|json}`. */
  filename: string;
}

export interface AuditReview {
  review(
    req: ComplianceRequest,
    filter: PatientFilter,
    page: { beforeSeq?: string; limit: number },
  ): Promise<{ page: ReviewPage; auditEventId: string }>;
  verify(req: ComplianceRequest): Promise<{ result: ChainVerification; auditEventId: string }>;
  export(req: ComplianceRequest, format: ExportFormat, filter: PatientFilter): Promise<AuditExport>;
  event(req: ComplianceRequest, id: string): Promise<{ event: AuditRecord; auditEventId: string }>;
  /** The accounting of disclosures (45 CFR 164.528) for a patient named by id or by a typed MRN. */
  disclosures(req: ComplianceRequest, patient: { patientId: string } | { mrn: string }, window: TimeWindow): Promise<Streamed>;
}

type Lookup = { lookup?: 'mrn' };

/** The filters as recorded in the audit row: only what was asked, dates as ISO strings. */
function filtersJson(filter: AuditFilter & { format?: string; limit?: number; cursor?: string }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    out[key] = value instanceof Date ? value.toISOString() : (value as Json);
  }
  return out;
}

/** A compliance officer's use of the audit log, as its own audit row (HOPERAT), with the client's address. */
function complianceEvent(
  req: ComplianceRequest,
  e: Pick<AuditEventInput, 'action' | 'details'> & Partial<AuditEventInput>,
): AuditEventInput {
  return {
    outcome: 'success',
    actorId: req.principal.sub,
    actorRoles: req.principal.roles,
    patientId: null,
    purposeOfUse: 'HOPERAT',
    requestId: req.requestId,
    target: null,
    ...e,
    details: { ...e.details, ...(req.clientAddress ? { clientAddress: req.clientAddress } : {}) },
  };
}

/** Prefix, one chunk per batch, suffix; empty chunks are left out. Returning early ends `batches` (no further queries). */
async function* chunked<T>(
  begin: string,
  batches: AsyncIterable<T[]>,
  encode: (batch: T[]) => string,
  end: string,
): AsyncGenerator<string> {
  if (begin) yield begin;
  for await (const batch of batches) {
    const chunk = encode(batch);
    if (chunk) yield chunk;
  }
  if (end) yield end;
}

async function* noBatches<T>(): AsyncGenerator<T[]> {}

export function auditReview({ pool, audit, source }: AuditReviewDeps): AuditReview {
  /**
   * The patient a compliance request names by MRN, resolved server-side. The resolution is recorded in the row of the
   * view it serves (`lookup: "mrn"`, never the MRN itself); a lookup that finds no patient (or two) is recorded as
   * its own row (outcome minor_failure) before the NotFoundError (ConflictError).
   */
  async function byMrn(req: ComplianceRequest, mrn: string, view: string): Promise<PatientRef> {
    const lookup = await findPatientByMrn(pool, mrn);
    if (lookup.found) return lookup.found;
    await audit.append(
      complianceEvent(req, {
        action: 'audit.read',
        outcome: 'minor_failure',
        details: { view, lookup: 'mrn', found: lookup.ambiguous ? 'ambiguous' : false },
      }),
    );
    if (lookup.ambiguous)
      throw new ConflictError('that MRN matches more than one patient once case, spaces and hyphens are ignored; use patientId');
    throw new NotFoundError('patient with that MRN');
  }

  /** A filter with `mrn` replaced by the patient it names; `lookup` is what the audit row records about it. */
  async function resolveFilter<F extends PatientFilter>(
    req: ComplianceRequest,
    query: F,
    view: string,
  ): Promise<{ filter: Omit<F, 'mrn'>; patient: PatientRef | null; lookup: Lookup }> {
    const { mrn, ...filter } = query;
    if (!mrn) return { filter, patient: null, lookup: {} };
    const patient = await byMrn(req, mrn, view);
    return { filter: { ...filter, patientId: patient.id }, patient, lookup: { lookup: 'mrn' } };
  }

  return {
    async review(req, query, { beforeSeq, limit }) {
      const { filter, patient, lookup } = await resolveFilter(req, query, 'list');
      const page = await listAuditEvents(pool, filter, { beforeSeq, limit });
      // Committed before anything is sent: the review is itself reviewable.
      const row = await audit.append(
        complianceEvent(req, {
          action: 'audit.read',
          patientId: filter.patientId ?? null,
          details: {
            view: 'list',
            ...lookup,
            filters: filtersJson({ ...filter, limit, ...(beforeSeq ? { cursor: beforeSeq } : {}) }),
            returned: page.events.length,
          },
        }),
      );
      return { page: { ...page, patient }, auditEventId: row.id };
    },

    async verify(req) {
      const result = await verifyChain(pool);
      const row = await audit.append(
        complianceEvent(req, {
          action: 'audit.verify',
          outcome: result.ok ? 'success' : 'serious_failure',
          details: {
            ok: result.ok,
            checked: result.checked,
            firstBrokenId: result.firstBrokenId,
            firstBrokenSeq: result.firstBrokenSeq,
            reason: result.reason,
            breaks: result.breaks.count,
            lastBrokenSeq: result.breaks.lastSeq,
            unansweredRequests: result.unansweredRequests.count,
            headSeq: result.head.seq,
            headHash: result.head.hash,
          },
        }),
      );
      return { result, auditEventId: row.id };
    },

    async export(req, format, query) {
      // In FHIR an attempt's result is part of its disclosure event: there is no llm.response event to filter on.
      if (format === 'fhir' && query.action === 'llm.response') {
        throw new InvalidRequestError('format=fhir folds llm.response rows into their llm.request events: filter on action=llm.request');
      }
      const { filter, lookup } = await resolveFilter(req, query, 'export');
      const bounds = await seqBounds(pool, filter);
      const row = await audit.append(
        complianceEvent(req, {
          action: 'audit.export',
          patientId: filter.patientId ?? null,
          details: { format, ...lookup, filters: filtersJson(filter) },
        }),
      );
      // The snapshot: every row committed before this export's own row (seq is assigned under the head lock).
      const snapshot = BigInt(row.seq) - 1n;
      const untilSeq = bounds?.untilSeq && BigInt(bounds.untilSeq) < snapshot ? bounds.untilSeq : snapshot.toString();
      const encoder = exportEncoder(format, { source, bundleId: row.id, timestamp: row.recordedAt });
      const scan = format === 'fhir' ? scanFoldedAuditEvents : scanAuditEvents;
      const batches: AsyncIterable<FhirExportRow[]> = bounds ? scan(pool, filter, { afterSeq: bounds.afterSeq, untilSeq }) : noBatches();
      return {
        auditEventId: row.id,
        contentType: encoder.contentType,
        filename: `audit-events-${row.recordedAt.slice(0, 10)}.${encoder.extension}`,
        chunks: chunked(encoder.begin(), batches, (b) => encoder.rows(b), encoder.end()),
      };
    },

    async event(req, id) {
      const event = await getAuditEvent(pool, id);
      const row = await audit.append(
        complianceEvent(req, { action: 'audit.read', details: { view: 'event', eventId: id.toLowerCase(), returned: event ? 1 : 0 } }),
      );
      if (!event) throw new NotFoundError('audit event');
      return { event, auditEventId: row.id };
    },

    async disclosures(req, key, window) {
      const typed = 'mrn' in key ? key.mrn : null;
      const patient =
        typed !== null ? await byMrn(req, typed, 'disclosures') : await findPatientById(pool, (key as { patientId: string }).patientId);
      if (!patient) throw new NotFoundError('patient');
      const lookup: Lookup = typed !== null ? { lookup: 'mrn' } : {};
      const row = await audit.append(
        complianceEvent(req, {
          action: 'audit.read',
          patientId: patient.id,
          details: { view: 'disclosures', ...lookup, filters: filtersJson(window) },
        }),
      );
      const head = `{"patientId":${JSON.stringify(patient.id.toLowerCase())},"mrn":${JSON.stringify(typed !== null ? patient.mrn : null)},"from":${JSON.stringify(window.from?.toISOString() ?? null)},"to":${JSON.stringify(window.to?.toISOString() ?? null)},"disclosures":[`;
      let first = true;
      const encode = (batch: unknown[]) =>
        batch
          .map((d) => {
            const s = first ? JSON.stringify(d) : `,${JSON.stringify(d)}`;
            first = false;
            return s;
          })
          .join('');
      return { auditEventId: row.id, chunks: chunked(head, scanDisclosures(pool, patient.id, window), encode, ']}') };
    },
  };
}
