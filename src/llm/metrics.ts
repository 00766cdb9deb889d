// Prometheus metrics for LLM attempts and breakers, shared per registry so several clients can report into one.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AttemptOutcome, BreakerState } from './types';

const breakerValue: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerSource {
  name: string;
  state(): BreakerState;
}

/** Pre-bound label children for one provider, so the hot path does no label hashing. */
export interface ProviderMetrics {
  observe(outcome: AttemptOutcome, seconds: number): void;
}

export interface LlmMetrics {
  forProvider(name: string): ProviderMetrics;
  /** Breaker states are read at scrape time, so a cooled-down breaker shows half-open without a call. */
  watchBreakers(sources: readonly BreakerSource[]): () => void;
}

interface Shared {
  attempts: Counter<'provider' | 'outcome'>;
  duration: Histogram<'provider' | 'outcome'>;
  breakerSources: Set<BreakerSource>;
}

const perRegistry = new WeakMap<Registry, Shared>();

const noop: LlmMetrics = {
  forProvider: () => ({ observe() {} }),
  watchBreakers: () => () => {},
};

export function llmMetrics(registry: Registry | undefined): LlmMetrics {
  if (!registry) return noop;
  const shared = perRegistry.get(registry) ?? register(registry);
  return {
    forProvider(name) {
      const children = new Map<AttemptOutcome, { counter: { inc(): void }; histogram: { observe(v: number): void } }>();
      return {
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
    watchBreakers(sources) {
      for (const s of sources) shared.breakerSources.add(s);
      return () => {
        for (const s of sources) shared.breakerSources.delete(s);
      };
    },
  };
}

function register(registry: Registry): Shared {
  const breakerSources = new Set<BreakerSource>();
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
    breakerSources,
  };
  new Gauge({
    name: 'shiftnote_llm_breaker_state',
    help: 'LLM provider circuit breaker: 0 closed, 1 half-open, 2 open',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of breakerSources) this.set({ provider: s.name }, breakerValue[s.state()]);
    },
  });
  perRegistry.set(registry, shared);
  return shared;
}
