// Compliance routes: audit review, chain verification, streamed exports, accounting of disclosures.
import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import {
  AUDIT_ACTIONS,
  auditPageSchema,
  auditRecordSchema,
  chainVerificationSchema,
  disclosureReportSchema,
  EXPORT_FORMATS,
  exportEncoder,
  getAuditEvent,
  listAuditEvents,
  scanAuditEvents,
  scanDisclosures,
  seqBounds,
  verifyChain,
  type AuditEventInput,
  type AuditFilter,
  type AuditWriter,
  type FhirSource,
  type Json,
} from '../../audit';
import { requireRole } from '../auth';
import { notFound, parse } from '../errors';
import { documentRoute, errorResponse } from '../openapi';

export interface AuditRouteDeps {
  auditPool: pg.Pool;
  audit: AuditWriter;
  /** How FHIR exports name the observing service; defaults to "shiftnote". */
  auditSource?: FhirSource;
}

// ---- request schemas (each also documents its route) ----

/** ISO 8601 instant with an offset, or a date (midnight UTC). */
const instant = z
  .union([z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }), z.iso.date()])
  .transform((s) => new Date(s));

const windowShape = {
  from: instant.optional().meta({ description: 'Inclusive lower bound on recordedAt: ISO 8601 date-time with offset, or a date (midnight UTC).' }),
  to: instant.optional().meta({ description: 'Exclusive upper bound on recordedAt; same formats as `from`.' }),
};
const orderedWindow = (w: { from?: Date; to?: Date }) => !w.from || !w.to || w.from < w.to;
const windowMessage = { message: 'from must be before to', path: ['from'] };

const filterShape = {
  patientId: z.uuid({ message: 'must be a UUID' }).optional().meta({ description: 'Only rows about this patient.' }),
  actorId: z.string().min(1).max(200).optional().meta({ description: 'Only rows by this token subject.' }),
  action: z.enum(AUDIT_ACTIONS).optional().meta({ description: 'Only rows of this action.' }),
  ...windowShape,
};

/** Opaque to clients: base64url of the last seq they saw. */
const cursor = z
  .string()
  .max(64)
  .transform((c, ctx) => {
    const seq = Buffer.from(c, 'base64url').toString('utf8');
    // Digits within bigint: anything else would reach PostgreSQL as an out-of-range cast (a 500).
    if (!/^[1-9][0-9]{0,18}$/.test(seq) || BigInt(seq) > 9223372036854775807n) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid cursor' });
      return z.NEVER;
    }
    return seq;
  });

const listQuery = z
  .object({
    ...filterShape,
    cursor: cursor.optional().meta({ description: 'Opaque: the `nextCursor` of the previous page.' }),
    limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: 'Page size, 1–500; default 50.' }),
  })
  .strict()
  .refine(orderedWindow, windowMessage);

const exportQuery = z
  .object({ ...filterShape, format: z.enum(EXPORT_FORMATS).default('ndjson').meta({ description: 'ndjson (default), csv (RFC 4180) or fhir (R4 Bundle).' }) })
  .strict()
  .refine(orderedWindow, windowMessage);

const disclosuresQuery = z.object(windowShape).strict().refine(orderedWindow, windowMessage);
const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }).meta({ description: "The audit row's id." }) });
const patientParams = z.object({ patientId: z.uuid({ message: 'must be a UUID' }).meta({ description: "The patient's UUID." }) });
const noQuery = z.object({}).strict();

export const encodeCursor = (seq: string) => Buffer.from(seq, 'utf8').toString('base64url');

// ---- route docs (OpenAPI) ----

const tags = ['audit'];
const roles = ['compliance'] as const;
const auditedNote = 'Recorded as its own audit row (purposeOfUse HOPERAT), committed before the response is sent.';

const listDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events',
  summary: 'Review the audit trail, newest first',
  description: `Keyset pagination on seq: pages stay stable while new rows are appended. ${auditedNote}`,
  tags,
  roles,
  query: listQuery,
  responses: { 200: { description: 'A page of audit rows.', schema: auditPageSchema } },
});

const verifyDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events/verify',
  summary: 'Recompute the hash chain',
  description: `Streams the table in batches of 1000 by seq, recomputing every hash and link, then checks the chain head (tail deletion). A failure is logged and recorded as \`audit.verify\` with outcome serious_failure. ${auditedNote}`,
  tags,
  roles,
  query: noQuery,
  responses: { 200: { description: 'The result; `ok: false` names the first broken row.', schema: chainVerificationSchema } },
});

const exportDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events/export',
  summary: 'Export the audit trail (streamed)',
  description: `Oldest first, every row committed before the export's own \`audit.export\` row. \`format=ndjson\` (application/x-ndjson, one AuditRecord per line), \`csv\` (text/csv, RFC 4180, header row, CRLF, JSON columns as canonical JSON), \`fhir\` (application/fhir+json, an R4 Bundle of AuditEvent). ${auditedNote}`,
  tags,
  roles,
  query: exportQuery,
  responses: {
    200: {
      description: 'The export, streamed. The media type follows `format`.',
      contentType: 'application/x-ndjson',
      schema: z.string(),
      headers: { 'X-Audit-Event-Id': { description: 'Id of the `audit.export` row.' } },
    },
  },
});

const eventDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events/{id}',
  summary: 'One audit row',
  description: auditedNote,
  tags,
  roles,
  params: idParams,
  query: noQuery,
  responses: { 200: { description: 'The row.', schema: auditRecordSchema }, 404: errorResponse('No such audit row.') },
});

const disclosuresDoc = documentRoute({
  method: 'get',
  path: '/v1/patients/{patientId}/disclosures',
  summary: 'Accounting of disclosures (45 CFR 164.528)',
  description: `One entry per outbound LLM attempt for the patient, oldest first: date, recipient (provider, host, BAA), description of the data, purpose, and the outcome of the attempt. Streamed. ${auditedNote}`,
  tags,
  roles,
  params: patientParams,
  query: disclosuresQuery,
  responses: {
    200: {
      description: 'The accounting.',
      schema: disclosureReportSchema,
      headers: { 'X-Audit-Event-Id': { description: 'Id of the `audit.read` row.' } },
    },
    404: errorResponse('No such patient.'),
  },
});

// ---- helpers ----

/** The filters as recorded in the audit row: only what was asked, dates as ISO strings. */
function filtersJson(filter: AuditFilter & { format?: string; limit?: number; cursor?: string }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    out[key] = value instanceof Date ? value.toISOString() : (value as Json);
  }
  return out;
}

/** A compliance officer's use of the audit log, as its own audit row (HOPERAT). */
function complianceEvent(req: Request, e: Pick<AuditEventInput, 'action' | 'details'> & Partial<AuditEventInput>): AuditEventInput {
  return {
    outcome: 'success',
    actorId: req.principal!.sub,
    actorRoles: req.principal!.roles,
    patientId: null,
    purposeOfUse: 'HOPERAT',
    requestId: req.id,
    target: null,
    ...e,
  };
}

/**
 * Streams prefix, one chunk per batch, suffix. Each write waits for 'drain' when the socket buffer is
 * full, so memory is one batch whatever the size of the export; a client that goes away ends the loop.
 */
async function stream<T>(res: Response, begin: string, batches: AsyncIterable<T[]>, encode: (batch: T[]) => string, end: string): Promise<void> {
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const write = async (chunk: string): Promise<boolean> => {
    if (gone.signal.aborted || res.destroyed) return false;
    if (chunk.length === 0 || res.write(chunk)) return true;
    try {
      await once(res, 'drain', { signal: gone.signal });
      return true;
    } catch {
      return false;
    }
  };
  if (!(await write(begin))) return;
  for await (const batch of batches) {
    // Returning ends the generator: no further queries for a client that went away.
    if (!(await write(encode(batch)))) return;
  }
  if (await write(end)) res.end();
}

// ---- routes ----

export function auditRoutes(deps: AuditRouteDeps): Router {
  const { auditPool: pool, audit } = deps;
  const router = Router();
  const compliance = requireRole('compliance');

  router.get('/audit-events', listDoc, compliance, async (req, res) => {
    const { cursor: beforeSeq, limit, ...filter } = parse(listQuery, req.query);
    const page = await listAuditEvents(pool, filter, { beforeSeq, limit });
    // Committed before anything is sent: the review is itself reviewable.
    await audit.append(
      complianceEvent(req, {
        action: 'audit.read',
        patientId: filter.patientId ?? null,
        details: { view: 'list', filters: filtersJson({ ...filter, limit, ...(beforeSeq ? { cursor: beforeSeq } : {}) }), returned: page.events.length },
      }),
    );
    res.json({ events: page.events, nextCursor: page.nextBeforeSeq ? encodeCursor(page.nextBeforeSeq) : null });
  });

  // Registered before /audit-events/:id so "verify" and "export" are never taken for ids.
  router.get('/audit-events/verify', verifyDoc, compliance, async (req, res) => {
    parse(noQuery, req.query);
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
          headSeq: result.head.seq,
          headHash: result.head.hash,
        },
      }),
    );
    if (!result.ok) {
      req.log.error({ firstBrokenSeq: result.firstBrokenSeq, reason: result.reason, checked: result.checked }, 'audit chain verification FAILED');
    }
    res.json({ ...result, auditEventId: row.id });
  });

  router.get('/audit-events/export', exportDoc, compliance, async (req, res) => {
    const { format, ...filter } = parse(exportQuery, req.query);
    const bounds = await seqBounds(pool, filter);
    const row = await audit.append(
      complianceEvent(req, { action: 'audit.export', patientId: filter.patientId ?? null, details: { format, filters: filtersJson(filter) } }),
    );
    // The snapshot: every row committed before this export's own row (seq is assigned under the head lock).
    const snapshot = BigInt(row.seq) - 1n;
    const untilSeq = bounds?.untilSeq && BigInt(bounds.untilSeq) < snapshot ? bounds.untilSeq : snapshot.toString();
    const encoder = exportEncoder(format, { source: deps.auditSource, bundleId: row.id, timestamp: row.recordedAt });
    res.status(200);
    res.setHeader('Content-Type', encoder.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="audit-events-${row.recordedAt.slice(0, 10)}.${encoder.extension}"`);
    res.setHeader('X-Audit-Event-Id', row.id);
    const batches = bounds ? scanAuditEvents(pool, filter, { afterSeq: bounds.afterSeq, untilSeq }) : (async function* () {})();
    await stream(res, encoder.begin(), batches, (b) => encoder.rows(b), encoder.end());
  });

  router.get('/audit-events/:id', eventDoc, compliance, async (req, res) => {
    const { id } = parse(idParams, req.params);
    parse(noQuery, req.query);
    const event = await getAuditEvent(pool, id);
    await audit.append(complianceEvent(req, { action: 'audit.read', details: { view: 'event', eventId: id.toLowerCase(), returned: event ? 1 : 0 } }));
    if (!event) throw notFound('audit event');
    res.json(event);
  });

  // Mounted here (not with the clinical routes): it is a compliance view over the audit trail.
  router.get('/patients/:patientId/disclosures', disclosuresDoc, compliance, async (req, res) => {
    const { patientId } = parse(patientParams, req.params);
    const window = parse(disclosuresQuery, req.query);
    const known = await pool.query('SELECT 1 FROM patient WHERE id = $1', [patientId]);
    if (known.rowCount === 0) throw notFound('patient');
    const row = await audit.append(
      complianceEvent(req, { action: 'audit.read', patientId, details: { view: 'disclosures', filters: filtersJson(window) } }),
    );
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('X-Audit-Event-Id', row.id);
    const head = `{"patientId":${JSON.stringify(patientId.toLowerCase())},"from":${JSON.stringify(window.from?.toISOString() ?? null)},"to":${JSON.stringify(window.to?.toISOString() ?? null)},"disclosures":[`;
    let first = true;
    const encode = (batch: unknown[]) =>
      batch
        .map((d) => {
          const s = first ? JSON.stringify(d) : `,${JSON.stringify(d)}`;
          first = false;
          return s;
        })
        .join('');
    await stream(res, head, scanDisclosures(pool, patientId, window), encode, ']}');
  });

  return router;
}
