// The in-process failover LLM client: routing, retries, breakers and hedging around audited provider attempts.
import { hash } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { fullJitterMs } from './backoff';
import { Permit, type AttemptVerdict } from './breaker';
import { Call, InFlight, type Lane, onAttemptTimeout } from './call';
import type { LlmConfig } from './config';
import { LlmAbortedError, LlmAuditError, LlmUnavailableError } from './errors';
import { llmMetrics } from './metrics';
import { Router } from './router';
import type {
  AttemptHooks,
  AttemptOutcome,
  AttemptStart,
  ChatRequest,
  ChatResponse,
  CompleteOptions,
  FallbackClass,
  LlmClient,
  LlmLogger,
  ProviderStatus,
} from './types';
import { Upstream } from './upstream';

export interface LlmClientOptions {
  logger?: LlmLogger;
  /** prom-client registry to report into; no metrics when absent. */
  metrics?: Registry;
  /** Clock for breaker cooldowns (ms). Tests inject one; defaults to Date.now. */
  clock?: () => number;
  /** Source of randomness in [0, 1) for weighted routing and backoff jitter. Tests inject a seeded one. */
  random?: () => number;
}

const defaultHedgeDelayMs = 1500;
const tracer = trace.getTracer('shiftnote.llm');
const silent: LlmLogger = { error() {}, warn() {}, info() {}, debug() {} };

// Which fallback_on class an outcome falls under; malformed answers count as 5xx-like.
const fallbackClassOf: Partial<Record<AttemptOutcome, FallbackClass>> = {
  '5xx': '5xx',
  malformed: '5xx',
  '429': '429',
  timeout: 'timeout',
  connection: 'connection',
};

export function createLlmClient(config: LlmConfig, hooks: AttemptHooks, opts: LlmClientOptions = {}): LlmClient {
  return new FailoverClient(config, hooks, opts);
}

interface LaneResult {
  response: ChatResponse | null;
  /** No further provider should be tried (aborted, deadline, or a class not in fallback_on). */
  stop: boolean;
}

const laneFailed: LaneResult = { response: null, stop: false };
const laneStopped: LaneResult = { response: null, stop: true };

interface AttemptResult {
  outcome: AttemptOutcome;
  response: ChatResponse | null;
  retryAfterMs: number | null;
}

class FailoverClient implements LlmClient {
  private readonly upstreams: Upstream[];
  private readonly router: Router<Upstream>;
  private readonly fallbackOn: ReadonlySet<FallbackClass>;
  private readonly log: LlmLogger;
  private readonly random: () => number;
  private readonly unwatchBreakers: () => void;
  private closed = false;

  constructor(
    private readonly config: LlmConfig,
    private readonly hooks: AttemptHooks,
    opts: LlmClientOptions,
  ) {
    this.log = opts.logger ?? silent;
    this.random = opts.random ?? Math.random;
    const metrics = llmMetrics(opts.metrics);
    const clock = opts.clock ?? Date.now;
    this.upstreams = config.providers.map(
      (p) => new Upstream(p, config.routing, metrics.forProvider(p.name), clock, this.log),
    );
    this.router = new Router(this.upstreams, config.routing.strategy, this.random);
    this.fallbackOn = new Set(config.routing.fallback_on);
    this.unwatchBreakers = metrics.watchBreakers(this.upstreams.map((u) => ({ name: u.name, state: () => u.breaker.state })));
  }

  enabledProviders(): ProviderStatus[] {
    return this.upstreams.map((u) => u.status());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unwatchBreakers();
    await Promise.all(this.upstreams.map((u) => u.close()));
  }

  async complete(request: ChatRequest, options: CompleteOptions): Promise<ChatResponse> {
    if (this.closed) throw new LlmUnavailableError([], 'closed');
    if (options.signal?.aborted) throw new LlmAbortedError();
    const order = this.router.order(options.excludeProviders);
    if (order.length === 0) throw new LlmUnavailableError([], 'no_provider');
    const call = new Call(request, options, this.config.routing.deadline_ms);
    const hedging = this.config.routing.hedge.enabled;
    try {
      while (call.stopped === null) {
        const upstream = this.nextAllowed(call, order);
        if (!upstream) break;
        if (call.attempts > 0 && call.remaining() <= 0) {
          call.stopped = 'deadline';
          break;
        }
        const lane = call.lane(upstream, false);
        const result =
          hedging && call.attempts === 0 ? await this.hedged(call, lane, order) : await this.runLane(call, lane);
        if (result.response) return result.response;
        if (result.stop) break;
      }
    } finally {
      call.dispose();
    }
    if (call.stopped === 'aborted') throw new LlmAbortedError();
    throw new LlmUnavailableError(call.failures, call.stopped ?? 'all_failed');
  }

  /** The next provider in order whose breaker lets an attempt through; skipped ones are noted, not contacted. */
  private nextAllowed(call: Call, order: readonly Upstream[]): Upstream | undefined {
    while (call.next < order.length) {
      const upstream = order[call.next++];
      if (upstream.breaker.allows()) return upstream;
      call.failures.push({ provider: upstream.name, outcome: 'breaker_open' });
    }
    return undefined;
  }

  /** Attempts at one provider: the first try plus retries with backoff or Retry-After, within the deadline. */
  private async runLane(call: Call, lane: Lane): Promise<LaneResult> {
    const upstream = lane.upstream;
    let retryAfterMs: number | null = null;
    for (let n = 1; n <= upstream.retries + 1; n++) {
      if (n > 1) {
        const wait = retryAfterMs ?? fullJitterMs(n - 2, this.backoff(), this.random);
        // A wait that would outlast the deadline is better spent on the next provider.
        if (wait >= call.remaining()) return laneFailed;
        await lane.sleep(wait);
        if (lane.cancelled !== null || call.stopped !== null) return laneStopped;
      }
      const permit = upstream.breaker.acquire();
      if (permit === Permit.Denied) {
        call.failures.push({ provider: upstream.name, outcome: 'breaker_open' });
        return laneFailed;
      }
      const attempt = await this.attempt(call, lane, n, permit);
      if (attempt.response) return { response: attempt.response, stop: false };
      const outcome = attempt.outcome;
      if (outcome === 'aborted' || outcome === 'hedge_lost' || call.stopped !== null) return laneStopped;
      // A 4xx is this provider's configuration problem: retrying will not help, another provider may.
      if (outcome === 'client_error') return laneFailed;
      const fallbackClass = fallbackClassOf[outcome];
      if (fallbackClass === undefined || !this.fallbackOn.has(fallbackClass)) {
        call.stopped = 'not_retryable';
        return laneStopped;
      }
      retryAfterMs = attempt.retryAfterMs;
    }
    return laneFailed;
  }

  /**
   * The first provider's lane, plus a hedge lane at the next provider if no answer came within the hedge delay
   * (the provider's observed p95, or hedge.delay_ms until enough samples). First success wins; the other is aborted.
   */
  private async hedged(call: Call, first: Lane, order: readonly Upstream[]): Promise<LaneResult> {
    const firstRun = this.runLane(call, first);
    const delay = first.upstream.latency.p95() ?? this.config.routing.hedge.delay_ms ?? defaultHedgeDelayMs;
    if (call.next >= order.length || delay >= call.remaining()) return firstRun;

    let timer: NodeJS.Timeout | undefined;
    const hedgeDue = new Promise<null>((resolve) => {
      timer = setTimeout(resolve, delay, null);
    });
    let early: LaneResult | null;
    try {
      early = await Promise.race([firstRun, hedgeDue]);
    } finally {
      clearTimeout(timer);
    }
    if (early !== null || call.stopped !== null) return firstRun;
    const upstream = this.nextAllowed(call, order);
    if (!upstream) return firstRun;

    const lanes = [first, call.lane(upstream, true)];
    const runs = [firstRun, this.runLane(call, lanes[1])];
    let winner: LaneResult | undefined;
    let auditError: unknown;
    let stop = false;
    await Promise.all(
      runs.map((run, i) =>
        run.then(
          (result) => {
            if (result.response === null) stop ||= result.stop;
            else if (winner === undefined) {
              winner = result;
              lanes[1 - i].interrupt('hedge_lost');
            }
          },
          (err: unknown) => {
            // Fail closed on an audit failure: the other lane must not carry on unaudited decisions.
            auditError ??= err;
            lanes[1 - i].interrupt('aborted');
          },
        ),
      ),
    );
    if (winner) return winner;
    if (auditError !== undefined) throw auditError;
    return stop ? laneStopped : laneFailed;
  }

  /** One audited attempt: beforeAttempt (committed audit id) → send → afterAttempt. */
  private async attempt(call: Call, lane: Lane, providerAttempt: number, permit: Permit): Promise<AttemptResult> {
    const upstream = lane.upstream;
    if (lane.body === null) {
      // Serialized once per provider per call; retries resend the same bytes, so the hash still matches.
      lane.body = upstream.encode(call.request);
      lane.sha256 = hash('sha256', lane.body, 'hex');
    }
    const start: AttemptStart = {
      provider: upstream.name,
      type: upstream.type,
      model: upstream.model,
      host: upstream.host,
      baa: upstream.baa,
      attempt: ++call.attempts,
      providerAttempt,
      hedge: lane.hedge,
      requestBytes: lane.body.length,
      requestSha256: lane.sha256,
      meta: call.options.meta,
    };

    let auditEventId: string;
    try {
      auditEventId = await this.hooks.beforeAttempt(start);
      if (typeof auditEventId !== 'string' || auditEventId === '') {
        throw new TypeError('beforeAttempt resolved without an audit event id');
      }
    } catch (err) {
      upstream.breaker.record(permit, 'neutral');
      throw new LlmAuditError(upstream.name, err);
    }

    // The audit row is committed; if the call ended meanwhile, close the row without sending anything.
    const t0 = performance.now();
    const budget = call.deadlineAt - t0;
    const preempted: AttemptOutcome | null =
      lane.cancelled ?? (call.stopped === 'aborted' ? 'aborted' : budget <= 0 ? 'timeout' : null);
    if (preempted !== null) {
      if (preempted === 'timeout') call.stopped ??= 'deadline';
      call.failures.push({ provider: upstream.name, outcome: preempted });
      upstream.breaker.record(permit, 'neutral');
      await this.afterAttempt(start, auditEventId, null, preempted, 0, undefined);
      return { outcome: preempted, response: null, retryAfterMs: null };
    }

    const flight = new InFlight();
    flight.byDeadline = budget < upstream.attemptTimeoutMs;
    flight.timer = setTimeout(onAttemptTimeout, flight.byDeadline ? budget : upstream.attemptTimeoutMs, flight);
    lane.current = flight;
    const span = startSpan(start, auditEventId);
    const sent = await upstream.send(lane.body, auditEventId, flight.asEmitter());
    const latencyMs = performance.now() - t0;
    clearTimeout(flight.timer);
    lane.current = null;

    // Our own abort reason names the cause better than the transport error it produced.
    const outcome = flight.abortedAs ?? sent.outcome;
    if (outcome === 'timeout' && flight.byDeadline) call.stopped ??= 'deadline';
    upstream.metrics.observe(outcome, latencyMs / 1000);
    upstream.breaker.record(permit, verdictOf(outcome));
    if (span.isRecording()) endSpan(span, sent.status, outcome);

    let response: ChatResponse | null = null;
    const reply = sent.reply;
    if (outcome === 'success' && reply !== null) {
      upstream.latency.add(latencyMs);
      response = { text: reply.text, provider: upstream.name, model: upstream.model, usage: reply.usage, stopReason: reply.stopReason };
    } else {
      call.failures.push({ provider: upstream.name, outcome });
      this.reportFailure(upstream, start.attempt, sent.status, outcome);
    }
    await this.afterAttempt(start, auditEventId, sent.status, outcome, latencyMs, reply?.usage);
    return { outcome, response, retryAfterMs: sent.retryAfterMs };
  }

  private async afterAttempt(
    start: AttemptStart,
    auditEventId: string,
    status: number | null,
    outcome: AttemptOutcome,
    latencyMs: number,
    usage: ChatResponse['usage'],
  ): Promise<void> {
    try {
      // Built field by field: on Node 20 a spread plus extra keys here costs microseconds per attempt.
      await this.hooks.afterAttempt({
        provider: start.provider,
        type: start.type,
        model: start.model,
        host: start.host,
        baa: start.baa,
        attempt: start.attempt,
        providerAttempt: start.providerAttempt,
        hedge: start.hedge,
        requestBytes: start.requestBytes,
        requestSha256: start.requestSha256,
        meta: start.meta,
        auditEventId,
        status,
        outcome,
        latencyMs,
        usage,
      });
    } catch (err) {
      this.log.error(
        { provider: start.provider, attempt: start.attempt, auditEventId, err: { name: (err as Error)?.name, message: (err as Error)?.message } },
        'LLM audit hook afterAttempt failed',
      );
    }
  }

  private reportFailure(upstream: Upstream, attempt: number, status: number | null, outcome: AttemptOutcome): void {
    const fields = { provider: upstream.name, attempt, status, outcome };
    if (outcome === 'client_error' && status !== null && !upstream.reportedStatuses.has(status)) {
      // Almost always a wrong key, model or URL: say so loudly, once per provider and status.
      upstream.reportedStatuses.add(status);
      this.log.error(fields, 'LLM provider rejected the request: check its configuration (key, model, base_url)');
    } else if (outcome === 'aborted' || outcome === 'hedge_lost' || outcome === 'client_error') {
      this.log.debug(fields, 'LLM attempt ended');
    } else {
      this.log.warn(fields, 'LLM attempt failed');
    }
  }

  private backoff() {
    const b = this.config.routing.backoff;
    return { baseMs: b.base_ms, maxMs: b.max_ms };
  }
}

function verdictOf(outcome: AttemptOutcome): AttemptVerdict {
  if (outcome === 'success') return 'success';
  // Not the provider's fault (caller or hedge cancelled) or not its health (a 4xx is configuration).
  if (outcome === 'aborted' || outcome === 'hedge_lost' || outcome === 'client_error') return 'neutral';
  return 'failure';
}

// Spans carry routing facts and the audit id only: no prompt, answer, header or key.
function startSpan(start: AttemptStart, auditEventId: string): Span {
  const span = tracer.startSpan('llm.attempt', { kind: SpanKind.CLIENT });
  if (span.isRecording()) {
    span.setAttributes({
      'shiftnote.llm.provider': start.provider,
      'shiftnote.llm.model': start.model,
      'shiftnote.llm.attempt': start.attempt,
      'shiftnote.audit_event_id': auditEventId,
    });
  }
  return span;
}

function endSpan(span: Span, status: number | null, outcome: AttemptOutcome): void {
  if (status !== null) span.setAttribute('http.response.status_code', status);
  span.setAttribute('shiftnote.llm.outcome', outcome);
  if (outcome !== 'success') span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
