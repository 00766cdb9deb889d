// One patient's summary: facts, then a model answer that must parse and be grounded, else the deterministic fallback.
import { z } from 'zod';
import { fallbackSentences } from './fallback';
import { buildFacts, FactsSchema, type Facts } from './facts';
import { FindingSchema, GroundingCheckSchema, groundAnswer, groundSentences, type GroundedAnswer, type GroundingCheck } from './grounding';
import type { Sentence } from './model-output';
import { modelTurns, type Rejection, type Run } from './model-turns';
import { defaultClinicalOptions, type ClinicalOptions } from './options';
import { buildPrompt } from './prompt';
import type { ChatCompleter, ChatRequest, PatientWeek } from './types';

export const RejectedAnswerSchema = z.object({
  provider: z.string(),
  model: z.string(),
  reason: z.enum(['invalid', 'ungrounded']),
  /** The answer came from a repair turn. */
  repair: z.boolean(),
  /** Claims no fact supported (ungrounded answers), and why. */
  unsupported: z.array(z.string()),
  findings: z.array(FindingSchema).optional(),
  /** What mattered and was not said. */
  omitted: z.array(z.string()).optional(),
  /** What failed validation (invalid answers). */
  error: z.string().optional(),
});
export type RejectedAnswer = z.infer<typeof RejectedAnswerSchema>;

/**
 * Describes the returned text; `rejected` keeps the model answers that were turned down on the way, and
 * `repair` whether a repair turn was asked for in producing this summary and whether its answer is the one shown.
 */
export const GroundingSchema = GroundingCheckSchema.extend({
  rejected: z.array(RejectedAnswerSchema).optional(),
  repair: z.object({ attempted: z.boolean(), rescued: z.boolean() }),
});
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
  return preparedWith(week, now, merged, buildFacts(week, now, merged));
}

/** A prepared week from facts already built for it at `now` (src/clinical/clock.ts: the same rows at a later clock). */
export function preparedWith(week: PatientWeek, now: Date, merged: ClinicalOptions, facts: Facts): PreparedWeek {
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

/**
 * A summary plus the sentences (with their cited fact keys) it was written from, for the cache: a model's as it wrote
 * them, references unrendered, so that a later read writes "hours ago" out from the facts at its own clock.
 */
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

const rejectedAnswer = (r: Rejection): RejectedAnswer => ({
  provider: r.provider,
  model: r.model,
  reason: r.reason,
  repair: r.repair,
  unsupported: r.check?.unsupported ?? [],
  ...(r.check?.findings?.length ? { findings: r.check.findings } : {}),
  ...(r.check?.omitted?.length ? { omitted: r.check.omitted } : {}),
  ...(r.error ? { error: r.error } : {}),
});

/**
 * The model's answer when it parses and is grounded (after at most one repair turn to the same provider), else
 * one more round with the providers that answered unusably excluded; otherwise, or on any completer error,
 * abort or the deadline, the deterministic fallback.
 */
export async function summarizePrepared(prepared: PreparedWeek, completer: ChatCompleter | null, run: Run): Promise<SummaryWithSentences> {
  const { facts, now } = prepared;
  if (completer) {
    const judge = (answer: { sentences: Sentence[] }) => groundAnswer(answer.sentences, facts);
    const outcome = await modelTurns(completer, prepared.request, judge, run);
    const rejected = outcome.rejections.map(rejectedAnswer);
    const withRejections = (check: GroundingCheck, rescued: boolean): Grounding => ({
      ...check,
      ...(rejected.length ? { rejected } : {}),
      repair: { attempted: outcome.repairs > 0, rescued },
    });
    if (outcome.accepted) {
      const grounding = withRejections(outcome.grounding, outcome.repaired);
      return { summary: assemble(prepared, outcome.sentences, outcome.response, grounding, now), sentences: outcome.written };
    }
    const sentences = fallbackSentences(facts);
    return { summary: assemble(prepared, sentences, null, withRejections(groundSentences(sentences, facts), false), now), sentences };
  }
  const sentences = fallbackSentences(facts);
  const grounding = { ...groundSentences(sentences, facts), repair: { attempted: false, rescued: false } };
  return { summary: assemble(prepared, sentences, null, grounding, now), sentences };
}

export async function summarizeWeek(week: PatientWeek, deps: SummarizeDeps, run: Run): Promise<PatientSummary> {
  const prepared = prepareWeek(week, deps.now, deps.options);
  return (await summarizePrepared(prepared, deps.completer, run)).summary;
}

/**
 * A stored summary's sentences written out from `facts` (so "hours ago" is as at their clock) and checked again: the
 * sentences to show, or null unless every claim still holds. Numbers the model wrote out itself ("taken 2 hours ago")
 * drift with the clock and fail the check once untrue: that summary is then made again. A function of its two
 * arguments alone, so a caller may keep its result for the same sentences and facts (src/services/reuse-memo.ts).
 */
export function regroundStored(sentences: Sentence[], facts: Facts): GroundedAnswer | null {
  const grounded = groundAnswer(sentences, facts);
  return grounded.check.ok ? grounded : null;
}

/** A stored model summary served again for the same data, if its sentences still ground in today's facts. */
export function reuseSummary(
  prepared: PreparedWeek,
  stored: { sentences: Sentence[]; provider: string; model: string; generatedAt: string },
  grounded: GroundedAnswer | null = regroundStored(stored.sentences, prepared.facts),
): PatientSummary | null {
  if (!grounded) return null;
  const grounding = { ...grounded.check, repair: { attempted: false, rescued: false } };
  return assemble(prepared, grounded.sentences, stored, grounding, new Date(stored.generatedAt));
}
