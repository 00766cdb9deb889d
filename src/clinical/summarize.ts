// One patient's summary: facts, then a model answer that must parse and be grounded, else the deterministic fallback.
import { z } from 'zod';
import { fallbackSentences } from './fallback';
import { buildFacts, FactsSchema, type Facts } from './facts';
import { GroundingCheckSchema, groundSentences, type GroundingCheck } from './grounding';
import { parseModelAnswer, repairRequest, type Sentence } from './model-output';
import { defaultClinicalOptions, type ClinicalOptions } from './options';
import { buildPrompt } from './prompt';
import type { AttemptMeta, ChatCompleter, ChatRequest, ChatResponse, PatientWeek } from './types';

export const RejectedAnswerSchema = z.object({
  provider: z.string(),
  model: z.string(),
  reason: z.enum(['invalid', 'ungrounded']),
  /** Claims no fact supported (ungrounded answers). */
  unsupported: z.array(z.string()),
  /** What failed validation (invalid answers, after the repair attempt). */
  error: z.string().optional(),
});
export type RejectedAnswer = z.infer<typeof RejectedAnswerSchema>;

/** Describes the returned text; `rejected` keeps the model answers that were turned down on the way. */
export const GroundingSchema = GroundingCheckSchema.extend({ rejected: z.array(RejectedAnswerSchema).optional() });
export type Grounding = z.infer<typeof GroundingSchema>;

/** The contract's summary body, less what the HTTP layer adds (auditEventId, and "cache" as a source). */
export const PatientSummarySchema = z.object({
  patientId: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  summary: z.string(),
  source: z.enum(['llm', 'fallback']),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  facts: FactsSchema,
  grounding: GroundingSchema,
  generatedAt: z.string(),
});
export type PatientSummary = z.infer<typeof PatientSummarySchema>;

export interface SummarizeDeps {
  /** null when no provider is configured: the deterministic fallback answers. */
  completer: ChatCompleter | null;
  now: Date;
  options?: Partial<ClinicalOptions>;
}

interface Run {
  signal?: AbortSignal;
  meta: AttemptMeta;
}

type Attempt =
  | { accepted: true; response: ChatResponse; sentences: Sentence[]; grounding: GroundingCheck }
  | { accepted: false; rejection: RejectedAnswer; providers: string[] };

/** Settles on abort even if the completer ignores the signal: the caller's deadline wins. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function complete(
  completer: ChatCompleter,
  request: ChatRequest,
  run: Run,
  excludeProviders: string[],
): Promise<ChatResponse> {
  // Checked before calling: every call is an audited disclosure, so none is made for an abandoned request.
  run.signal?.throwIfAborted();
  const call = completer.complete(request, { signal: run.signal, meta: run.meta, excludeProviders });
  return untilAborted(call, run.signal);
}

/** One answer, with one repair call if it does not parse, then grounded against the facts. */
async function attempt(
  completer: ChatCompleter,
  request: ChatRequest,
  facts: Facts,
  run: Run,
  excludeProviders: string[],
): Promise<Attempt> {
  const first = await complete(completer, request, run, excludeProviders);
  let response = first;
  let parsed = parseModelAnswer(first.text);
  if (!parsed.ok) {
    response = await complete(completer, repairRequest(request, first.text, parsed.error), run, excludeProviders);
    parsed = parseModelAnswer(response.text);
  }
  const providers = [...new Set([first.provider, response.provider])];
  const answeredBy = { provider: response.provider, model: response.model };
  if (!parsed.ok) {
    return { accepted: false, providers, rejection: { ...answeredBy, reason: 'invalid', unsupported: [], error: parsed.error } };
  }
  const grounding = groundSentences(parsed.answer.sentences, facts);
  if (!grounding.ok) {
    return { accepted: false, providers, rejection: { ...answeredBy, reason: 'ungrounded', unsupported: grounding.unsupported } };
  }
  return { accepted: true, response, sentences: parsed.answer.sentences, grounding };
}

/** Facts and the model request for a week: everything a summary is built from, computed once. */
export interface PreparedWeek {
  week: PatientWeek;
  now: Date;
  options: ClinicalOptions;
  facts: Facts;
  /** Built (notes redacted) on first use: a cache hit never needs it. */
  readonly request: ChatRequest;
}

export function prepareWeek(week: PatientWeek, now: Date, options: Partial<ClinicalOptions> = {}): PreparedWeek {
  const merged = { ...defaultClinicalOptions, ...options };
  const facts = buildFacts(week, now, merged);
  let request: ChatRequest | undefined;
  return {
    week,
    now,
    options: merged,
    facts,
    get request() {
      return (request ??= buildPrompt(week, facts, merged));
    },
  };
}

/** A summary plus the sentences (with their cited fact keys) it was written from, for the cache. */
export interface SummaryWithSentences {
  summary: PatientSummary;
  sentences: Sentence[];
}

function assemble(
  prepared: PreparedWeek,
  sentences: Sentence[],
  answeredBy: { provider: string; model: string } | null,
  grounding: Grounding,
  generatedAt: Date,
): PatientSummary {
  const { week, facts } = prepared;
  return {
    patientId: week.patientId,
    window: { from: week.window.from.toISOString(), to: week.window.to.toISOString() },
    summary: sentences.map((sentence) => sentence.text).join(' '),
    source: answeredBy ? 'llm' : 'fallback',
    provider: answeredBy?.provider ?? null,
    model: answeredBy?.model ?? null,
    facts,
    grounding,
    generatedAt: generatedAt.toISOString(),
  };
}

/**
 * The model's answer when it parses (after at most one repair) and every number is grounded; otherwise one
 * more answer with the providers that failed excluded; otherwise, or on any completer error or abort, the
 * deterministic fallback. At most 4 completer calls.
 */
export async function summarizePrepared(
  prepared: PreparedWeek,
  completer: ChatCompleter | null,
  run: Run,
): Promise<SummaryWithSentences> {
  const { facts, request, now } = prepared;
  const rejected: RejectedAnswer[] = [];
  const withRejections = (grounding: GroundingCheck): Grounding => (rejected.length ? { ...grounding, rejected } : grounding);

  if (completer) {
    const excluded: string[] = [];
    try {
      // The first answer, then one more with every provider that answered unusably excluded.
      for (let round = 0; round < 2; round++) {
        const outcome = await attempt(completer, request, facts, run, [...excluded]);
        if (outcome.accepted) {
          const summary = assemble(prepared, outcome.sentences, outcome.response, withRejections(outcome.grounding), now);
          return { summary, sentences: outcome.sentences };
        }
        rejected.push(outcome.rejection);
        excluded.push(...outcome.providers.filter((provider) => !excluded.includes(provider)));
      }
    } catch {
      // Any completer failure, the caller's abort included: the fallback still answers.
    }
  }
  const sentences = fallbackSentences(facts);
  return { summary: assemble(prepared, sentences, null, withRejections(groundSentences(sentences, facts)), now), sentences };
}

export async function summarizeWeek(week: PatientWeek, deps: SummarizeDeps, run: Run): Promise<PatientSummary> {
  const prepared = prepareWeek(week, deps.now, deps.options);
  return (await summarizePrepared(prepared, deps.completer, run)).summary;
}

/**
 * A stored model summary served again for the same data: only if every number it states is still grounded
 * in today's facts (time-relative ones such as "hours since the last observation" drift), else null.
 */
export function reuseSummary(
  prepared: PreparedWeek,
  stored: { sentences: Sentence[]; provider: string; model: string; generatedAt: string },
): PatientSummary | null {
  const grounding = groundSentences(stored.sentences, prepared.facts);
  if (!grounding.ok) return null;
  return assemble(prepared, stored.sentences, stored, grounding, new Date(stored.generatedAt));
}
