// Use cases around a patient's summary: read one, read a ward's, prewarm; cached by data fingerprint, audited.
import { createHash } from 'node:crypto';
import {
  prepareWeek,
  PROMPT_VERSION,
  promptCategories,
  reuseSummary,
  summarizePrepared,
  summaryFingerprintMaterial,
  type ChatCompleter,
  type ClinicalOptions,
  type PatientSummary,
  type PreparedWeek,
  type SummaryWithSentences,
} from '../clinical';
import type { AuditWriter, DisclosureContext } from '../audit';
import type { Db } from '../db/client';
import { loadPatientWeek, loadWardWeeks, type LoadedWeek } from '../db/patient-week';
import { canSeeWard, type Principal } from '../http/auth';
import { forbidden, notFound } from '../http/errors';
import { SingleFlight } from './single-flight';
import { SummaryStore, type StoredSummary, type SummaryKey } from './summary-store';

export interface SummaryServiceDeps {
  db: Db;
  audit: AuditWriter;
  completer: ChatCompleter | null;
  /** Which models may answer ("openai:gpt-4o-mini,anthropic:…"): part of every fingerprint. */
  modelKey?: string;
  /** Shared cache; absent → every read generates. */
  store?: SummaryStore | null;
  /** One per process: concurrent reads of the same fingerprint share one model call. */
  flights?: SingleFlight<SummaryWithSentences>;
  /** How long to wait for another instance's claim on the same fingerprint before generating anyway. */
  claimWaitMs?: number;
  clinicalOptions?: Partial<ClinicalOptions>;
  now?: () => Date;
}

export interface SummaryRequest {
  patientId: string;
  days: number;
  requestId: string;
  signal?: AbortSignal;
}

/** The contract's summary body. */
export type SummaryResponse = Omit<PatientSummary, 'source'> & { source: 'llm' | 'fallback' | 'cache'; auditEventId: string };

/** Who is asking, for audit rows: a token's subject, or the service itself (prewarm). */
export interface Actor {
  sub: string;
  roles: string[];
  purposeOfUse: DisclosureContext['purposeOfUse'];
}

export function actorOf(principal: Principal): Actor {
  const treats = principal.roles.includes('clinician') || principal.roles.includes('service');
  return { sub: principal.sub, roles: principal.roles, purposeOfUse: treats ? 'TREAT' : 'HOPERAT' };
}

export const PREWARM_ACTOR: Actor = { sub: 'shiftnote-prewarm', roles: ['service'], purposeOfUse: 'TREAT' };

const fallbackFlights = new WeakMap<object, SingleFlight<SummaryWithSentences>>();

/** Newest cached summaries the week loader brings along: a few windows (days=7, 3…) per patient are in use at once. */
const RECENT_SUMMARIES = 4;
const cachedRows = (deps: SummaryServiceDeps) => (deps.completer && deps.store ? RECENT_SUMMARIES : 0);

function windowEnding(now: Date, days: number) {
  return { from: new Date(now.getTime() - days * 86_400_000), to: now };
}

/** A week with its facts and fingerprint, computed once per request. */
export interface KeyedWeek {
  loaded: LoadedWeek;
  prepared: PreparedWeek;
  fingerprint: string;
  /** The clock-driven facts the fingerprint leaves out (ETag material). */
  clockFacts: string;
}

export function keyWeek(deps: SummaryServiceDeps, loaded: LoadedWeek): KeyedWeek {
  const prepared = prepareWeek(loaded.week, loaded.week.window.to, deps.clinicalOptions);
  const { material, clockFacts } = summaryFingerprintMaterial(prepared.week, prepared.facts, prepared.options, deps.modelKey ?? 'none');
  return { loaded, prepared, fingerprint: createHash('sha256').update(material).digest('hex'), clockFacts };
}

interface Summarized {
  summary: Omit<SummaryResponse, 'auditEventId'>;
  fingerprint: string;
}

/**
 * One loaded week → a summary: the stored one if its fingerprint matches and it is still grounded in
 * today's facts, else one model call shared by concurrent readers here and, through claims, on other instances.
 */
export async function summarizeLoaded(
  deps: SummaryServiceDeps,
  actor: Actor,
  { loaded, prepared, fingerprint }: KeyedWeek,
  req: { days: number; requestId: string; signal?: AbortSignal },
  /** The cached row for this fingerprint, if the caller already has it; otherwise the cache is read in the flight. */
  known?: StoredSummary | null,
): Promise<Summarized> {
  const key: SummaryKey = { patientId: loaded.week.patientId, fingerprint };
  const store = deps.completer ? deps.store : null; // fallback summaries are cheap and never cached

  if (store && known) {
    const reused = reuseSummary(prepared, known);
    if (reused) return { summary: { ...reused, source: 'cache' }, fingerprint };
  }

  const context: DisclosureContext = {
    actorId: actor.sub,
    actorRoles: actor.roles,
    patientId: key.patientId,
    purposeOfUse: actor.purposeOfUse,
    requestId: req.requestId,
    dataCategories: promptCategories,
    promptVersion: PROMPT_VERSION,
    windowDays: req.days,
  };
  const generate = (signal: AbortSignal) => summarizePrepared(prepared, deps.completer, { signal, meta: { ...context } });
  const flights = deps.flights ?? fallbackFlights.get(deps) ?? new SingleFlight<SummaryWithSentences>();
  if (!deps.flights) fallbackFlights.set(deps, flights);

  const result = await flights.run(`${key.patientId}:${fingerprint}`, req.signal, async (signal) => {
    if (!store) return generate(signal);
    // Not known to be cached: read the cache and, on a miss, claim the fingerprint — one statement.
    const first = await store.getOrClaim(key);
    const cached = first.summary && reuseSummary(prepared, first.summary);
    if (cached) return { summary: { ...cached, source: 'llm' as const }, sentences: first.summary!.sentences, shared: true };
    // A stored summary that no longer grounds in today's facts is regenerated: claim it as a miss would be.
    const mine = first.claimed || (first.summary !== null && (await store.claim(key)));
    if (!mine) {
      // Another instance is generating this very summary: wait for it, then use it if it was stored.
      await store.waitFor(key, deps.claimWaitMs ?? 10_000, signal);
      const hit = await store.get(key);
      const reused = hit && reuseSummary(prepared, hit);
      if (reused) return { summary: { ...reused, source: 'llm' as const }, sentences: hit.sentences, shared: true };
      if (!(await store.claim(key))) return generate(signal); // its claim is still live but we waited long enough
    }
    let fresh: SummaryWithSentences | undefined;
    try {
      fresh = await generate(signal);
      return fresh;
    } finally {
      const keep = fresh && fresh.summary.source === 'llm' && fresh.summary.grounding.ok;
      await store.complete(
        key,
        keep ? { sentences: fresh!.sentences, provider: fresh!.summary.provider!, model: fresh!.summary.model!, generatedAt: fresh!.summary.generatedAt } : null,
      );
    }
  });
  const shared = (result as { shared?: boolean }).shared === true;
  return { summary: { ...result.summary, source: shared ? 'cache' : result.summary.source }, fingerprint };
}

async function auditRead(deps: SummaryServiceDeps, actor: Actor, requestId: string, days: number, s: Summarized, extra: Record<string, string | boolean> = {}) {
  return deps.audit.append({
    action: 'summary.read',
    outcome: 'success',
    actorId: actor.sub,
    actorRoles: actor.roles,
    patientId: s.summary.patientId,
    purposeOfUse: actor.purposeOfUse,
    requestId,
    target: null,
    details: {
      windowDays: days,
      source: s.summary.source,
      provider: s.summary.provider,
      model: s.summary.model,
      grounded: s.summary.grounding.ok,
      promptVersion: PROMPT_VERSION,
      fingerprint: s.fingerprint,
      ...extra,
    },
  });
}

export async function readPatientSummary(deps: SummaryServiceDeps, principal: Principal, req: SummaryRequest): Promise<SummaryResponse> {
  const now = deps.now?.() ?? new Date();
  const loaded = await loadPatientWeek(deps.db, req.patientId, windowEnding(now, req.days), { recentSummaries: cachedRows(deps) });
  if (!loaded) throw notFound('patient');
  if (!canSeeWard(principal, loaded.wardId)) throw forbidden('this patient is not on one of your wards');
  const actor = actorOf(principal);
  const keyed = keyWeek(deps, loaded);
  // A hit among the rows the loader brought costs no query; otherwise the cache is read (an older row may match).
  const summarized = await summarizeLoaded(deps, actor, keyed, req, SummaryStore.pick(loaded.recentSummaries, keyed.fingerprint));
  // Committed before the data is returned: no read of patient data goes unrecorded.
  const read = await auditRead(deps, actor, req.requestId, req.days, summarized);
  return { ...summarized.summary, auditEventId: read.id };
}

export interface WardRequest {
  wardId: string;
  days: number;
  requestId: string;
  concurrency: number;
  signal?: AbortSignal;
  /** Prewarm generates ahead of any reader: no summary.read rows. Default true. */
  auditReads?: boolean;
  /** Awaited before each patient's summary starts: paces calls to stay within provider rate limits. */
  pace?: () => Promise<void>;
}

export type WardResult =
  | { patientId: string; bed: string; status: 'ok'; summary: SummaryResponse }
  | { patientId: string; bed: string; status: 'error'; error: { code: string; message: string } };

export interface WardBatch {
  wardId: string;
  window: { from: string; to: string };
  /** Strong validator over every patient's fingerprint and facts: equal → nothing a reader sees changed. */
  etag: string;
  patients: number;
  /** Summarises each patient (bounded concurrency), calling `onResult` as each completes; resolves when all are done. */
  run(onResult: (result: WardResult) => void | Promise<void>): Promise<void>;
  /** For a 304: record that the reader revalidated the ward's summaries. */
  auditNotModified(): Promise<void>;
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
  if (principal && !canSeeWard(principal, req.wardId)) throw forbidden('not one of your wards');
  const now = deps.now?.() ?? new Date();
  const window = windowEnding(now, req.days);
  const [ward, weeks] = await Promise.all([
    deps.db.ward.findUnique({ where: { id: req.wardId }, select: { id: true } }),
    loadWardWeeks(deps.db, req.wardId, window, { recentSummaries: cachedRows(deps) }),
  ]);
  if (!ward) throw notFound('ward');

  const prepared = weeks.map((loaded) => keyWeek(deps, loaded));
  const etagHash = createHash('sha256');
  // Fingerprint plus clock-driven facts = every fact shown; equal facts give equal grounding and summaries.
  for (const p of prepared) etagHash.update(`${p.loaded.week.patientId}:${p.fingerprint}:${p.clockFacts};`);
  const etag = `"${etagHash.digest('base64url')}"`;
  const store = deps.completer ? deps.store : null;

  return {
    wardId: req.wardId,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    etag,
    patients: prepared.length,
    async run(onResult) {
      // Hits among the rows the loader brought are answered at once; the rest go with bounded concurrency
      // through the cache read-or-claim and, on a miss, to the model.
      const known = new Map(prepared.map((p) => [p, store ? SummaryStore.pick(p.loaded.recentSummaries, p.fingerprint) : null]));
      const one = async (keyed: KeyedWeek) => {
        const base = { patientId: keyed.loaded.week.patientId, bed: keyed.loaded.bed };
        try {
          const summarized = await summarizeLoaded(deps, actor, keyed, req, known.get(keyed));
          const read = req.auditReads === false ? null : await auditRead(deps, actor, req.requestId, req.days, summarized, { wardId: req.wardId });
          await onResult({ ...base, status: 'ok', summary: { ...summarized.summary, auditEventId: read?.id ?? '' } });
        } catch {
          // One patient's failure (e.g. its audit write) must not sink the ward; the reader sees which.
          await onResult({ ...base, status: 'error', error: { code: 'unavailable', message: 'this summary could not be produced; retry shortly' } });
        }
      };
      const hit = (p: KeyedWeek) => Boolean(known.get(p));
      await Promise.all([
        Promise.all(prepared.filter(hit).map(one)),
        forEachLimited(prepared.filter((p) => !hit(p)), req.concurrency, async (keyed) => {
          await req.pace?.(); // model calls only
          await one(keyed);
        }),
      ]);
    },
    async auditNotModified() {
      await Promise.all(
        prepared.map((p) =>
          deps.audit.append({
            action: 'summary.read',
            outcome: 'success',
            actorId: actor.sub,
            actorRoles: actor.roles,
            patientId: p.loaded.week.patientId,
            purposeOfUse: actor.purposeOfUse,
            requestId: req.requestId,
            target: null,
            details: { windowDays: req.days, wardId: req.wardId, notModified: true, fingerprint: p.fingerprint, promptVersion: PROMPT_VERSION },
          }),
        ),
      );
    },
  };
}
