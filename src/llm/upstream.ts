// One configured provider at run time: its adapter, connection pool, breaker and latency window, and a single send.
import type { EventEmitter } from 'node:events';
import { Pool } from 'undici';
import { parseRetryAfterMs } from './backoff';
import { CircuitBreaker } from './breaker';
import type { ProviderConfig, RoutingConfig } from './config';
import { LatencyWindow } from './latency';
import type { ProviderMetrics } from './metrics';
import type { ProviderAdapter, ProviderReply } from './providers/adapter';
import { anthropicAdapter } from './providers/anthropic';
import { openaiAdapter } from './providers/openai';
import type { AttemptOutcome, LlmLogger, ProviderStatus, ProviderType } from './types';

/** What one HTTP exchange produced, before the client applies its own abort reasons. */
export interface SendResult {
  outcome: AttemptOutcome;
  status: number | null;
  reply: ProviderReply | null;
  retryAfterMs: number | null;
}

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export class Upstream {
  readonly name: string;
  readonly type: ProviderType;
  readonly model: string;
  readonly host: string;
  readonly baa: boolean;
  readonly weight: number;
  readonly retries: number;
  readonly attemptTimeoutMs: number;
  readonly breaker: CircuitBreaker;
  readonly latency = new LatencyWindow();
  /** HTTP statuses already reported as configuration errors (logged once each). */
  readonly reportedStatuses = new Set<number>();
  private readonly adapter: ProviderAdapter;
  private readonly pool: Pool;

  constructor(
    config: ProviderConfig,
    routing: RoutingConfig,
    readonly metrics: ProviderMetrics,
    now: () => number,
    log: LlmLogger,
  ) {
    const baseUrl = new URL(config.base_url);
    this.name = config.name;
    this.type = config.type;
    this.model = config.model;
    this.host = baseUrl.host;
    this.baa = config.baa;
    this.weight = config.weight;
    this.retries = config.retries ?? routing.retries_per_provider;
    this.attemptTimeoutMs = config.attempt_timeout_ms ?? routing.attempt_timeout_ms;
    const makeAdapter = config.type === 'openai' ? openaiAdapter : anthropicAdapter;
    this.adapter = makeAdapter({ baseUrl, model: config.model, apiKey: config.api_key?.reveal() });
    // Keep-alive pool per origin; pipelining 1 because a stalled LLM answer must not hold up the next request.
    this.pool = new Pool(baseUrl.origin, { connections: config.max_connections, pipelining: 1 });

    const b = routing.breaker;
    this.breaker = new CircuitBreaker(
      {
        failureThreshold: b.failure_threshold,
        failureRate: b.failure_rate,
        window: b.window,
        minVolume: b.min_volume ?? Math.min(10, b.window),
        cooldownMs: b.cooldown_ms,
      },
      now,
      (state) => {
        if (state === 'open') log.warn({ provider: this.name }, 'LLM provider circuit breaker opened');
        else log.info({ provider: this.name, breaker: state }, 'LLM provider circuit breaker state changed');
      },
    );
  }

  healthy(): boolean {
    return this.breaker.allows();
  }

  status(): ProviderStatus {
    return { name: this.name, type: this.type, model: this.model, host: this.host, baa: this.baa, breaker: this.breaker.state };
  }

  /** The request body bytes: serialized once, hashed and sent as the same Buffer. */
  encode(request: Parameters<ProviderAdapter['encode']>[0]): Buffer {
    return Buffer.from(this.adapter.encode(request));
  }

  /** One POST. Never throws: failures come back as an outcome class. The response body is always read or dumped. */
  async send(body: Buffer, auditEventId: string, signal: EventEmitter): Promise<SendResult> {
    let status: number | null = null;
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.adapter.path,
        headers: this.adapter.headers(auditEventId),
        body,
        signal,
      });
      status = res.statusCode;
      if (status >= 200 && status < 300) {
        const text = await res.body.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return result('malformed', status);
        }
        const reply = this.adapter.decode(json);
        return reply ? { outcome: 'success', status, reply, retryAfterMs: null } : result('malformed', status);
      }
      // Error bodies are not needed (and not logged: they may echo the prompt); dump frees the connection.
      res.body.dump().catch(() => {});
      const outcome: AttemptOutcome = status === 429 ? '429' : status >= 500 ? '5xx' : 'client_error';
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfterMs(res.headers['retry-after'], Date.now()) : null;
      return { outcome, status, reply: null, retryAfterMs };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return result(typeof code === 'string' && timeoutCodes.has(code) ? 'timeout' : 'connection', status);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function result(outcome: AttemptOutcome, status: number | null): SendResult {
  return { outcome, status, reply: null, retryAfterMs: null };
}
