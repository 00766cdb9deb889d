// GET /v1/patients/:patientId/summary: a patient's week, summarised and grounded.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth';
import { parse } from '../errors';
import { documentRoute, errorResponse } from '../openapi';
import type { Metrics } from '../../metrics';
import { FactsSchema } from '../../clinical';
import { readPatientSummary, type SummaryServiceDeps } from '../../services/summaries';

export const patientParams = z.object({ patientId: z.uuid({ message: 'must be a UUID' }).meta({ description: "The patient's UUID." }) });

export const summaryQuery = z
  .object({
    days: z.coerce
      .number({ message: 'must be a number' })
      .int('must be an integer')
      .min(1)
      .max(14)
      .optional()
      .meta({ description: 'Window in days ending now, 1–14; default SUMMARY_DEFAULT_DAYS (7).' }),
  })
  .strict();

/** The contract's summary body. */
export const summaryResponseSchema = z
  .object({
    patientId: z.uuid(),
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    summary: z.string().meta({ description: 'A few sentences for the shift; every number in it is checked against `facts`.' }),
    source: z.enum(['llm', 'fallback', 'cache']),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    // The clinical domain's own schema: the facts every number in `summary` was checked against.
    facts: FactsSchema.meta({ id: 'Facts', description: 'NEWS2, vitals, adherence and flagged notes of the window.' }),
    grounding: z.object({ ok: z.boolean(), unsupported: z.array(z.string()) }),
    auditEventId: z.uuid().meta({ description: 'Id of the `summary.read` audit row.' }),
    generatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PatientSummary' });
export type SummaryBody = z.infer<typeof summaryResponseSchema>;

const patientSummary = documentRoute({
  method: 'get',
  path: '/v1/patients/{patientId}/summary',
  summary: "A patient's week, summarised and grounded",
  description: 'Clinicians see only patients on their `ward_ids`. Every read is audited (`summary.read`); every outbound model request too.',
  tags: ['summaries'],
  roles: ['clinician', 'service'],
  params: patientParams,
  query: summaryQuery,
  rateLimited: true,
  responses: {
    200: { description: 'The summary, its facts and grounding.', schema: summaryResponseSchema },
    404: errorResponse('No such patient.'),
  },
});

export interface SummaryRouteDeps extends SummaryServiceDeps {
  defaultDays: number;
  metrics: Metrics;
  /** Per-subject limit on summary reads (each may cost an LLM call). */
  rateLimit: RequestHandler;
}

export function summaryRoutes(deps: SummaryRouteDeps): Router {
  const router = Router();
  router.get('/patients/:patientId/summary', patientSummary, requireRole('clinician', 'service'), deps.rateLimit, async (req, res) => {
    const { patientId } = parse(patientParams, req.params);
    const { days = deps.defaultDays } = parse(summaryQuery, req.query);
    // A client that goes away cancels its upstream model call.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const body: SummaryBody = await readPatientSummary(deps, req.principal!, { patientId, days, requestId: req.id, signal: abort.signal });
    deps.metrics.summaryServed(body.source);
    res.json(body);
  });
  return router;
}
