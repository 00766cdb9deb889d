// GET /v1/patients/:patientId/summary: a patient's week, summarised and grounded.
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth';
import { parse } from '../errors';
import { readPatientSummary, type SummaryServiceDeps } from '../../services/summaries';

export const patientParams = z.object({ patientId: z.uuid({ message: 'must be a UUID' }) });

export function summaryRoutes(deps: SummaryServiceDeps & { defaultDays: number }): Router {
  const query = z
    .object({ days: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1).max(14).default(deps.defaultDays) })
    .strict();
  const router = Router();
  router.get('/patients/:patientId/summary', requireRole('clinician', 'service'), async (req, res) => {
    const { patientId } = parse(patientParams, req.params);
    const { days } = parse(query, req.query);
    // A client that goes away cancels its upstream model call.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const body = await readPatientSummary(deps, req.principal!, { patientId, days, requestId: req.id, signal: abort.signal });
    res.json(body);
  });
  return router;
}
