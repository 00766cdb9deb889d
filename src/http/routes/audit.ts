// Compliance routes: audit review, chain verification, streamed exports, accounting of disclosures.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  AUDIT_ACTIONS,
  auditPageSchema,
  auditRecordSchema,
  chainVerificationSchema,
  disclosureReportSchema,
  EXPORT_FORMATS,
  fhirAuditBundleSchema,
  MRN_PATTERN,
  normalizeMrn,
} from '../../audit';
import type { AuditReview, ComplianceRequest, Streamed } from '../../services/audit-review';
import { requireRole } from '../auth';
import { parse } from '../errors';
import { documentRoute, errorResponse } from '../openapi';
import { patientParams } from '../params';
import { sendStream } from '../send';

// ---- request schemas (each also documents its route) ----

/** ISO 8601 instant with an offset, or a date (midnight UTC). */
const instant = z
  .union([z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }), z.iso.date()])
  .transform((s) => new Date(s));

const windowShape = {
  from: instant
    .optional()
    .meta({ description: 'Inclusive lower bound on recordedAt: ISO 8601 date-time with offset, or a date (midnight UTC).' }),
  to: instant.optional().meta({ description: 'Exclusive upper bound on recordedAt; same formats as `from`.' }),
};
const orderedWindow = (w: { from?: Date; to?: Date }) => !w.from || !w.to || w.from < w.to;
const windowMessage = { message: 'from must be before to', path: ['from'] };
const onePatientKey = (q: { patientId?: string; mrn?: string }) => !(q.patientId && q.mrn);
const onePatientMessage = { message: 'give patientId or mrn, not both', path: ['mrn'] };

/** A typed MRN, normalised as normalizeMrn() says (case, spaces and dashes ignored). */
const mrn = z
  .string()
  .max(100)
  .transform(normalizeMrn)
  .pipe(z.string().regex(MRN_PATTERN, { message: 'must be letters and digits (case, spaces and hyphens are ignored)' }));
const mrnDescription =
  "The patient's medical record number, as a person typed it: case, spaces and hyphens are ignored. Resolved to the patient server-side (the lookup is audited); an MRN matching no patient → 404. Not with `patientId`.";

const filterShape = {
  patientId: z.uuid({ message: 'must be a UUID' }).optional().meta({ description: 'Only rows about this patient.' }),
  mrn: mrn.optional().meta({ description: `Only rows about the patient with this MRN. ${mrnDescription}` }),
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
  .refine(orderedWindow, windowMessage)
  .refine(onePatientKey, onePatientMessage);

const exportQuery = z
  .object({
    ...filterShape,
    format: z.enum(EXPORT_FORMATS).default('ndjson').meta({ description: 'ndjson (default), csv (RFC 4180) or fhir (R4 Bundle).' }),
  })
  .strict()
  .refine(orderedWindow, windowMessage)
  .refine(onePatientKey, onePatientMessage);

const disclosuresQuery = z.object(windowShape).strict().refine(orderedWindow, windowMessage);
const disclosuresByKeyQuery = z
  .object({
    patientId: z.uuid({ message: 'must be a UUID' }).optional().meta({ description: "The patient's UUID. Give this or `mrn`." }),
    mrn: mrn.optional().meta({ description: mrnDescription }),
    ...windowShape,
  })
  .strict()
  .refine(orderedWindow, windowMessage)
  .refine(onePatientKey, onePatientMessage)
  .refine((q) => Boolean(q.patientId || q.mrn), { message: 'give patientId or mrn', path: ['patientId'] });
const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }).meta({ description: "The audit row's id." }) });
const noQuery = z.object({}).strict();

export const encodeCursor = (seq: string) => Buffer.from(seq, 'utf8').toString('base64url');

// ---- route docs (OpenAPI) ----

const tags = ['audit'];
const roles = ['compliance'] as const;
const auditedNote = 'Recorded as its own audit row (purposeOfUse HOPERAT), committed before the response is sent.';
const auditRowHeader = (action: string) => ({
  'X-Audit-Event-Id': { description: `Id of the \`${action}\` row recording this request.`, schema: z.uuid(), required: true },
});

const listDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events',
  summary: 'Review the audit trail, newest first',
  description: `Keyset pagination on seq: pages stay stable while new rows are appended. ${auditedNote}`,
  tags,
  roles,
  refuseHead: true,
  query: listQuery,
  responses: {
    200: { description: 'A page of audit rows.', schema: auditPageSchema, headers: auditRowHeader('audit.read') },
    404: errorResponse('No patient has that MRN.'),
    409: errorResponse('The MRN matches more than one patient once case, spaces and hyphens are ignored.'),
  },
});

const verifyDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events/verify',
  summary: 'Recompute the hash chain',
  description: `Streams the table in batches of 1000 by seq, recomputing every hash and link and carrying on after a break, so every break is reported (count, first and last seq, by reason), then checks the chain head (tail deletion). A failure is logged and recorded as \`audit.verify\` with outcome serious_failure. ${auditedNote}`,
  tags,
  roles,
  refuseHead: true,
  query: noQuery,
  responses: {
    200: {
      description: 'The result; `ok: false` names the first broken row.',
      schema: chainVerificationSchema,
      headers: auditRowHeader('audit.verify'),
    },
  },
});

const exportDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events/export',
  summary: 'Export the audit trail (streamed)',
  description: `Oldest first, every row committed before the export's own \`audit.export\` row. \`format=ndjson\` (application/x-ndjson, one AuditRecord per line), \`csv\` (text/csv, RFC 4180, header row, CRLF, JSON columns as canonical JSON: every hash recomputes from the file), \`fhir\` (application/fhir+json, an R4 Bundle: one AuditEvent per row following IHE BALP where a profile applies, each \`llm.response\` row folded into the disclosure event of the request it answers, and a Patient entry for each patient named, so every reference resolves inside the Bundle). ${auditedNote}`,
  tags,
  roles,
  refuseHead: true,
  query: exportQuery,
  responses: {
    200: {
      description: 'The export, streamed. The media type follows `format`.',
      content: {
        'application/x-ndjson': {
          schema: z.string().meta({ description: 'One AuditRecord (JSON) per line, LF-terminated.' }),
          itemSchema: auditRecordSchema,
        },
        'text/csv': {
          schema: z.string().meta({
            description: 'RFC 4180 with a header row (the AuditRecord fields in order), CRLF line ends; charset=utf-8; header=present.',
          }),
        },
        'application/fhir+json': { schema: fhirAuditBundleSchema },
      },
      headers: {
        ...auditRowHeader('audit.export'),
        'Content-Disposition': { description: 'attachment; filename="audit-events-YYYY-MM-DD.{ndjson|csv|json}"', required: true },
      },
    },
    404: errorResponse('No patient has that MRN.'),
    409: errorResponse('The MRN matches more than one patient once case, spaces and hyphens are ignored.'),
  },
});

const eventDoc = documentRoute({
  method: 'get',
  path: '/v1/audit-events/{id}',
  summary: 'One audit row',
  description: auditedNote,
  tags,
  roles,
  refuseHead: true,
  params: idParams,
  query: noQuery,
  responses: {
    200: { description: 'The row.', schema: auditRecordSchema, headers: auditRowHeader('audit.read') },
    404: errorResponse('No such audit row.'),
  },
});

const disclosuresDoc = documentRoute({
  method: 'get',
  path: '/v1/patients/{patientId}/disclosures',
  summary: 'Accounting of disclosures (45 CFR 164.528)',
  description: `One entry per outbound LLM attempt for the patient, oldest first: date, recipient (provider, host, BAA), description of the data, purpose, and the outcome of the attempt. Streamed. ${auditedNote}`,
  tags,
  roles,
  refuseHead: true,
  params: patientParams,
  query: disclosuresQuery,
  responses: {
    200: {
      description: 'The accounting.',
      schema: disclosureReportSchema,
      headers: auditRowHeader('audit.read'),
    },
    404: errorResponse('No such patient.'),
  },
});

const disclosuresByKeyDoc = documentRoute({
  method: 'get',
  path: '/v1/disclosures',
  summary: 'Accounting of disclosures for a patient named by MRN (or id)',
  description: `As \`/v1/patients/{patientId}/disclosures\`, for a request that arrives with the patient's MRN. ${auditedNote}`,
  tags,
  roles,
  refuseHead: true,
  query: disclosuresByKeyQuery,
  responses: {
    200: {
      description: 'The accounting.',
      schema: disclosureReportSchema,
      headers: auditRowHeader('audit.read'),
    },
    404: errorResponse('No patient has that MRN (or id).'),
    409: errorResponse('The MRN matches more than one patient once case, spaces and hyphens are ignored.'),
  },
});

// ---- helpers ----

/** Who asks, as the service records it. */
function asker(req: Request): ComplianceRequest {
  return { principal: req.principal!, requestId: req.id, clientAddress: req.socket.remoteAddress };
}

/** Sends a streamed answer (src/http/send.ts): about one batch in memory whatever the size; a client gone ends its queries. */
const send = (res: Response, streamed: Streamed) => sendStream(res, streamed.chunks);

// ---- routes ----

export function auditRoutes(review: AuditReview): Router {
  const router = Router();
  const compliance = requireRole('compliance');

  router.get('/audit-events', listDoc, compliance, async (req, res) => {
    const { cursor: beforeSeq, limit, ...query } = parse(listQuery, req.query);
    const { page, auditEventId } = await review.review(asker(req), query, { beforeSeq, limit });
    res.setHeader('X-Audit-Event-Id', auditEventId);
    res.json({
      events: page.events,
      nextCursor: page.nextBeforeSeq ? encodeCursor(page.nextBeforeSeq) : null,
      ...(page.patient ? { patient: page.patient } : {}),
    });
  });

  // Registered before /audit-events/:id so "verify" and "export" are never taken for ids.
  router.get('/audit-events/verify', verifyDoc, compliance, async (req, res) => {
    parse(noQuery, req.query);
    const { result, auditEventId } = await review.verify(asker(req));
    if (!result.ok) {
      req.log.error(
        {
          firstBrokenSeq: result.firstBrokenSeq,
          lastBrokenSeq: result.breaks.lastSeq,
          breaks: result.breaks.byReason,
          reason: result.reason,
          checked: result.checked,
        },
        'audit chain verification FAILED',
      );
    }
    res.setHeader('X-Audit-Event-Id', auditEventId);
    res.json({ ...result, auditEventId });
  });

  router.get('/audit-events/export', exportDoc, compliance, async (req, res) => {
    const { format, ...query } = parse(exportQuery, req.query);
    const exported = await review.export(asker(req), format, query);
    res.status(200);
    res.setHeader('Content-Type', exported.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${exported.filename}"`);
    res.setHeader('X-Audit-Event-Id', exported.auditEventId);
    await send(res, exported);
  });

  router.get('/audit-events/:id', eventDoc, compliance, async (req, res) => {
    const { id } = parse(idParams, req.params);
    parse(noQuery, req.query);
    const { event, auditEventId } = await review.event(asker(req), id);
    res.setHeader('X-Audit-Event-Id', auditEventId);
    res.json(event);
  });

  /** The accounting of disclosures, streamed: a head, the entries as they are read, a tail. */
  const sendDisclosures = async (res: Response, streamed: Streamed) => {
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('X-Audit-Event-Id', streamed.auditEventId);
    await send(res, streamed);
  };

  // Mounted here (not with the clinical routes): it is a compliance view over the audit trail.
  router.get('/patients/:patientId/disclosures', disclosuresDoc, compliance, async (req, res) => {
    const { patientId } = parse(patientParams, req.params);
    const window = parse(disclosuresQuery, req.query);
    await sendDisclosures(res, await review.disclosures(asker(req), { patientId }, window));
  });

  // The same accounting for a patient named by MRN (a patient's request arrives with name and MRN) or by id.
  router.get('/disclosures', disclosuresByKeyDoc, compliance, async (req, res) => {
    const { patientId, mrn, ...window } = parse(disclosuresByKeyQuery, req.query);
    await sendDisclosures(res, await review.disclosures(asker(req), mrn ? { mrn } : { patientId: patientId! }, window));
  });

  return router;
}
