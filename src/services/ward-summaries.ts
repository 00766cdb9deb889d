// Use case: a ward's batch of summaries (a ward round, or a prewarm), each patient's read audited.
import { createHash } from 'node:crypto';
import type { PatientIdentifiers } from '../clinical';
import { canSeeWard, type Principal } from '../access/policy';
import { ForbiddenError, NotFoundError } from '../errors';
import {
  actorOf,
  deadlineFrom,
  readWardWeeks,
  requireAudit,
  reuseStored,
  summarizeLoaded,
  summaryReadRow,
  windowEnding,
  type Actor,
  type KeyedWeek,
  type SummaryResponse,
  type SummaryServiceDeps,
} from './summary-core';

export interface WardRequest {
  wardId: string;
  days: number;
  requestId: string;
  /** As SummaryRequest.clientAddress. */
  clientAddress?: string;
  /** As SummaryRequest.clientRequestId. */
  clientRequestId?: string;
  concurrency: number;
  signal?: AbortSignal;
  /** Prewarm generates ahead of any reader: no summary.read rows. Default true. */
  auditReads?: boolean;
  /**
   * Put each patient's identifiers (name, date of birth, MRN) in its result, for a clinician's board; the result's
   * summary.read row then records `identifiersShown`. Never with auditReads false: no identifier goes out unaudited.
   */
  showIdentifiers?: boolean;
  /** As SummaryRequest.view; part of the batch's ETag (a compact body is another representation). */
  view?: 'full' | 'compact';
  /** Awaited before each patient's summary starts: paces calls to stay within provider rate limits. */
  pace?: () => Promise<void>;
  /**
   * 'batch' (default): one deadline for the whole ward, so a patient whose turn comes too late gets the fallback
   * and the round is answered in time. 'summary': each summary its own (prewarm, which is paced and read later).
   */
  deadline?: 'batch' | 'summary';
}

/** What a clinician checks a patient by (two identifiers at least): never in a prompt, a log, a metric or a span. */
export type ShownIdentifiers = Omit<PatientIdentifiers, 'bed'>;
/** Recorded in the audit row of a view that showed them (the names of the fields, never their values). */
export const IDENTIFIERS_SHOWN = ['name', 'birthDate', 'mrn'];

export function shownIdentifiers(identifiers: PatientIdentifiers): ShownIdentifiers {
  return { givenName: identifiers.givenName, familyName: identifiers.familyName, birthDate: identifiers.birthDate, mrn: identifiers.mrn };
}

/** `identifiers` is null unless asked for, and on an error result (its view could not be audited). */
export type WardResult =
  | { patientId: string; bed: string; identifiers: ShownIdentifiers | null; status: 'ok'; summary: SummaryResponse }
  | { patientId: string; bed: string; identifiers: null; status: 'error'; error: { code: string; message: string } };

export interface WardBatch {
  wardId: string;
  window: { from: string; to: string };
  /**
   * Strong validator of what the batch will return, known before running it: every patient's fingerprint and facts
   * and the summary each will get (a reusable cached one, or the fallback when no model is configured). Null when
   * some patient's summary is yet to be made: then no 304 is possible, and `etagOf` gives the validator afterwards.
   */
  etag: string | null;
  /** The validator of the results a run returned (null if any patient failed: an error is not for caching). */
  etagOf(results: WardResult[]): string | null;
  patients: number;
  /** Summarises each patient (bounded concurrency), calling `onResult` as each completes; resolves when all are done. */
  run(onResult: (result: WardResult) => void | Promise<void>): Promise<void>;
  /** For a 304: record that the reader revalidated the ward's summaries. */
  auditNotModified(): Promise<void>;
}

const FALLBACK_SAYS = 'fallback';

/**
 * What a patient's summary says, for the ward validator: a model summary by its text, provider, model and when it
 * was made (a cache hit says the same as the call that made it); a fallback is a function of the facts, but for the
 * answers turned down on the way.
 */
function whatItSays(s: {
  source: string;
  summary: string;
  provider: string | null;
  model: string | null;
  generatedAt: string;
  grounding: { rejected?: unknown[] };
}): string {
  if (s.source === 'fallback')
    return s.grounding.rejected?.length
      ? `${FALLBACK_SAYS}:${createHash('sha256').update(JSON.stringify(s.grounding.rejected)).digest('base64url')}`
      : FALLBACK_SAYS;
  return createHash('sha256')
    .update(JSON.stringify([s.summary, s.provider, s.model, s.generatedAt]))
    .digest('base64url');
}

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

export async function prepareWardBatch(
  deps: SummaryServiceDeps,
  actor: Actor,
  principal: Principal | null,
  req: WardRequest,
): Promise<WardBatch> {
  if (principal && !canSeeWard(principal, req.wardId)) throw new ForbiddenError('not one of your wards');
  requireAudit(deps);
  const showIdentifiers = req.showIdentifiers === true && req.auditReads !== false;
  const batchDeadlineAt = deadlineFrom(deps, Date.now());
  const now = deps.now?.() ?? new Date();
  const window = windowEnding(now, req.days);
  const [ward, reads] = await Promise.all([
    deps.db.ward.findUnique({ where: { id: req.wardId }, select: { id: true } }),
    readWardWeeks(deps, req.wardId, req.days, now),
  ]);
  if (!ward) throw new NotFoundError('ward');

  const prepared = reads.map((r) => r.keyed);
  const known = new Map(reads.map((r) => [r.keyed, r.known]));
  // Fingerprint plus clock-driven facts = every fact shown; with what each summary says, everything a reader sees
  // (ids of this read's audit rows and a fallback's generatedAt aside).
  const validator = (entries: { keyed: KeyedWeek; says: string }[]) => {
    const hash = createHash('sha256');
    // A body with the patients' identifiers differs from one without, so the tag does too.
    if (showIdentifiers) hash.update('identifiers;');
    if (req.view === 'compact') hash.update('compact;');
    for (const { keyed, says } of entries) hash.update(`${keyed.loaded.week.patientId}:${keyed.fingerprint}:${keyed.clockFacts}:${says};`);
    return `"${hash.digest('base64url')}"`;
  };
  const predicted = prepared.map((keyed) => {
    if (!deps.completer) return { keyed, says: FALLBACK_SAYS };
    const stored = known.get(keyed);
    const reused = stored ? reuseStored(deps, keyed, stored) : null;
    return { keyed, says: reused ? whatItSays(reused) : null };
  });
  const etag = predicted.every((p) => p.says !== null) ? validator(predicted as { keyed: KeyedWeek; says: string }[]) : null;

  return {
    wardId: req.wardId,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    etag,
    etagOf(results) {
      const byPatient = new Map(results.map((r) => [r.patientId, r]));
      const entries: { keyed: KeyedWeek; says: string }[] = [];
      for (const keyed of prepared) {
        const result = byPatient.get(keyed.loaded.week.patientId);
        if (!result || result.status !== 'ok') return null;
        entries.push({ keyed, says: whatItSays(result.summary) });
      }
      return validator(entries);
    },
    patients: prepared.length,
    async run(onResult) {
      // Hits among the rows the loader brought are answered at once; the rest go with bounded concurrency
      // through the cache read-or-claim and, on a miss, to the model.
      const one = async (keyed: KeyedWeek) => {
        // A reader who has gone (the board closed mid-stream) is sent nothing more: no further summaries are made for
        // it, and none is recorded as read.
        if (req.signal?.aborted) return;
        const base = { patientId: keyed.loaded.week.patientId, bed: keyed.loaded.bed };
        const shown = showIdentifiers ? IDENTIFIERS_SHOWN : undefined;
        try {
          const deadlineAt = req.deadline === 'summary' ? deadlineFrom(deps, Date.now()) : batchDeadlineAt;
          const summarized = await summarizeLoaded(deps, actor, keyed, { ...req, deadlineAt }, known.get(keyed));
          if (req.signal?.aborted) return;
          const read =
            req.auditReads === false
              ? null
              : await deps.audit.append(
                  summaryReadRow(actor, req, {
                    patientId: summarized.summary.patientId,
                    fingerprint: summarized.fingerprint,
                    summary: summarized.summary,
                    wardId: req.wardId,
                    identifiersShown: shown,
                  }),
                );
          const identifiers = showIdentifiers ? shownIdentifiers(keyed.loaded.week.identifiers) : null;
          await onResult({ ...base, identifiers, status: 'ok', summary: { ...summarized.summary, auditEventId: read?.id ?? '' } });
        } catch {
          // One patient's failure (e.g. its audit write) must not sink the ward; the reader sees which.
          await onResult({
            ...base,
            identifiers: null,
            status: 'error',
            error: { code: 'unavailable', message: 'this summary could not be produced; retry shortly' },
          });
        }
      };
      const hit = (p: KeyedWeek) => Boolean(known.get(p));
      await Promise.all([
        Promise.all(prepared.filter(hit).map(one)),
        forEachLimited(
          prepared.filter((p) => !hit(p)),
          req.concurrency,
          async (keyed) => {
            if (req.signal?.aborted) return;
            await req.pace?.(); // model calls only
            await one(keyed);
          },
        ),
      ]);
    },
    async auditNotModified() {
      await Promise.all(
        prepared.map((p) =>
          deps.audit.append(
            summaryReadRow(actor, req, {
              patientId: p.loaded.week.patientId,
              fingerprint: p.fingerprint,
              notModified: true,
              wardId: req.wardId,
              // The reader's cached copy shows them again.
              identifiersShown: showIdentifiers ? IDENTIFIERS_SHOWN : undefined,
            }),
          ),
        ),
      );
    },
  };
}

export interface WardBatchService {
  /** A reader's ward batch (403 unless the ward is theirs, 404 for no such ward). */
  prepare(principal: Principal, req: Omit<WardRequest, 'concurrency'>): Promise<WardBatch>;
}

/** `concurrency`: a batch's summaries in flight at once (WARD_SUMMARY_CONCURRENCY). */
export function wardBatchService(deps: SummaryServiceDeps, options: { concurrency: number }): WardBatchService {
  return {
    prepare: (principal, req) => prepareWardBatch(deps, actorOf(principal), principal, { ...req, concurrency: options.concurrency }),
  };
}
