// The model's turns for one summary, all by one deadline: an answer, at most one repair turn, then the next provider.
import { describeProblems, type GroundingCheck } from './grounding';
import { groundingRepairRequest, parseModelAnswer, parseRepairRequest, type ModelAnswer, type Sentence } from './model-output';
import type { AttemptMeta, ChatCompleter, ChatRequest, ChatResponse } from './types';

/** One piece of work's context: the caller's abort (which fires at the deadline too), audit meta and the deadline. */
export interface Run {
  signal?: AbortSignal;
  meta: AttemptMeta;
  /** Absolute deadline (epoch ms) shared by every call this summary makes; absent → the client's own per call. */
  deadlineAt?: number;
}

export interface Rejection {
  provider: string;
  model: string;
  reason: 'invalid' | 'ungrounded';
  /** The answer came from a repair turn. */
  repair: boolean;
  check?: GroundingCheck;
  error?: string;
}

export type TurnsOutcome =
  | {
      accepted: true;
      response: ChatResponse;
      /** As shown: the answer's references written out from the facts. */
      sentences: Sentence[];
      /** As the model wrote them, references and all: what a cached summary is written out from again at a later clock. */
      written: Sentence[];
      grounding: GroundingCheck;
      repaired: boolean;
      rejections: Rejection[];
      repairs: number;
    }
  | { accepted: false; rejections: Rejection[]; repairs: number };

/** Thrown instead of calling when the deadline has passed: no audited disclosure is made for an answer nobody can use. */
class DeadlinePassed extends Error {
  override name = 'DeadlinePassed';
}

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

const remainingMs = (run: Run) => (run.deadlineAt === undefined ? Infinity : run.deadlineAt - Date.now());

interface Timed {
  response: ChatResponse;
  ms: number;
}

async function complete(
  completer: ChatCompleter,
  request: ChatRequest,
  run: Run,
  route: { excludeProviders?: string[]; onlyProvider?: string },
): Promise<Timed> {
  // Checked before calling: every call is an audited disclosure, so none is made for an abandoned request.
  run.signal?.throwIfAborted();
  if (remainingMs(run) <= 0) throw new DeadlinePassed();
  const started = performance.now();
  const call = completer.complete(request, { signal: run.signal, meta: run.meta, deadlineAt: run.deadlineAt, ...route });
  const response = await untilAborted(call, run.signal);
  return { response, ms: performance.now() - started };
}

type Verdict =
  | { ok: true; sentences: Sentence[]; written: Sentence[]; check: GroundingCheck }
  /** Unusable: `error` when it did not parse, else the parsed answer and why it is not grounded. */
  | { ok: false; error: string; answer?: undefined; check?: undefined }
  | { ok: false; error?: undefined; answer: ModelAnswer; check: GroundingCheck };

/**
 * One provider's round: its answer; if that does not parse, one repair turn for the shape; if it parses but is
 * not grounded, one repair turn listing what was unsupported — either way at most one repair, to the same
 * provider (onlyProvider), and only if what remains of the deadline is at least what the answer took.
 */
async function round(
  completer: ChatCompleter,
  request: ChatRequest,
  judge: (answer: ModelAnswer) => { sentences: Sentence[]; check: GroundingCheck },
  run: Run,
  excluded: string[],
  rejections: Rejection[],
): Promise<{ accepted: TurnsOutcome | null; provider: string; repaired: boolean; answerMs: number }> {
  const first = await complete(completer, request, run, { excludeProviders: excluded });
  const provider = first.response.provider;
  const verdict = (text: string): Verdict => {
    const parsed = parseModelAnswer(text);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const { sentences, check } = judge(parsed.answer);
    return check.ok ? { ok: true, sentences, written: parsed.answer.sentences, check } : { ok: false, answer: parsed.answer, check };
  };
  const reject = (v: Verdict & { ok: false }, answeredBy: ChatResponse, repair: boolean) =>
    rejections.push({
      provider: answeredBy.provider,
      model: answeredBy.model,
      reason: v.check ? 'ungrounded' : 'invalid',
      repair,
      ...(v.check ? { check: v.check } : { error: v.error }),
    });

  const firstVerdict = verdict(first.response.text);
  if (firstVerdict.ok) {
    return { accepted: accept(first.response, firstVerdict, false, rejections), provider, repaired: false, answerMs: first.ms };
  }
  reject(firstVerdict, first.response, false);
  const answerMs = first.ms;
  if (remainingMs(run) < answerMs) return { accepted: null, provider, repaired: false, answerMs };

  const repairRequest = firstVerdict.answer
    ? groundingRepairRequest(request, firstVerdict.answer, describeProblems(firstVerdict.check))
    : parseRepairRequest(request, firstVerdict.error);
  let repaired: Timed;
  try {
    repaired = await complete(completer, repairRequest, run, { onlyProvider: provider });
  } catch (err) {
    // The caller's abort or the deadline ends the whole summary; a failed repair call ends this provider's round.
    if (run.signal?.aborted || err instanceof DeadlinePassed) throw err;
    return { accepted: null, provider, repaired: true, answerMs };
  }
  const second = verdict(repaired.response.text);
  if (second.ok) return { accepted: accept(repaired.response, second, true, rejections), provider, repaired: true, answerMs };
  reject(second, repaired.response, true);
  return { accepted: null, provider, repaired: true, answerMs };
}

function accept(response: ChatResponse, verdict: Verdict & { ok: true }, repaired: boolean, rejections: Rejection[]): TurnsOutcome {
  const { sentences, written, check } = verdict;
  return { accepted: true, response, sentences, written, grounding: check, repaired, rejections, repairs: 0 };
}

/**
 * The first provider's round, then — if its answers were unusable and what remains of the deadline is at least
 * what its first answer took — one more round with every provider that answered unusably excluded. At most 4
 * completer calls; any completer failure, the caller's abort or the deadline ends the turns (then the fallback).
 */
export async function modelTurns(
  completer: ChatCompleter,
  request: ChatRequest,
  judge: (answer: ModelAnswer) => { sentences: Sentence[]; check: GroundingCheck },
  run: Run,
): Promise<TurnsOutcome> {
  const rejections: Rejection[] = [];
  const excluded: string[] = [];
  let repairs = 0;
  try {
    for (let n = 0; n < 2; n++) {
      const outcome = await round(completer, request, judge, run, [...excluded], rejections);
      if (outcome.repaired) repairs++;
      if (outcome.accepted) return { ...outcome.accepted, repairs };
      if (!excluded.includes(outcome.provider)) excluded.push(outcome.provider);
      if (remainingMs(run) < outcome.answerMs) break;
    }
  } catch {
    // Any completer failure, the caller's abort or the deadline included: the fallback still answers.
  }
  return { accepted: false, rejections, repairs };
}
