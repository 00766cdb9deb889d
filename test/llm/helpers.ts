// Shared test fixtures for the LLM client: config builder, recording audit hooks, capturing logger.
import { randomUUID } from 'node:crypto';
import type { FakeUpstream, RecordedRequest } from '../support/fake-upstream';
import { llmConfigSchema, type LlmConfig } from '../../src/llm';
import { mulberry32 } from '../../src/random';
import type { AttemptEnd, AttemptHooks, AttemptStart, ChatRequest, LlmLogger } from '../../src/llm';

/** A key that must never show up in a log line, error message, span or inspected object. */
export const API_KEY = 'sk-test-NEVER-LOG-ME-7f3a9c';

export const chat: ChatRequest = {
  system: 'You summarise a patient week for a clinician.',
  messages: [{ role: 'user', content: 'Summarise: "the patient" had a quiet night.' }],
  maxTokens: 200,
  temperature: 0,
};

export interface ProviderSpec {
  name: string;
  url: string;
  type?: 'openai' | 'anthropic';
  weight?: number;
  [key: string]: unknown;
}

/** A validated config from provider specs (url → base_url) and routing overrides. */
export function makeConfig(providers: ProviderSpec[], routing: Record<string, unknown> = {}): LlmConfig {
  return llmConfigSchema.parse({
    providers: providers.map(({ url, type, ...rest }) => ({
      type: type ?? 'openai',
      base_url: url,
      api_key: API_KEY,
      model: `${rest.name}-model`,
      ...rest,
    })),
    routing: { retries_per_provider: 0, attempt_timeout_ms: 2000, deadline_ms: 5000, ...routing },
  });
}

export interface LogLine {
  level: string;
  obj: object;
  msg: string;
}

export function captureLogger(): LlmLogger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return {
    lines,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    text: () => lines.map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.obj)}`).join('\n'),
  };
}

export interface RecordingHooks extends AttemptHooks {
  /** Audit ids handed out, added before beforeAttempt resolves (i.e. "committed"). */
  issued: Set<string>;
  starts: AttemptStart[];
  ends: AttemptEnd[];
  failBefore: boolean;
  failAfter: boolean;
}

export function recordingHooks(): RecordingHooks {
  const hooks: RecordingHooks = {
    issued: new Set(),
    starts: [],
    ends: [],
    failBefore: false,
    failAfter: false,
    async beforeAttempt(start) {
      hooks.starts.push(start);
      if (hooks.failBefore) throw new Error('audit database unavailable');
      const id = randomUUID();
      hooks.issued.add(id);
      return id;
    },
    async afterAttempt(end) {
      hooks.ends.push(end);
      if (hooks.failAfter) throw new Error('audit write failed');
    },
  };
  return hooks;
}

/** On each arrival, notes whether its X-Audit-Event-Id had already been issued by beforeAttempt. */
export function checkAuditIds(upstream: FakeUpstream, hooks: RecordingHooks): { id: unknown; known: boolean }[] {
  const seen: { id: unknown; known: boolean }[] = [];
  upstream.onRequest((req: RecordedRequest) => {
    const id = req.headers['x-audit-event-id'];
    seen.push({ id, known: typeof id === 'string' && hooks.issued.has(id) });
  });
  return seen;
}

/** Seeded PRNG (mulberry32) for reproducible routing and jitter. */
export const seededRandom = mulberry32;

/** A validated config from raw provider entries (any type) and routing overrides, with the test routing defaults. */
export function configOf(providers: Record<string, unknown>[], routing: Record<string, unknown> = {}): LlmConfig {
  return llmConfigSchema.parse({
    providers,
    routing: { retries_per_provider: 0, attempt_timeout_ms: 2000, deadline_ms: 5000, backoff: { base_ms: 1, max_ms: 5 }, ...routing },
  });
}

/** A clock tests move by hand (breaker and misconfiguration cool-downs, credential expiry). */
export function manualClock(start = Date.now()): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A chat request that asks for JSON the way the prompt does (OpenAI's JSON mode requires the word). */
export const jsonChat: ChatRequest = {
  ...chat,
  messages: [{ role: 'user', content: 'Summarise as a JSON object: "the patient" had a quiet night.' }],
  json: true,
};
