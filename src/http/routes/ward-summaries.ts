// Ward rounds: every patient's summary in one response (JSON or NDJSON as results arrive), and on-demand prewarm.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth';
import { errorResponse, documentRoute } from '../openapi';
import { notFound, parse } from '../errors';
import { summaryResponseSchema } from './summaries';
import { actorOf, prepareWardBatch, type SummaryServiceDeps, type WardResult } from '../../services/summaries';
import { prewarmWard, type PrewarmOptions } from '../../services/prewarm';

export const wardParams = z.object({ wardId: z.uuid({ message: 'must be a UUID' }).meta({ description: "The ward's UUID." }) });

const wardResultSchema = z
  .discriminatedUnion('status', [
    z.object({ patientId: z.uuid(), bed: z.string(), status: z.literal('ok'), summary: summaryResponseSchema }),
    z.object({ patientId: z.uuid(), bed: z.string(), status: z.literal('error'), error: z.object({ code: z.string(), message: z.string() }) }),
  ])
  .meta({ id: 'WardResult' });

const wardBatchSchema = z.object({
  wardId: z.uuid(),
  window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  results: z.array(wardResultSchema).meta({ description: 'One entry per patient, by bed.' }),
});

const prewarmResultSchema = z.union([
  z.object({ wardId: z.uuid(), slot: z.string(), status: z.literal('started') }),
  z.object({ wardId: z.uuid(), slot: z.string(), ran: z.boolean(), summaries: z.number().int(), failures: z.number().int(), fromCache: z.number().int() }),
]);

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
  const wardSummaries = documentRoute({
    method: 'get',
    path: '/v1/wards/{wardId}/summaries',
    summary: "Every patient's summary on a ward, for a ward round",
    description:
      'Bounded concurrency toward the model; a per-patient error does not fail the batch. `format=ndjson` (or `Accept: application/x-ndjson`) streams one WardResult per line as each completes. `ETag` covers every patient\'s data fingerprint and facts; `If-None-Match` → 304.',
    tags: ['summaries'],
    roles: ['clinician', 'service'],
    params: wardParams,
    query,
    responses: {
      200: { description: 'The ward batch (JSON), or NDJSON lines of WardResult.', schema: wardBatchSchema, headers: { ETag: { description: 'Validator of the whole batch.' } } },
      304: { description: 'Nothing changed since the ETag in If-None-Match.' },
      404: errorResponse('No such ward.'),
    },
  });
  const prewarm = documentRoute({
    method: 'post',
    path: '/v1/wards/{wardId}/prewarm',
    summary: "Generate a ward's summaries ahead of the round",
    description: 'Paced to stay within provider rate limits; audited as the service actor. `wait=true` answers when done.',
    tags: ['summaries'],
    roles: ['service'],
    params: wardParams,
    query: prewarmQuery,
    responses: {
      200: { description: 'Finished (wait=true).', schema: prewarmResultSchema },
      202: { description: 'Started.', schema: prewarmResultSchema },
      404: errorResponse('No such ward.'),
    },
  });
  const router = Router();

  router.get('/wards/:wardId/summaries', wardSummaries, requireRole('clinician', 'service'), async (req, res) => {
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
      // Results arrive from several patients at once: under back-pressure they share one wait for 'drain',
      // and a dashboard that goes away releases it (abort on close) instead of leaving the handler waiting.
      let drained: Promise<void> | null = null;
      await batch.run(async (result) => {
        if (abort.signal.aborted) return;
        if (res.write(JSON.stringify(result) + '\n')) return;
        drained ??= once(res, 'drain', { signal: abort.signal }).then(
          () => void (drained = null),
          () => void (drained = null),
        );
        await drained;
      });
      res.end();
      return;
    }
    const results: WardResult[] = [];
    await batch.run((result) => void results.push(result));
    results.sort((a, b) => a.bed.localeCompare(b.bed));
    res.json({ wardId, window: batch.window, results });
  });

  router.post('/wards/:wardId/prewarm', prewarm, requireRole('service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    const { days, wait } = parse(prewarmQuery, req.query);
    if ((await deps.db.ward.count({ where: { id: wardId } })) === 0) throw notFound('ward');
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
