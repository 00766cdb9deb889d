// Ward rounds: every patient's summary in one response (JSON or NDJSON as results arrive), and on-demand prewarm.
import { Router } from 'express';
import { z } from 'zod';
import { showsIdentifiers } from '../../access/policy';
import { requireRole } from '../auth';
import { errorResponse, documentRoute } from '../openapi';
import { parse } from '../errors';
import { days, wardParams } from '../params';
import { sendJson, sendStream } from '../send';
import { COMPACT_JSON, compactSummary, compactSummarySchema, viewQuery } from '../compact';
import { summaryResponseSchema } from './summaries';
import { patientIdentifiersSchema } from './wards';
import type { WardBatch, WardBatchService, WardResult } from '../../services/ward-summaries';
import type { PrewarmService } from '../../services/prewarm';

const wardResultSchema = z
  .discriminatedUnion('status', [
    z.object({
      patientId: z.uuid(),
      bed: z.string(),
      identifiers: patientIdentifiersSchema,
      status: z.literal('ok'),
      summary: summaryResponseSchema,
    }),
    z.object({
      patientId: z.uuid(),
      bed: z.string(),
      identifiers: z.null().meta({ description: 'Never on an error result: its view could not be audited.' }),
      status: z.literal('error'),
      error: z.object({ code: z.string(), message: z.string() }),
    }),
  ])
  .meta({ id: 'WardResult' });

const wardBatchSchema = z.object({
  wardId: z.uuid(),
  window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  results: z.array(wardResultSchema).meta({ description: 'One entry per patient, by bed.' }),
});

/** WardResult with the summary in the compact view (`view=compact`). */
const compactWardResultSchema = z
  .discriminatedUnion('status', [
    z.object({
      patientId: z.uuid(),
      bed: z.string(),
      identifiers: patientIdentifiersSchema,
      status: z.literal('ok'),
      summary: compactSummarySchema,
    }),
    wardResultSchema.options[1],
  ])
  .meta({ id: 'CompactWardResult' });

const compactWardBatchSchema = wardBatchSchema.extend({
  results: z.array(compactWardResultSchema).meta({ description: 'One entry per patient, by bed.' }),
});

const prewarmResultSchema = z.union([
  z.object({ wardId: z.uuid(), slot: z.string(), status: z.literal('started') }),
  z.object({
    wardId: z.uuid(),
    slot: z.string(),
    ran: z.boolean(),
    summaries: z.number().int(),
    failures: z.number().int(),
    fromCache: z.number().int(),
  }),
]);

export const ifNoneMatchHeader = z.object({
  'If-None-Match': z
    .string()
    .max(8192)
    .optional()
    .meta({ description: 'ETags of copies you hold (or `*`): unchanged → 304 without a body.' }),
});

export interface WardSummaryDeps {
  wardBatches: WardBatchService;
  prewarm: PrewarmService;
  defaultDays: number;
}

/**
 * If-None-Match: a list of entity tags, or `*`, compared weakly. Not `req.fresh`: it treats a request's
 * `Cache-Control: no-cache` as stale, and fetch() adds that header to every request that sets If-None-Match itself,
 * so no fetch() client (a dashboard, openapi-fetch) would ever get its 304.
 */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * A batch's results in completion order, as its run produces them. Each producer waits until its result is taken, so
 * the socket's back-pressure (pipeline) reaches the model calls; once the reader is gone (the iterator returned, or
 * `signal` aborted) results are dropped and nobody waits. `ran` settles when the run has.
 */
function completed(batch: WardBatch, signal: AbortSignal): { results: AsyncIterable<WardResult>; ran: Promise<void> } {
  const queue: { result: WardResult; taken: () => void }[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  let finished = false;
  let failure: { err: unknown } | null = null;
  const ping = () => {
    wake?.();
    wake = null;
  };
  const ran = batch
    .run((result) =>
      closed || signal.aborted
        ? undefined
        : new Promise<void>((taken) => {
            queue.push({ result, taken });
            ping();
          }),
    )
    .then(
      () => void (finished = true),
      (err: unknown) => void ((failure = { err }), (finished = true)),
    )
    .finally(ping);
  async function* results(): AsyncGenerator<WardResult> {
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          try {
            yield next.result;
          } finally {
            next.taken(); // pulled again, or the reader is gone
          }
        } else if (finished) break;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure) throw failure.err;
    } finally {
      closed = true;
      for (const waiting of queue.splice(0)) waiting.taken();
    }
  }
  return { results: results(), ran };
}

export function wardSummaryRoutes(deps: WardSummaryDeps): Router {
  const query = z
    .object({
      days: days.default(deps.defaultDays),
      format: z.enum(['json', 'ndjson']).optional(),
      view: viewQuery,
    })
    .strict();
  const prewarmQuery = z
    .object({
      days: days.default(deps.defaultDays),
      wait: z.enum(['true', 'false']).default('false'),
    })
    .strict();
  const wardSummaries = documentRoute({
    method: 'get',
    path: '/v1/wards/{wardId}/summaries',
    summary: "Every patient's summary on a ward, for a ward round",
    description:
      "Bounded concurrency toward the model; a per-patient error does not fail the batch. `format=ndjson` (or `Accept: application/x-ndjson` without `format`) streams one WardResult per line as each completes, in completion order. For the clinician role each result carries the patient's identifiers (name, date of birth, MRN), recorded in its `summary.read` row as `identifiersShown`. `view=compact` gives each result's summary as a CompactSummary (what a board row shows, a few hundred bytes instead of every scored set). `ETag` covers what the batch returns (every patient's facts and summary, and the view); `If-None-Match` → 304 (audited as a revalidation) only when that is known before running (every summary cached, or fallbacks only); NDJSON carries an ETag only in that case. Shares the per-subject rate limit with single summaries.",
    tags: ['summaries'],
    roles: ['clinician', 'service'],
    params: wardParams,
    query,
    headers: ifNoneMatchHeader,
    rateLimited: true,
    refuseHead: true,
    responses: {
      200: {
        description: 'The ward batch (JSON; with `view=compact`, the compact media type), or NDJSON lines of WardResult.',
        content: {
          'application/json': { schema: wardBatchSchema },
          [COMPACT_JSON]: { schema: compactWardBatchSchema },
          'application/x-ndjson': {
            schema: z.string().meta({
              description: 'One WardResult (CompactWardResult with `view=compact`) per line, LF-terminated, as each patient completes.',
            }),
            itemSchema: z.union([wardResultSchema, compactWardResultSchema]),
          },
        },
        headers: {
          ETag: { description: 'Strong validator of the whole batch.', required: true },
          'X-Ward-Patients': {
            description: "NDJSON only: how many lines will follow (the ward's patient count).",
            schema: z.string().regex(/^[0-9]+$/),
          },
        },
      },
      304: {
        description: 'Nothing changed since the ETag in If-None-Match.',
        headers: { ETag: { description: 'The unchanged validator.', required: true } },
      },
      404: errorResponse('No such ward.'),
    },
  });
  const prewarm = documentRoute({
    method: 'post',
    path: '/v1/wards/{wardId}/prewarm',
    summary: "Generate a ward's summaries ahead of the round",
    description:
      "Only for a ward in the token's `ward_ids` (403 otherwise). Rate-limited per token subject (`PREWARM_REQUESTS_PER_MINUTE`, 429); model calls of every on-demand prewarm share one pace (`PREWARM_PER_MINUTE`). Every row it causes names the caller. `wait=true` answers when done.",
    tags: ['summaries'],
    roles: ['service'],
    params: wardParams,
    query: prewarmQuery,
    rateLimited: true,
    responses: {
      200: { description: 'Finished (wait=true).', schema: prewarmResultSchema },
      202: { description: 'Started.', schema: prewarmResultSchema },
      404: errorResponse('No such ward.'),
    },
  });
  const router = Router();

  router.get('/wards/:wardId/summaries', wardSummaries, requireRole('clinician', 'service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    const { days, format, view = 'full' } = parse(query, req.query);
    // The batch is made (and its ETag computed) from full results; only what is sent is compacted.
    const shown = (result: WardResult): unknown =>
      view === 'compact' && result.status === 'ok' ? { ...result, summary: compactSummary(result.summary) } : result;
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const principal = req.principal!;
    const batch = await deps.wardBatches.prepare(principal, {
      wardId,
      days,
      requestId: req.id,
      clientAddress: req.socket.remoteAddress,
      showIdentifiers: showsIdentifiers(principal),
      clientRequestId: req.clientRequestId,
      signal: abort.signal,
      view,
    });
    // A 304 only when what the batch would return is known now (every summary cached, or fallbacks only).
    if (batch.etag !== null) {
      res.setHeader('ETag', batch.etag);
      if (matches(req.headers['if-none-match'], batch.etag)) {
        await batch.auditNotModified();
        res.status(304).end();
        return;
      }
    }
    const ndjson =
      format === 'ndjson' || (format === undefined && req.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson');
    if (ndjson) {
      // Dashboards render each patient as its line arrives; the order is completion order.
      res.status(200).type('application/x-ndjson');
      // Headers leave before the results: a validator only if it is known already (set above).
      res.setHeader('X-Ward-Patients', String(batch.patients));
      res.flushHeaders();
      // Results arrive from several patients at once; pipeline() waits for 'drain' under back-pressure and stops
      // reading when the dashboard goes away (the rest of the run finishes without waiting on the socket).
      const { results, ran } = completed(batch, abort.signal);
      async function* lines() {
        for await (const result of results) yield JSON.stringify(shown(result)) + '\n';
      }
      await sendStream(res, lines());
      await ran;
      return;
    }
    const results: WardResult[] = [];
    await batch.run((result) => void results.push(result));
    results.sort((a, b) => a.bed.localeCompare(b.bed));
    const etag = batch.etagOf(results);
    if (etag !== null) res.setHeader('ETag', etag);
    else res.removeHeader('ETag'); // the predicted one (set above) does not describe an error
    if (view === 'compact') sendJson(res, { wardId, window: batch.window, results: results.map(shown) }, COMPACT_JSON);
    else sendJson(res, { wardId, window: batch.window, results });
  });

  router.post('/wards/:wardId/prewarm', prewarm, requireRole('service'), async (req, res) => {
    const { wardId } = parse(wardParams, req.params);
    const { days, wait } = parse(prewarmQuery, req.query);
    const { slot, done } = await deps.prewarm.start(req.principal!, wardId, days, req.id);
    if (wait === 'true') {
      res.json({ wardId, slot, ...(await done) });
      return;
    }
    done.catch((err) => req.log.error({ wardId, slot, err: { name: (err as Error).name } }, 'prewarm failed'));
    res.status(202).json({ wardId, slot, status: 'started' });
  });
  return router;
}
