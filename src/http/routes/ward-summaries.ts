// Ward rounds: every patient's summary in one response (JSON or NDJSON as results arrive), and on-demand prewarm.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth';
import { parse } from '../errors';
import { actorOf, prepareWardBatch, type SummaryServiceDeps, type WardResult } from '../../services/summaries';
import { prewarmWard, type PrewarmOptions } from '../../services/prewarm';

export const wardParams = z.object({ wardId: z.uuid({ message: 'must be a UUID' }) });

export interface WardSummaryDeps extends SummaryServiceDeps {
  defaultDays: number;
  wardConcurrency: number;
  prewarm: Omit<PrewarmOptions, 'days'>;
}

/** If-None-Match: a list of entity tags, or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function wardSummaryRoutes(deps: WardSummaryDeps): Router {
  const query = z
    .object({
      days: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1).max(14).default(deps.defaultDays),
      format: z.enum(['json', 'ndjson']).optional(),
    })
    .strict();
  const prewarmQuery = z
    .object({
      days: z.coerce.number().int().min(1).max(14).default(deps.defaultDays),
      wait: z.enum(['true', 'false']).default('false'),
    })
    .strict();
  const router = Router();

  router.get('/wards/:wardId/summaries', requireRole('clinician', 'service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    const { days, format } = parse(query, req.query);
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const principal = req.principal!;
    const batch = await prepareWardBatch(deps, actorOf(principal), principal, {
      wardId,
      days,
      requestId: req.id,
      concurrency: deps.wardConcurrency,
      signal: abort.signal,
    });
    res.setHeader('ETag', batch.etag);
    if (matches(req.headers['if-none-match'], batch.etag)) {
      await batch.auditNotModified();
      res.status(304).end();
      return;
    }
    const ndjson = format === 'ndjson' || (format === undefined && req.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson');
    if (ndjson) {
      // Dashboards render each patient as its line arrives; the order is completion order.
      res.status(200).type('application/x-ndjson');
      res.setHeader('X-Ward-Patients', String(batch.patients));
      res.flushHeaders();
      await batch.run(async (result) => {
        if (!res.write(JSON.stringify(result) + '\n')) await new Promise((resolve) => res.once('drain', resolve));
      });
      res.end();
      return;
    }
    const results: WardResult[] = [];
    await batch.run((result) => void results.push(result));
    results.sort((a, b) => a.bed.localeCompare(b.bed));
    res.json({ wardId, window: batch.window, results });
  });

  router.post('/wards/:wardId/prewarm', requireRole('service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    const { days, wait } = parse(prewarmQuery, req.query);
    const slot = `manual:${randomUUID()}`;
    const run = prewarmWard(deps, wardId, slot, { ...deps.prewarm, days });
    if (wait === 'true') {
      res.json({ wardId, slot, ...(await run) });
      return;
    }
    run.catch((err) => req.log.error({ wardId, slot, err: { name: (err as Error).name } }, 'prewarm failed'));
    res.status(202).json({ wardId, slot, status: 'started' });
  });
  return router;
}
