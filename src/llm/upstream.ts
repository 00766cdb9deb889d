// One configured provider at run time: adapter, credentials, connection pool, breaker, misconfiguration state, one send.
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { Authorizer } from './auth/authorizer';
import { awsAuthorizer } from './auth/aws';
import { entraAuthorizer } from './auth/entra';
import { googleAuthorizer } from './auth/google';
import { serverRetryAfterMs } from './backoff';
import { readBounded, readPrefix } from './body';
import { CircuitBreaker, Permit } from './breaker';
import { classifyStatus } from './classify';
import type { ProviderConfig, RoutingConfig } from './config';
import { LatencyWindow } from './latency';
import type { ProviderMetrics } from './metrics';
import { modelFamily, resolveParams } from './params';
import type { Decoded, ProviderAdapter, ProviderError } from './providers/adapter';
import { anthropicAdapter } from './providers/anthropic';
import { azureOpenaiAdapter } from './providers/azure-openai';
import { bedrockAdapter, bedrockUrl } from './providers/bedrock';
import { openaiAdapter } from './providers/openai';
import { vertexAdapter, vertexUrl } from './providers/vertex';
import type { AttemptOutcome, LlmLogger, ProviderState, ProviderStatus, ProviderType } from './types';

/** What one HTTP exchange produced, before the client applies its own abort reasons. */
export interface SendResult {
  outcome: AttemptOutcome;
  status: number | null;
  /** The decoded 2xx answer (also for a refusal). */
  reply: Decoded | null;
  /** May the same provider be asked again in this call. */
  retryable: boolean;
  retryAfterMs: number | null;
  /** From the error body of a non-2xx answer: the provider's type and raw (unscrubbed) message. */
  error?: ProviderError;
}

/** What admit() granted: the breaker's permit, and whether this is the one probe of a misconfigured provider. */
export interface Admission {
  permit: Permit;
  probe: boolean;
}

const admitted: Admission = Object.freeze({ permit: Permit.Normal, probe: false });
const denied: Admission = Object.freeze({ permit: Permit.Denied, probe: false });
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** Enough of an error body for its type and message; the rest is never read. */
const errorBodyLimit = 16 * 1024;

interface Built {
  adapter: ProviderAdapter;
  authorizer: Authorizer | undefined;
  /** The model named in audit rows and spans (an Azure classic deployment's name when no model is given). */
  model: string;
}

interface BuildContext {
  now: () => number;
  tokenTimeoutMs: number;
  log: LlmLogger;
}

function build(config: ProviderConfig, ctx: BuildContext): Built {
  const baseUrl = config.base_url === undefined ? undefined : new URL(config.base_url);
  const onBackgroundError = (err: unknown) =>
    ctx.log.warn(
      { provider: config.name, err: { name: (err as Error)?.name, type: (err as { type?: string })?.type } },
      'LLM credential refresh failed; the next attempt retries it',
    );
  const auth = { now: ctx.now, fetchTimeoutMs: ctx.tokenTimeoutMs, onBackgroundError };
  switch (config.type) {
    case 'openai': {
      const params = resolveParams(modelFamily('openai', config.model), config.params);
      return {
        adapter: openaiAdapter(baseUrl, config.api_key?.reveal(), { model: config.model, params }),
        authorizer: undefined,
        model: config.model,
      };
    }
    case 'azure-openai': {
      const params = resolveParams(modelFamily('azure-openai', config.model), config.params);
      const model = config.model ?? config.deployment ?? '';
      const adapter = azureOpenaiAdapter(
        {
          url: baseUrl ?? new URL(config.endpoint),
          deployment: config.deployment,
          apiVersion: config.api_version,
          apiKey: config.api_key?.reveal(),
        },
        { model, params },
      );
      const authorizer =
        config.auth === 'entra'
          ? entraAuthorizer({
              tenantId: config.tenant_id,
              clientId: config.client_id,
              clientSecret: config.client_secret?.reveal(),
              authorityHost: config.authority_host,
              caFile: config.ca_file,
              ...auth,
            })
          : undefined;
      return { adapter, authorizer, model };
    }
    case 'anthropic': {
      const params = resolveParams(modelFamily('anthropic', config.model), config.params);
      return {
        adapter: anthropicAdapter(baseUrl, config.api_key?.reveal(), config.api_version, { model: config.model, params }),
        authorizer: undefined,
        model: config.model,
      };
    }
    case 'bedrock': {
      const params = resolveParams(modelFamily('bedrock', config.model), config.params);
      const apiKey = config.api_key?.reveal();
      const adapter = bedrockAdapter(
        {
          url: baseUrl ?? bedrockUrl(config.region),
          model: config.model,
          api: config.api,
          anthropicVersion: config.anthropic_version,
          apiKey,
        },
        { model: config.model, params },
      );
      const authorizer = apiKey === undefined ? awsAuthorizer({ region: config.region, profile: config.aws_profile, ...auth }) : undefined;
      return { adapter, authorizer, model: config.model };
    }
    case 'vertex': {
      const params = resolveParams(modelFamily('vertex', config.model, config.publisher), config.params);
      const adapter = vertexAdapter(
        {
          url: baseUrl ?? vertexUrl(config.region),
          project: config.project,
          region: config.region,
          publisher: config.publisher,
          model: config.model,
          anthropicVersion: config.anthropic_version,
        },
        { model: config.model, params },
      );
      return {
        adapter,
        authorizer: googleAuthorizer({ project: config.project, credentialsFile: config.credentials_file, ...auth }),
        model: config.model,
      };
    }
  }
}

export class Upstream {
  readonly name: string;
  readonly type: ProviderType;
  readonly model: string;
  readonly host: string;
  readonly serverPort: number;
  readonly baa: boolean;
  readonly weight: number;
  readonly retries: number;
  readonly attemptTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly breaker: CircuitBreaker;
  readonly latency = new LatencyWindow();
  readonly adapter: ProviderAdapter;
  /** Token or signature source; undefined when a static header (or nothing) authorizes the request. */
  readonly authorizer: Authorizer | undefined;
  /** Causes already logged as configuration errors (once each, until the provider answers again). */
  readonly reportedCauses = new Set<string>();
  private readonly pool: Pool;
  private readonly path: string;
  private readonly misconfiguredCooldownMs: number;
  private misconfiguredAt = 0;
  private misconfiguredCause: string | null = null;
  private probing = false;

  constructor(
    config: ProviderConfig,
    routing: RoutingConfig,
    readonly metrics: ProviderMetrics,
    private readonly now: () => number,
    log: LlmLogger,
  ) {
    const built = build(config, { now, tokenTimeoutMs: routing.token_timeout_ms, log });
    this.adapter = built.adapter;
    this.authorizer = built.authorizer;
    this.name = config.name;
    this.type = config.type;
    this.model = built.model;
    this.host = built.adapter.endpoint.host;
    const origin = new URL(built.adapter.endpoint.origin);
    this.serverPort = origin.port ? Number(origin.port) : origin.protocol === 'https:' ? 443 : 80;
    this.path = built.adapter.endpoint.path;
    this.baa = config.baa;
    this.weight = config.weight;
    this.retries = config.retries ?? routing.retries_per_provider;
    this.attemptTimeoutMs = config.attempt_timeout_ms ?? routing.attempt_timeout_ms;
    this.maxResponseBytes = config.max_response_bytes ?? routing.max_response_bytes;
    this.misconfiguredCooldownMs = routing.misconfigured_cooldown_ms;
    // Keep-alive pool per origin; pipelining 1 because a stalled LLM answer must not hold up the next request.
    this.pool = new Pool(built.adapter.endpoint.origin, {
      connections: config.max_connections,
      pipelining: 1,
      ...(config.ca_file ? { connect: { ca: readFileSync(config.ca_file, 'utf8') } } : {}),
    });

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

  /** Out of rotation until its cool-down ends (then one probe at a time). */
  private misconfiguredNow(): boolean {
    return this.misconfiguredCause !== null && (this.now() - this.misconfiguredAt < this.misconfiguredCooldownMs || this.probing);
  }

  /** A candidate for routing: not misconfigured (or due a probe) and the breaker lets an attempt through. */
  healthy(): boolean {
    return !this.misconfiguredNow() && this.breaker.allows();
  }

  /** Whether an attempt may start now, and as what. Never grants a second probe while one is out. */
  admit(): Admission {
    const probe = this.misconfiguredCause !== null;
    if (probe && this.misconfiguredNow()) return denied;
    const permit = this.breaker.acquire();
    if (permit === Permit.Denied) return denied;
    if (!probe) return permit === Permit.Normal ? admitted : { permit, probe: false };
    this.probing = true;
    return { permit, probe: true };
  }

  /** Why it is not a candidate, for a skipped provider's failure entry. */
  skipReason(): 'misconfigured' | 'breaker_open' {
    return this.misconfiguredNow() ? 'misconfigured' : 'breaker_open';
  }

  /** Records how an admitted attempt ended, for the breaker and the misconfiguration state. */
  settle(admission: Admission, outcome: AttemptOutcome, verdict: 'success' | 'failure' | 'neutral'): void {
    this.breaker.record(admission.permit, verdict);
    if (admission.probe) {
      this.probing = false;
      // Any answer but another configuration error (or no answer at all) means it can answer again.
      if (outcome !== 'misconfigured' && outcome !== 'aborted' && outcome !== 'hedge_lost' && outcome !== 'auth_error')
        this.clearMisconfigured();
    } else if (outcome === 'success' && this.reportedCauses.size > 0) {
      this.reportedCauses.clear();
    }
  }

  /** Takes it out of rotation for the cool-down. Returns true the first time this cause is seen (log it then). */
  markMisconfigured(cause: string): boolean {
    this.misconfiguredAt = this.now();
    this.misconfiguredCause = cause;
    if (this.reportedCauses.has(cause)) return false;
    this.reportedCauses.add(cause);
    return true;
  }

  private clearMisconfigured(): void {
    this.misconfiguredCause = null;
    this.reportedCauses.clear();
  }

  state(): ProviderState {
    if (this.misconfiguredCause !== null) return 'misconfigured';
    const breaker = this.breaker.state;
    return breaker === 'closed' ? 'available' : breaker;
  }

  status(): ProviderStatus {
    const status: ProviderStatus = {
      name: this.name,
      type: this.type,
      model: this.model,
      host: this.host,
      baa: this.baa,
      breaker: this.breaker.state,
      state: this.state(),
    };
    if (this.misconfiguredCause !== null) status.cause = this.misconfiguredCause;
    return status;
  }

  /** The request body bytes: serialized once, hashed and sent as the same Buffer. */
  encode(request: Parameters<ProviderAdapter['encode']>[0]): Buffer {
    return Buffer.from(this.adapter.encode(request));
  }

  /** One POST. Never throws: failures come back as an outcome class. The body is read (bounded) or destroyed. */
  async send(body: Buffer, headers: string[], signal: EventEmitter): Promise<SendResult> {
    let status: number | null = null;
    try {
      const res = await this.pool.request({ method: 'POST', path: this.path, headers, body, signal });
      status = res.statusCode;
      if (status >= 200 && status < 300) {
        const text = await readBounded(res.body, res.headers, this.maxResponseBytes);
        if (text === null) return { outcome: 'too_large', status, reply: null, retryable: false, retryAfterMs: null };
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return { outcome: 'malformed', status, reply: null, retryable: true, retryAfterMs: null };
        }
        const reply = this.adapter.decode(json);
        if (reply === null) return { outcome: 'malformed', status, reply: null, retryable: true, retryAfterMs: null };
        return { outcome: reply.refused ? 'refused' : 'success', status, reply, retryable: false, retryAfterMs: null };
      }
      const verdict = classifyStatus(status, res.headers);
      const retryAfterMs = verdict.retryable ? serverRetryAfterMs(res.headers, Date.now()) : null;
      let json: unknown;
      try {
        json = JSON.parse(await readPrefix(res.body, errorBodyLimit));
      } catch {
        json = undefined;
      }
      const error = this.adapter.error(json, res.headers);
      if (error.refusal) return { outcome: 'refused', status, reply: null, retryable: false, retryAfterMs: null, error };
      return { outcome: verdict.outcome, status, reply: null, retryable: verdict.retryable, retryAfterMs, error };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const outcome: AttemptOutcome = typeof code === 'string' && timeoutCodes.has(code) ? 'timeout' : 'connection';
      return { outcome, status, reply: null, retryable: true, retryAfterMs: null };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
