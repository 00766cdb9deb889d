// The in-process failover LLM client: routing, retries, breakers and hedging around audited provider attempts.
import { hash } from 'node:crypto';
import type { Registry } from 'prom-client';
import { AuthFailure } from './auth/cache';
import { fullJitterMs } from './backoff';
import { Permit } from './breaker';
import { Call, InFlight, type Lane, onAttemptTimeout } from './call';
import type { LlmConfig } from './config';
import { LlmAbortedError, LlmAuditError, LlmUnavailableError } from './errors';
import { llmMetrics } from './metrics';
import type { Decoded } from './providers/adapter';
import { Router } from './router';
import { scrubMessage } from './scrub';
import { endAttemptSpan, startAttemptSpan } from './spans';
import type {
  AttemptHooks,
  AttemptOutcome,
  AttemptStart,
  ChatRequest,
  ChatResponse,
  CompleteOptions,
  FallbackClass,
  LlmClient,
  LlmHealth,
  LlmLogger,
  ProviderStatus,
} from './types';
import { type Admission, type SendResult, Upstream } from './upstream';

export interface LlmClientOptions {
  logger?: LlmLogger;
  /** prom-client registry to report into; no metrics when absent. */
  metrics?: Registry;
  /** Clock for breaker and misconfiguration cool-downs and credential expiry (ms). Tests inject one; defaults to Date.now. */
  clock?: () => number;
  /** Source of randomness in [0, 1) for weighted routing and backoff jitter. Tests inject a seeded one. */
  random?: () => number;
}

const defaultHedgeDelayMs = 1500;
const silent: LlmLogger = { error() {}, warn() {}, info() {}, debug() {} };

// Which fallback_on class an outcome falls under; answers that are there but unusable count as 5xx.
const fallbackClassOf: Partial<Record<AttemptOutcome, FallbackClass>> = {
  '5xx': '5xx',
  transient: '5xx',
  malformed: '5xx',
  too_large: '5xx',
  '429': '429',
  timeout: 'timeout',
  connection: 'connection',
  auth_error: 'connection',
};

export function createLlmClient(config: LlmConfig, hooks: AttemptHooks, opts: LlmClientOptions = {}): LlmClient {
  return new FailoverClient(config, hooks, opts);
}

interface LaneResult {
  response: ChatResponse | null;
  /** No further provider should be tried (aborted, deadline, refusal with on_refusal: fallback, or a class not in fallback_on). */
  stop: boolean;
}

const laneFailed: LaneResult = { response: null, stop: false };
const laneStopped: LaneResult = { response: null, stop: true };

interface AttemptResult {
  outcome: AttemptOutcome;
  response: ChatResponse | null;
  retryable: boolean;
  retryAfterMs: number | null;
  /** The credential was rejected and dropped: a fresh one may succeed at once. */
  credentialRejected: boolean;
}

function failedAttempt(outcome: AttemptOutcome): AttemptResult {
  return { outcome, response: null, retryable: false, retryAfterMs: null, credentialRejected: false };
}

class FailoverClient implements LlmClient {
  private readonly upstreams: Upstream[];
  private readonly router: Router<Upstream>;
  private readonly fallbackOn: ReadonlySet<FallbackClass>;
  private readonly log: LlmLogger;
  private readonly random: () => number;
  private readonly unwatch: () => void;
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
    this.upstreams = config.providers.map((p) => new Upstream(p, config.routing, metrics.forProvider(p.name), clock, this.log));
    this.router = new Router(this.upstreams, config.routing.strategy, this.random);
    this.fallbackOn = new Set(config.routing.fallback_on);
    this.unwatch = metrics.watchProviders(
      this.upstreams.map((u) => ({ name: u.name, breaker: () => u.breaker.state, state: () => u.state() })),
    );
  }

  enabledProviders(): ProviderStatus[] {
    return this.upstreams.map((u) => u.status());
  }

  health(): LlmHealth {
    const providers = this.enabledProviders();
    const reasons = providers
      .filter((p) => p.state !== 'available')
      .map((p) => `${p.name}: ${p.state === 'open' ? 'circuit breaker open' : p.state}${p.cause ? ` (${p.cause})` : ''}`);
    return { status: reasons.length > 0 ? 'degraded' : 'ok', providers, reasons };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unwatch();
    await Promise.all(this.upstreams.map((u) => u.close()));
  }

  async complete(request: ChatRequest, options: CompleteOptions): Promise<ChatResponse> {
    if (this.closed) throw new LlmUnavailableError([], 'closed');
    if (options.signal?.aborted) throw new LlmAbortedError();
    const order = this.router.order(options.excludeProviders, options.onlyProvider);
    if (order.length === 0) throw new LlmUnavailableError([], 'no_provider');
    const call = new Call(request, options, this.config.routing.deadline_ms);
    const hedging = this.config.routing.hedge.enabled;
    try {
      while (call.stopped === null) {
        const upstream = this.nextAllowed(call, order);
        if (!upstream) break;
        if (call.remaining() <= 0) {
          call.stopped = 'deadline';
          break;
        }
        const lane = call.lane(upstream, false);
        const result = hedging && call.attempts === 0 ? await this.hedged(call, lane, order) : await this.runLane(call, lane);
        if (result.response) return result.response;
        if (result.stop) break;
      }
    } finally {
      call.dispose();
    }
    if (call.stopped === 'aborted') throw new LlmAbortedError();
    throw new LlmUnavailableError(call.failures, call.stopped ?? 'all_failed');
  }

  /** The next provider in order that is in rotation; skipped ones are noted, not contacted. */
  private nextAllowed(call: Call, order: readonly Upstream[]): Upstream | undefined {
    while (call.next < order.length) {
      const upstream = order[call.next++];
      if (upstream.healthy()) return upstream;
      call.failures.push({ provider: upstream.name, outcome: upstream.skipReason() });
    }
    return undefined;
  }

  /** Attempts at one provider: the first try plus retries with backoff or the server's wait, within the deadline. */
  private async runLane(call: Call, lane: Lane): Promise<LaneResult> {
    const upstream = lane.upstream;
    let retryAfterMs: number | null = null;
    let wait = false;
    let attempts = 0;
    for (let n = 1; n <= upstream.retries + 1; n++) {
      if (wait) {
        const ms = retryAfterMs ?? fullJitterMs(n - 2, this.backoff(), this.random);
        // A wait that would outlast the deadline is better spent on the next provider.
        if (ms >= call.remaining()) return laneFailed;
        await lane.sleep(ms);
        if (lane.cancelled !== null || call.stopped !== null) return laneStopped;
      }
      const admission = upstream.admit();
      if (admission.permit === Permit.Denied) {
        call.failures.push({ provider: upstream.name, outcome: upstream.skipReason() });
        return laneFailed;
      }
      const attempt = await this.attempt(call, lane, ++attempts, admission);
      if (attempt.response) return { response: attempt.response, stop: false };
      const outcome = attempt.outcome;
      if (outcome === 'aborted' || outcome === 'hedge_lost' || call.stopped !== null) return laneStopped;
      if (attempt.credentialRejected && !lane.refreshedCredential) {
        // Expired or revoked token: one more try with a fresh one, at once and outside the retry budget.
        lane.refreshedCredential = true;
        n--;
        wait = false;
        continue;
      }
      if (outcome === 'refused') {
        // A refusal is an answer: asking the same provider again would be a second disclosure for the same "no".
        if (this.config.routing.on_refusal === 'fallback') {
          call.stopped = 'refused';
          return laneStopped;
        }
        return laneFailed;
      }
      // The provider cannot answer this configuration (or another 4xx): another provider may.
      if (outcome === 'misconfigured' || outcome === 'client_error') return laneFailed;
      const fallbackClass = fallbackClassOf[outcome];
      if (fallbackClass === undefined || !this.fallbackOn.has(fallbackClass)) {
        call.stopped = 'not_retryable';
        return laneStopped;
      }
      if (!attempt.retryable) return laneFailed;
      retryAfterMs = attempt.retryAfterMs;
      wait = true;
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
    let auditError: Error | undefined;
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
          (err: Error) => {
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

  /**
   * One attempt, as named steps: encode the body → credentials (if the provider needs them) → beforeAttempt (the
   * committed audit id) → preemption → attempt timer → send → settle (metrics, breaker, span) → result and log →
   * afterAttempt.
   */
  private async attempt(call: Call, lane: Lane, providerAttempt: number, admission: Admission): Promise<AttemptResult> {
    const upstream = lane.upstream;
    encodeOnce(call, lane);
    // Credentials come first: a token that cannot be had means nothing is sent, so no disclosure is recorded.
    const credential = await this.credentialFor(call, upstream);
    if (credential instanceof CredentialsUnavailable) return this.credentialsFailed(call, upstream, admission, credential.err);

    const start = attemptStart(call, lane, providerAttempt);
    const auditEventId = await this.beforeAttempt(upstream, admission, start);

    // The audit row is committed; if the call ended meanwhile, close the row without sending anything.
    const t0 = performance.now();
    const budget = call.deadlineAt - t0;
    const preempted = preemption(call, lane, budget);
    if (preempted !== null) return this.preempt(call, upstream, admission, start, auditEventId, preempted);

    const flight = armAttemptTimer(lane, budget);
    const span = startAttemptSpan(upstream, start, auditEventId, call.request);
    const sent = await send(lane, flight, auditEventId, credential);
    const latencyMs = performance.now() - t0;
    disarmAttemptTimer(lane, flight);

    // Our own abort reason names the cause better than the transport error it produced.
    const outcome = flight.abortedAs ?? sent.outcome;
    if (outcome === 'timeout' && flight.byDeadline) call.stopped ??= 'deadline';
    const reply = outcome === sent.outcome ? sent.reply : null;
    settle(upstream, admission, span, sent, outcome, reply, latencyMs);
    const reason = reasonOf(sent, reply);
    const result = this.resultOf(call, lane, start, sent, outcome, reply, latencyMs, reason, credential);
    await this.afterAttempt(start, auditEventId, sent.status, outcome, latencyMs, reply?.usage, reason);
    return result;
  }

  /** The provider's credential: the cached one, or one fetched within the attempt's time; never throws. */
  private async credentialFor(call: Call, upstream: Upstream): Promise<unknown> {
    const authorizer = upstream.authorizer;
    if (authorizer === undefined) return undefined;
    const cached = authorizer.credentials.peek();
    if (cached !== undefined) return cached;
    try {
      return await authorizer.credentials.get(Math.max(1, Math.min(upstream.attemptTimeoutMs, call.remaining())));
    } catch (err) {
      return new CredentialsUnavailable(err);
    }
  }

  /** The audit hook: resolves with the committed row's id; any failure fails the call closed (nothing is sent). */
  private async beforeAttempt(upstream: Upstream, admission: Admission, start: AttemptStart): Promise<string> {
    try {
      const auditEventId = await this.hooks.beforeAttempt(start);
      if (typeof auditEventId !== 'string' || auditEventId === '') {
        throw new TypeError('beforeAttempt resolved without an audit event id');
      }
      return auditEventId;
    } catch (err) {
      upstream.settle(admission, 'aborted', 'neutral');
      throw new LlmAuditError(upstream.name, err);
    }
  }

  /** The call ended between the audit row and the send: the row is closed with the reason, nothing is sent. */
  private async preempt(
    call: Call,
    upstream: Upstream,
    admission: Admission,
    start: AttemptStart,
    auditEventId: string,
    preempted: AttemptOutcome,
  ): Promise<AttemptResult> {
    if (preempted === 'timeout') call.stopped ??= 'deadline';
    call.failures.push({ provider: upstream.name, outcome: preempted });
    upstream.settle(admission, preempted, 'neutral');
    await this.afterAttempt(start, auditEventId, null, preempted, 0, undefined, undefined);
    return failedAttempt(preempted);
  }

  /** The answer, or the failure noted for the call and logged (a rejected credential is dropped instead). */
  private resultOf(
    call: Call,
    lane: Lane,
    start: AttemptStart,
    sent: SendResult,
    outcome: AttemptOutcome,
    reply: Decoded | null,
    latencyMs: number,
    reason: string | undefined,
    credential: unknown,
  ): AttemptResult {
    const upstream = lane.upstream;
    if (outcome === 'success' && reply !== null) {
      upstream.latency.add(latencyMs);
      const response = {
        text: reply.text,
        provider: upstream.name,
        model: upstream.model,
        usage: reply.usage,
        stopReason: reply.stopReason,
      };
      return { outcome, response, retryable: sent.retryable, retryAfterMs: sent.retryAfterMs, credentialRejected: false };
    }
    call.failures.push(reason === undefined ? { provider: upstream.name, outcome } : { provider: upstream.name, outcome, reason });
    const authorizer = upstream.authorizer;
    const credentialRejected =
      outcome === 'misconfigured' &&
      authorizer !== undefined &&
      !lane.refreshedCredential &&
      sent.status !== null &&
      authorizer.rejected(sent.status, sent.error ?? {});
    if (credentialRejected) authorizer?.credentials.invalidate(credential);
    else this.reportFailure(upstream, call, start.attempt, sent, outcome);
    return { outcome, response: null, retryable: sent.retryable, retryAfterMs: sent.retryAfterMs, credentialRejected };
  }

  /** No credentials: nothing sent, no audit row; a configuration cause takes the provider out of rotation. */
  private credentialsFailed(call: Call, upstream: Upstream, admission: Admission, err: unknown): AttemptResult {
    const failure =
      err instanceof AuthFailure
        ? err
        : new AuthFailure('auth_error', (err as Error)?.name ?? 'Error', String((err as Error)?.message ?? err));
    const outcome = failure.outcome;
    upstream.metrics.observe(outcome, 0);
    upstream.settle(admission, outcome, outcome === 'auth_error' ? 'failure' : 'neutral');
    call.failures.push({ provider: upstream.name, outcome, reason: failure.type });
    const message = scrubMessage(failure.message, upstream.adapter.redact, undefined);
    const fields = { provider: upstream.name, outcome, credentials: failure.type, errorMessage: message };
    if (outcome === 'misconfigured') {
      if (upstream.markMisconfigured(`credentials ${failure.type}: ${message}`)) {
        this.log.error(fields, 'LLM provider credentials unavailable: check its identity configuration; out of rotation for the cool-down');
      }
    } else {
      this.log.warn(fields, 'LLM provider credentials could not be fetched');
    }
    return failedAttempt(outcome);
  }

  private async afterAttempt(
    start: AttemptStart,
    auditEventId: string,
    status: number | null,
    outcome: AttemptOutcome,
    latencyMs: number,
    usage: ChatResponse['usage'],
    reason: string | undefined,
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
        reason,
      });
    } catch (err) {
      this.log.error(
        {
          provider: start.provider,
          attempt: start.attempt,
          auditEventId,
          err: { name: (err as Error)?.name, message: (err as Error)?.message },
        },
        'LLM audit hook afterAttempt failed',
      );
    }
  }

  private reportFailure(upstream: Upstream, call: Call, attempt: number, sent: SendResult, outcome: AttemptOutcome): void {
    const fields = { provider: upstream.name, attempt, status: sent.status, outcome };
    if (outcome === 'misconfigured') {
      const type = sent.error?.type ?? 'unknown_error';
      const message = scrubMessage(sent.error?.message, upstream.adapter.redact, contentOf(call.request));
      const cause = `${sent.status} ${type}${message ? `: ${message}` : ''}`;
      // Loud once per provider and cause: a wrong key, model or parameter will not fix itself.
      if (upstream.markMisconfigured(cause)) {
        this.log.error(
          { ...fields, errorType: type, errorMessage: message },
          'LLM provider cannot answer this configuration (key, model, parameter or URL): out of rotation for the cool-down',
        );
      }
    } else if (outcome === 'refused') {
      this.log.info({ ...fields, reason: sent.reply?.finishReason ?? sent.error?.type }, 'LLM provider declined to answer');
    } else if (outcome === 'aborted' || outcome === 'hedge_lost' || outcome === 'client_error') {
      this.log.debug({ ...fields, errorType: sent.error?.type }, 'LLM attempt ended');
    } else {
      this.log.warn(fields, 'LLM attempt failed');
    }
  }

  private backoff() {
    const b = this.config.routing.backoff;
    return { baseMs: b.base_ms, maxMs: b.max_ms };
  }
}

/** A credential fetch that failed: returned (not thrown) by credentialFor, so the attempt can close without sending. */
class CredentialsUnavailable {
  constructor(readonly err: unknown) {}
}

/** Serialized once per provider per call; retries resend the same bytes, so the hash still matches. */
function encodeOnce(call: Call, lane: Lane): void {
  if (lane.body !== null) return;
  lane.body = lane.upstream.encode(call.request);
  lane.sha256 = hash('sha256', lane.body, 'hex');
}

/** What the audit hook is told about the attempt before anything is sent; numbers the attempt within the call. */
function attemptStart(call: Call, lane: Lane, providerAttempt: number): AttemptStart {
  const upstream = lane.upstream;
  return {
    provider: upstream.name,
    type: upstream.type,
    model: upstream.model,
    host: upstream.host,
    baa: upstream.baa,
    attempt: ++call.attempts,
    providerAttempt,
    hedge: lane.hedge,
    requestBytes: lane.body!.length,
    requestSha256: lane.sha256,
    meta: call.options.meta,
  };
}

/** Why the attempt must not be sent after all (lane cancelled, call aborted, deadline passed), or null. */
function preemption(call: Call, lane: Lane, budget: number): AttemptOutcome | null {
  return lane.cancelled ?? (call.stopped === 'aborted' ? 'aborted' : budget <= 0 ? 'timeout' : null);
}

/** The attempt's timer: the provider's attempt timeout, or the call's remaining budget when that is shorter. */
function armAttemptTimer(lane: Lane, budget: number): InFlight {
  const flight = new InFlight();
  const attemptTimeoutMs = lane.upstream.attemptTimeoutMs;
  flight.byDeadline = budget < attemptTimeoutMs;
  flight.timer = setTimeout(onAttemptTimeout, flight.byDeadline ? budget : attemptTimeoutMs, flight);
  lane.current = flight;
  return flight;
}

function disarmAttemptTimer(lane: Lane, flight: InFlight): void {
  clearTimeout(flight.timer);
  lane.current = null;
}

/** Headers (signed by the authorizer when the provider needs it), then the request; nothing is sent once aborted. */
async function send(lane: Lane, flight: InFlight, auditEventId: string, credential: unknown): Promise<SendResult> {
  const upstream = lane.upstream;
  const body = lane.body!;
  const authorizer = upstream.authorizer;
  let headers = upstream.adapter.headers(auditEventId);
  if (authorizer === undefined) return upstream.send(body, headers, flight.asEmitter());
  headers = await authorizer.apply(headers, credential, {
    host: upstream.host,
    path: upstream.adapter.endpoint.path,
    body,
    sha256: lane.sha256,
  });
  if (flight.aborted) return { outcome: 'aborted', status: null, reply: null, retryable: false, retryAfterMs: null };
  return upstream.send(body, headers, flight.asEmitter());
}

/** What the attempt says about the provider: metrics, the breaker's verdict, the span's end. */
function settle(
  upstream: Upstream,
  admission: Admission,
  span: ReturnType<typeof startAttemptSpan>,
  sent: SendResult,
  outcome: AttemptOutcome,
  reply: Decoded | null,
  latencyMs: number,
): void {
  upstream.metrics.observe(outcome, latencyMs / 1000);
  if (reply?.usage) upstream.metrics.tokens(reply.usage.inputTokens, reply.usage.outputTokens);
  upstream.settle(admission, outcome, verdictOf(outcome));
  if (span !== null) endAttemptSpan(span, sent.status, outcome, reply);
}

function verdictOf(outcome: AttemptOutcome): 'success' | 'failure' | 'neutral' {
  // A refusal is a healthy provider saying no.
  if (outcome === 'success' || outcome === 'refused') return 'success';
  // Not the provider's fault (caller or hedge cancelled) or not its health (configuration, another 4xx).
  if (outcome === 'aborted' || outcome === 'hedge_lost' || outcome === 'client_error' || outcome === 'misconfigured') return 'neutral';
  return 'failure';
}

/** The provider's own word on a failure or refusal, for the audit row and the error. */
function reasonOf(sent: SendResult, reply: Decoded | null): string | undefined {
  // An OpenAI refusal finishes with a plain "stop": say what it was.
  if (reply?.refused) return reply.finishReason === undefined || reply.finishReason === 'stop' ? 'refusal' : reply.finishReason;
  return sent.error?.type;
}

/** The message texts of a request: what a provider error must never quote into a log. */
function contentOf(request: ChatRequest): string {
  let text = request.system;
  for (const m of request.messages) text += `\n${m.content}`;
  return text;
}
