// Prometheus metrics for LLM attempts, tokens, breakers and provider states, shared per registry across clients.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AttemptOutcome, BreakerState, ProviderState } from './types';

const breakerValue: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const providerStates: readonly ProviderState[] = ['available', 'half-open', 'open', 'misconfigured'];

export interface ProviderSource {
  name: string;
  breaker(): BreakerState;
  state(): ProviderState;
}

/** Pre-bound label children for one provider, so the hot path does no label hashing. */
export interface ProviderMetrics {
  observe(outcome: AttemptOutcome, seconds: number): void;
  tokens(input: number, output: number): void;
}

export interface LlmMetrics {
  forProvider(name: string): ProviderMetrics;
  /** States are read at scrape time, so a cooled-down breaker shows half-open without a call. */
  watchProviders(sources: readonly ProviderSource[]): () => void;
}

interface Shared {
  attempts: Counter<'provider' | 'outcome'>;
  duration: Histogram<'provider' | 'outcome'>;
  tokens: Counter<'provider' | 'type'>;
  sources: Set<ProviderSource>;
}

const perRegistry = new WeakMap<Registry, Shared>();

const noop: LlmMetrics = {
  forProvider: () => ({ observe() {}, tokens() {} }),
  watchProviders: () => () => {},
};

export function llmMetrics(registry: Registry | undefined): LlmMetrics {
  if (!registry) return noop;
  const shared = perRegistry.get(registry) ?? register(registry);
  return {
    forProvider(name) {
      const children = new Map<AttemptOutcome, { counter: { inc(): void }; histogram: { observe(v: number): void } }>();
      const input = shared.tokens.labels(name, 'input');
      const output = shared.tokens.labels(name, 'output');
      return {
        tokens(inputTokens, outputTokens) {
          input.inc(inputTokens);
          output.inc(outputTokens);
        },
        observe(outcome, seconds) {
          let child = children.get(outcome);
          if (!child) {
            child = { counter: shared.attempts.labels(name, outcome), histogram: shared.duration.labels(name, outcome) };
            children.set(outcome, child);
          }
          child.counter.inc();
          child.histogram.observe(seconds);
        },
      };
    },
    watchProviders(sources) {
      for (const s of sources) shared.sources.add(s);
      return () => {
        for (const s of sources) shared.sources.delete(s);
      };
    },
  };
}

function register(registry: Registry): Shared {
  const sources = new Set<ProviderSource>();
  const shared: Shared = {
    attempts: new Counter({
      name: 'shiftnote_llm_attempts_total',
      help: 'LLM attempts sent, by provider and outcome',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'shiftnote_llm_attempt_duration_seconds',
      help: 'LLM attempt latency (request sent to response read), by provider and outcome',
      labelNames: ['provider', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'shiftnote_llm_tokens_total',
      help: 'LLM tokens reported by providers, by provider and type (input, output)',
      labelNames: ['provider', 'type'],
      registers: [registry],
    }),
    sources,
  };
  new Gauge({
    name: 'shiftnote_llm_breaker_state',
    help: 'LLM provider circuit breaker: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sources) this.set({ provider: s.name }, breakerValue[s.breaker()]);
    },
  });
  new Gauge({
    name: 'shiftnote_llm_provider_state',
    help: 'LLM provider state: 1 for the current one of available, half-open, open, misconfigured; 0 for the others',
    labelNames: ['provider', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sources) {
        const current = s.state();
        for (const state of providerStates) this.set({ provider: s.name, state }, state === current ? 1 : 0);
      }
    },
  });
  perRegistry.set(registry, shared);
  return shared;
}
