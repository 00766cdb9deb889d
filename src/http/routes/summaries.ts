// GET /v1/patients/:patientId/summary: a patient's week, summarised and grounded.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth';
import { parse } from '../errors';
import { sendJson } from '../send';
import { COMPACT_JSON, compactSummary, compactSummarySchema, viewQuery } from '../compact';
import { documentRoute, errorResponse } from '../openapi';
import { days, patientParams } from '../params';
import type { Metrics } from '../../metrics';
import { FactsSchema, GroundingSchema } from '../../clinical';
import type { PatientSummaryService } from '../../services/patient-summary';
import { SummaryResponseSchema } from '../../services/summary-core';

export const summaryQuery = z
  .object({
    days: days.optional().meta({ description: 'Window in days ending now, 1–14; default SUMMARY_DEFAULT_DAYS (7).' }),
    view: viewQuery,
  })
  .strict();

/** The contract's summary body: the service's (the domain's summary with its audit row), as the wire formats it. */
export const summaryResponseSchema = SummaryResponseSchema.extend({
  patientId: z.uuid(),
  window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  summary: z.string().meta({ description: 'A few sentences for the shift; every number in it is checked against `facts`.' }),
  // The clinical domain's own schema: the facts every number in `summary` was checked against.
  facts: FactsSchema.meta({ id: 'Facts', description: 'NEWS2, vitals, adherence and flagged notes of the window.' }),
  // The contract's {ok, unsupported[]}, plus why each claim was unsupported, what was left out, the answers
  // turned down on the way and whether a repair turn was asked for (additive).
  grounding: GroundingSchema.meta({
    id: 'Grounding',
    description: 'Every claim in `summary` checked against `facts`; what matters must be said.',
  }),
  auditEventId: z.uuid().meta({ description: 'Id of the `summary.read` audit row.' }),
  generatedAt: z.iso.datetime(),
}).meta({ id: 'PatientSummary' });
export type SummaryBody = z.infer<typeof summaryResponseSchema>;

const patientSummary = documentRoute({
  method: 'get',
  path: '/v1/patients/{patientId}/summary',
  summary: "A patient's week, summarised and grounded",
  description:
    'Clinicians see only patients on their `ward_ids`. Every read is audited (`summary.read`); every outbound model request too.',
  tags: ['summaries'],
  roles: ['clinician', 'service'],
  params: patientParams,
  query: summaryQuery,
  rateLimited: true,
  refuseHead: true,
  responses: {
    200: {
      description: 'The summary, its facts and grounding; with `view=compact`, the CompactSummary.',
      content: { 'application/json': { schema: summaryResponseSchema }, [COMPACT_JSON]: { schema: compactSummarySchema } },
    },
    404: errorResponse('No such patient.'),
  },
});

export interface SummaryRouteDeps {
  summaries: PatientSummaryService;
  defaultDays: number;
  metrics: Metrics;
  /** Per-subject limit on summary reads (each may cost an LLM call). */
  rateLimit: RequestHandler;
}

export function summaryRoutes(deps: SummaryRouteDeps): Router {
  const router = Router();
  router.get('/patients/:patientId/summary', patientSummary, requireRole('clinician', 'service'), deps.rateLimit, async (req, res) => {
    const { patientId } = parse(patientParams, req.params);
    const { days = deps.defaultDays, view = 'full' } = parse(summaryQuery, req.query);
    // A client that goes away cancels its upstream model call.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const body: SummaryBody = await deps.summaries.read(req.principal!, {
      patientId,
      days,
      requestId: req.id,
      clientRequestId: req.clientRequestId,
      clientAddress: req.socket.remoteAddress,
      signal: abort.signal,
      view,
    });
    deps.metrics.summaryServed(body.source);
    if (view === 'compact') sendJson(res, compactSummary(body), COMPACT_JSON);
    else sendJson(res, body);
  });
  return router;
}
