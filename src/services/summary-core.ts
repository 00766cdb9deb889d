// What every summary use case shares: its dependencies, week keying and reading, the cache/claim flight, the summary.read row.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  prepareWeek,
  PatientSummarySchema,
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
import { AuditUnavailableError, type AuditEventInput, type AuditWriter, type DisclosureContext } from '../audit';
import type { Db } from '../db/client';
import {
  loadPatientWeek,
  loadPatientWeeks,
  loadWardWeeks,
  patientDataVersion,
  wardDataVersions,
  type LoadedWeek,
  type PatientVersion,
} from '../db/patient-week';
import type { Principal } from '../access/policy';
import { deadlineSignal } from './deadline';
import type { SingleFlight } from './single-flight';
import { SummaryStore, type StoredSummary, type SummaryKey } from './summary-store';
import { timed } from '../timing';
import type { WeekMemo } from './week-memo';
import type { ReuseMemo } from './reuse-memo';

export interface SummaryServiceDeps {
  db: Db;
  audit: AuditWriter;
  completer: ChatCompleter | null;
  /** Which models may answer ("openai:gpt-4o-mini,anthropic:…"): part of every fingerprint. */
  modelKey?: string;
  /** Shared cache; absent → every read generates. */
  store?: SummaryStore | null;
  /** One per process (built by the composition root): concurrent reads of the same fingerprint share one model call. */
  flights: SingleFlight<SummaryFlight>;
  /** How long to wait for another instance's claim on the same fingerprint before generating anyway. */
  claimWaitMs?: number;
  clinicalOptions?: Partial<ClinicalOptions>;
  now?: () => Date;
  /**
   * The whole summary's time (routing.deadline_ms): every model call it makes — first answer, repair turns, the
   * next provider — ends by one deadline, then the fallback answers. A ward batch shares one. Default 8000.
   */
  deadlineMs?: number;
  /**
   * Weeks already loaded and scored, kept while the patient's data version is unchanged: a cached read then costs a
   * version lookup instead of the week's load and scoring. Absent → every read loads the week.
   */
  weeks?: WeekMemo | null;
  /** Stored summaries' re-grounding kept for the same facts and sentences. Absent → every cached read re-grounds. */
  reuses?: ReuseMemo | null;
}

const DEFAULT_DEADLINE_MS = 8000;
export const deadlineFrom = (deps: SummaryServiceDeps, startedAt: number) => startedAt + (deps.deadlineMs ?? DEFAULT_DEADLINE_MS);

export interface SummaryRequest {
  patientId: string;
  days: number;
  /** The server's id for the request (audit rows). */
  requestId: string;
  /** The reader's network address as its TCP connection shows it (recorded in summary.read rows: BALP's client agent). */
  clientAddress?: string;
  /** The client's own X-Request-Id, recorded beside ours in the summary.read row. */
  clientRequestId?: string;
  signal?: AbortSignal;
  /** What the reader is shown: 'compact' is recorded in the summary.read row (default 'full', not recorded). */
  view?: 'full' | 'compact';
}

/** What summarizeLoaded needs of a request; `deadlineAt` (epoch ms) is the one deadline of this summary or batch. */
export interface LoadedRequest {
  days: number;
  requestId: string;
  signal?: AbortSignal;
  deadlineAt: number;
}

/** The contract's summary body: the domain's summary, as served from the cache too, with its summary.read row's id. */
export const SummaryResponseSchema = PatientSummarySchema.extend({
  source: z.enum(['llm', 'fallback', 'cache']),
  auditEventId: z.string(),
});
export type SummaryResponse = z.infer<typeof SummaryResponseSchema>;

/** What a flight resolves to: a summary, and whether it is another reader's stored one (then served as `cache`). */
/** `modelKey` for the enabled providers, in order ("openai:gpt-5.4-mini,anthropic:…"), or 'none' with no client. */
export function modelKeyOf(llm: { enabledProviders(): { name: string; model: string }[] } | null | undefined): string {
  return llm
    ? llm
        .enabledProviders()
        .map((p) => `${p.name}:${p.model}`)
        .join(',')
    : 'none';
}

export type SummaryFlight = SummaryWithSentences & { shared?: boolean };

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

/** Newest cached summaries the week loader brings along: a few windows (days=7, 3…) per patient are in use at once. */
const RECENT_SUMMARIES = 4;
const cachedRows = (deps: SummaryServiceDeps) => (deps.completer && deps.store ? RECENT_SUMMARIES : 0);

export function windowEnding(now: Date, days: number) {
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

export function keyWeek(deps: Partial<SummaryServiceDeps>, loaded: LoadedWeek): KeyedWeek {
  const prepared = prepareWeek(loaded.week, loaded.week.window.to, deps.clinicalOptions);
  const { material, clockFacts } = summaryFingerprintMaterial(prepared.week, prepared.facts, prepared.options, deps.modelKey ?? 'none');
  return { loaded, prepared, fingerprint: createHash('sha256').update(material).digest('hex'), clockFacts };
}

/** The completer, its calls charged to the request's `model` phase (Server-Timing; their llm.request commits are `audit`). */
function timedCompleter(completer: ChatCompleter): ChatCompleter {
  return { complete: (request, options) => timed('model', () => completer.complete(request, options)) };
}

export interface Summarized {
  summary: Omit<SummaryResponse, 'auditEventId'>;
  fingerprint: string;
}

/** A week keyed for this read, and the cached summary for its fingerprint when that is already known. */
export interface KeyedRead {
  keyed: KeyedWeek;
  known: StoredSummary | null;
}

/** A freshly loaded week: keyed, its known summary picked from the rows the loader brought, and kept in the memo. */
function keyFresh(deps: SummaryServiceDeps, loaded: LoadedWeek, days: number): KeyedRead {
  const keyed = keyWeek(deps, loaded);
  const known = deps.completer && deps.store ? SummaryStore.pick(loaded.recentSummaries, keyed.fingerprint) : null;
  deps.weeks?.put(days, loaded, keyed.prepared, keyed.fingerprint);
  return { keyed, known };
}

/** The memo's week at `now` if `version` is still the patient's, with the cached summary read beside the version. */
function fromMemo(deps: SummaryServiceDeps, patientId: string, days: number, current: PatientVersion, now: Date): KeyedRead | null {
  const hit = deps.weeks?.at(patientId, days, current.version, now);
  if (!hit) return null;
  const keyed = { loaded: hit.loaded, prepared: hit.prepared, fingerprint: hit.fingerprint, clockFacts: hit.clockFacts };
  return { keyed, known: deps.completer && deps.store ? SummaryStore.parse(current.summary) : null };
}

/** The memo's fingerprint for this patient, when the cached summary of it is worth reading beside the version. */
const memoFingerprint = (deps: SummaryServiceDeps, patientId: string, days: number) =>
  cachedRows(deps) ? (deps.weeks?.fingerprint(patientId, days) ?? null) : null;

/** One patient's week for a read: from the memo when its data version is unchanged, else loaded (null: no such patient). */
export async function readWeek(deps: SummaryServiceDeps, patientId: string, days: number, now: Date): Promise<KeyedRead | null> {
  if (deps.weeks?.version(patientId, days)) {
    // One statement: the version and the cached summary of the memo's fingerprint (the cache may have been emptied).
    const current = await patientDataVersion(deps.db, patientId, memoFingerprint(deps, patientId, days));
    if (current === null) return null;
    const hit = fromMemo(deps, patientId, days, current, now);
    if (hit) return hit;
  }
  const loaded = await loadPatientWeek(deps.db, patientId, windowEnding(now, days), { recentSummaries: cachedRows(deps) });
  return loaded ? keyFresh(deps, loaded, days) : null;
}

/** A ward's weeks, by bed: unchanged patients from the memo, the rest loaded in one statement. */
export async function readWardWeeks(deps: SummaryServiceDeps, wardId: string, days: number, now: Date): Promise<KeyedRead[]> {
  const window = windowEnding(now, days);
  const options = { recentSummaries: cachedRows(deps) };
  if (!deps.weeks?.size) return (await loadWardWeeks(deps.db, wardId, window, options)).map((loaded) => keyFresh(deps, loaded, days));
  const versions = await wardDataVersions(deps.db, wardId, (id) => memoFingerprint(deps, id, days));
  const reads = versions.map((v) => fromMemo(deps, v.id, days, v, now));
  const missing = versions.filter((_, i) => !reads[i]).map((v) => v.id);
  // A patient moved off the ward since the version read is left out, as the ward's own query would have.
  const loaded = new Map(
    (await loadPatientWeeks(deps.db, missing, window, options)).filter((l) => l.wardId === wardId).map((l) => [l.week.patientId, l]),
  );
  return versions.flatMap(({ id }, i) => {
    const hit = reads[i];
    if (hit) return [hit];
    const l = loaded.get(id);
    return l ? [keyFresh(deps, l, days)] : [];
  });
}

/** A stored summary served again for this week if it still grounds in its facts (null: it must be made again). */
export function reuseStored(deps: SummaryServiceDeps, keyed: KeyedWeek, stored: StoredSummary): PatientSummary | null {
  return deps.reuses ? deps.reuses.reuse(keyed, stored) : reuseSummary(keyed.prepared, stored);
}

/**
 * One loaded week → a summary: the stored one if its fingerprint matches and it is still grounded in
 * today's facts, else one model call shared by concurrent readers here and, through claims, on other instances.
 */
export async function summarizeLoaded(
  deps: SummaryServiceDeps,
  actor: Actor,
  keyed: KeyedWeek,
  req: LoadedRequest,
  /** The cached row for this fingerprint, if the caller already has it; otherwise the cache is read in the flight. */
  known?: StoredSummary | null,
): Promise<Summarized> {
  const { loaded, prepared, fingerprint } = keyed;
  const key: SummaryKey = { patientId: loaded.week.patientId, fingerprint };
  const store = deps.completer ? deps.store : null; // fallback summaries are cheap and never cached

  if (store && known) {
    const reused = reuseStored(deps, keyed, known);
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
    fingerprint,
  };
  const generate = async (signal: AbortSignal) => {
    // Fires at the deadline, or when every reader of this flight has gone.
    const deadline = deadlineSignal(req.deadlineAt, signal);
    try {
      return await summarizePrepared(prepared, deps.completer && timedCompleter(deps.completer), {
        signal: deadline.signal,
        meta: { ...context },
        deadlineAt: req.deadlineAt,
      });
    } finally {
      deadline.dispose();
    }
  };
  const result = await deps.flights.run(`${key.patientId}:${fingerprint}`, req.signal, async (signal): Promise<SummaryFlight> => {
    if (!store) return generate(signal);
    // Not known to be cached: read the cache and, on a miss, claim the fingerprint — one statement.
    const first = await store.getOrClaim(key);
    const cached = first.summary && reuseStored(deps, keyed, first.summary);
    if (cached) return { summary: { ...cached, source: 'llm' as const }, sentences: first.summary!.sentences, shared: true };
    // A stored summary that no longer grounds in today's facts is regenerated: claim it as a miss would be.
    const mine = first.claimed || (first.summary !== null && (await store.claim(key)));
    if (!mine) {
      // Another instance is generating this very summary: wait for it (or for its claim to lapse, if it died), then
      // use it if it was stored. Within this summary's deadline: past it, only the fallback can answer in time.
      await store.waitForClaim(key, Math.max(0, Math.min(deps.claimWaitMs ?? 10_000, req.deadlineAt - Date.now())), signal);
      const hit = await store.get(key);
      const reused = hit && reuseStored(deps, keyed, hit);
      if (reused) return { summary: { ...reused, source: 'llm' as const }, sentences: hit.sentences, shared: true };
      if (!(await store.claim(key))) return generate(signal); // its claim is still live but we waited long enough
    }
    // Another instance may have completed it between our statement's snapshot and our claim (its claim row gone, its
    // cache row not yet visible to us): a fresh look, before the model call, shares its answer instead.
    const late = await store.get(key);
    const lateReuse = late && reuseStored(deps, keyed, late);
    if (lateReuse) {
      await store.complete(key, null);
      return { summary: { ...lateReuse, source: 'llm' as const }, sentences: late.sentences, shared: true };
    }
    let fresh: SummaryWithSentences | undefined;
    const release = store.holdClaim(key);
    try {
      fresh = await generate(signal);
      return fresh;
    } finally {
      release();
      const keep = fresh && fresh.summary.source === 'llm' && fresh.summary.grounding.ok;
      await store.complete(
        key,
        keep
          ? {
              sentences: fresh!.sentences,
              provider: fresh!.summary.provider!,
              model: fresh!.summary.model!,
              generatedAt: fresh!.summary.generatedAt,
            }
          : null,
      );
    }
  });
  return { summary: { ...result.summary, source: result.shared === true ? 'cache' : result.summary.source }, fingerprint };
}

/** Who read, as a summary.read row records it. */
export interface ReadContext {
  requestId: string;
  days: number;
  clientAddress?: string;
  clientRequestId?: string;
  view?: 'full' | 'compact';
}

/** One patient's part of a summary.read row: what was shown, or (`notModified`) that the reader's copy was revalidated. */
export type ReadOf =
  | { patientId: string; fingerprint: string; summary: Summarized['summary']; wardId?: string; identifiersShown?: string[] }
  | { patientId: string; fingerprint: string; notModified: true; wardId: string; identifiersShown?: string[] };

/** The one summary.read row: a patient's summary shown (alone or in a ward batch), or a ward batch revalidated (304). */
export function summaryReadRow(actor: Actor, req: ReadContext, read: ReadOf): AuditEventInput {
  const ward: Record<string, string> = read.wardId ? { wardId: read.wardId } : {};
  const shown: Record<string, string[]> = read.identifiersShown ? { identifiersShown: read.identifiersShown } : {};
  const context: Record<string, string> = {
    ...(req.clientAddress ? { clientAddress: req.clientAddress } : {}),
    // A revalidation's row has never carried the client's request id.
    ...(req.clientRequestId && !('notModified' in read) ? { clientRequestId: req.clientRequestId } : {}),
    ...(req.view === 'compact' ? { view: 'compact' } : {}),
  };
  const what: Record<string, string | boolean | null> =
    'notModified' in read
      ? { notModified: true }
      : {
          source: read.summary.source,
          provider: read.summary.provider,
          model: read.summary.model,
          grounded: read.summary.grounding.ok,
        };
  return {
    action: 'summary.read',
    outcome: 'success',
    actorId: actor.sub,
    actorRoles: actor.roles,
    patientId: read.patientId,
    purposeOfUse: actor.purposeOfUse,
    requestId: req.requestId,
    target: null,
    details: { windowDays: req.days, ...what, promptVersion: PROMPT_VERSION, fingerprint: read.fingerprint, ...context, ...ward, ...shown },
  };
}

/** Fails at once while audit rows cannot be committed: no read, no model call, no waiting on a lock. */
export function requireAudit(deps: SummaryServiceDeps): void {
  const reason = deps.audit.unavailableReason();
  if (reason !== null) throw new AuditUnavailableError(reason);
}
