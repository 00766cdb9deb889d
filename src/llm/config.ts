// LLM provider and routing configuration: YAML file → ${VAR} interpolation → zod validation → LlmConfig.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LlmConfigError } from './errors';
import { Secret } from './secret';

const positiveInt = z.number().int().positive();

export const fallbackClasses = ['5xx', 'timeout', '429', 'connection'] as const;

export const providerConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" or "-"'),
  type: z.enum(['openai', 'anthropic']),
  base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  // Optional: local OpenAI-compatible servers (vLLM, Ollama) may need none.
  api_key: z
    .string()
    .min(1)
    .transform((value) => new Secret(value))
    .optional(),
  model: z.string().min(1),
  /** 0 = fallback only: tried after every weighted provider. */
  weight: z.number().int().min(0).default(1),
  /** Business associate agreement on file with this provider. */
  baa: z.boolean().default(false),
  max_connections: z.number().int().min(1).max(1024).default(32),
  /** Overrides routing.retries_per_provider. */
  retries: z.number().int().min(0).max(10).optional(),
  /** Overrides routing.attempt_timeout_ms. */
  attempt_timeout_ms: positiveInt.optional(),
});

export const routingConfigSchema = z.strictObject({
  strategy: z.enum(['failover', 'weighted']).default('failover'),
  // YAML reads a bare 429 as a number; the contract writes it bare.
  fallback_on: z
    .array(z.preprocess((v) => (v === 429 ? '429' : v), z.enum(fallbackClasses)))
    .default([...fallbackClasses]),
  attempt_timeout_ms: positiveInt.default(4000),
  deadline_ms: positiveInt.default(8000),
  retries_per_provider: z.number().int().min(0).max(10).default(1),
  hedge: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Hedge delay until enough latencies are observed for a p95 (default 1500 ms). */
      delay_ms: positiveInt.optional(),
    })
    .prefault({}),
  breaker: z
    .strictObject({
      /** Consecutive failures that open the breaker. */
      failure_threshold: positiveInt.default(5),
      /** Failure share over the rolling window that opens the breaker. */
      failure_rate: z.number().gt(0).max(1).default(0.5),
      /** Rolling window: the last N outcomes. */
      window: positiveInt.max(1000).default(20),
      /** Outcomes needed in the window before the rate counts (default min(10, window)). */
      min_volume: positiveInt.optional(),
      cooldown_ms: positiveInt.default(30_000),
    })
    .prefault({}),
  backoff: z
    .strictObject({
      base_ms: positiveInt.default(100),
      max_ms: positiveInt.default(2000),
    })
    .prefault({}),
});

export const llmConfigSchema = z.strictObject({
  providers: z.array(providerConfigSchema).default([]),
  routing: routingConfigSchema.prefault({}),
});

export type ProviderConfig = z.output<typeof providerConfigSchema>;
export type RoutingConfig = z.output<typeof routingConfigSchema>;
export type LlmConfig = z.output<typeof llmConfigSchema>;

export interface ConfigLogger {
  warn(obj: object, msg: string): void;
}

// Providers are validated one by one so that a provider disabled by an unset variable can still be checked.
const documentSchema = llmConfigSchema.extend({ providers: z.array(z.unknown()).default([]) });

const envReference = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Reads and validates the LLM configuration. A missing file means no provider: the fallback summarizer only. */
export function loadLlmConfig(path: string, env: NodeJS.ProcessEnv, log?: ConfigLogger): LlmConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    log?.warn({ path }, 'LLM configuration file not found: no LLM provider, fallback summarizer only');
    return llmConfigSchema.parse({});
  }
  return parseLlmConfig(text, env, log, path);
}

/** Same as loadLlmConfig, from YAML text. */
export function parseLlmConfig(yamlText: string, env: NodeJS.ProcessEnv, log?: ConfigLogger, source = 'LLM config'): LlmConfig {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText) ?? {};
  } catch (err) {
    // Only the first line: YAML errors go on to quote the offending source, which may hold a key.
    throw new LlmConfigError(source, [`not valid YAML: ${String((err as Error).message).split('\n')[0]}`]);
  }

  const unset: UnsetReference[] = [];
  const doc = interpolate(raw, env, [], unset);
  const problems: string[] = [];
  for (const ref of unset) {
    if (ref.path[0] !== 'providers' || typeof ref.path[1] !== 'number') {
      problems.push(`${formatPath(ref.path)}: environment variable ${ref.variable} is not set`);
    }
  }

  const top = documentSchema.safeParse(doc);
  if (!top.success) problems.push(...formatIssues(top.error.issues, []));

  const providers: ProviderConfig[] = [];
  const disabled: { name: string; variables: string[] }[] = [];
  // Providers are checked even when the rest of the document is not, so every problem is reported at once.
  const rawProviders = isRecord(doc) && Array.isArray(doc.providers) ? (doc.providers as unknown[]) : [];
  rawProviders.forEach((candidate, index) => {
    const base = ['providers', index];
    const unsetHere = unset.filter((ref) => ref.path[1] === index);
    const parsed = providerConfigSchema.safeParse(candidate);
    if (unsetHere.length === 0) {
      if (parsed.success) providers.push(parsed.data);
      else problems.push(...formatIssues(parsed.error.issues, base));
      return;
    }
    // A value that came from an unset variable cannot be judged; every other problem still counts.
    const unsetKeys = new Set(unsetHere.map((ref) => ref.path[2]));
    if (!parsed.success) {
      const real = parsed.error.issues.filter((issue) => !unsetKeys.has(issue.path[0] as string | number));
      problems.push(...formatIssues(real, base));
    }
    const name = (candidate as { name?: unknown }).name;
    disabled.push({
      name: typeof name === 'string' ? name : formatPath(base),
      variables: [...new Set(unsetHere.map((ref) => ref.variable))],
    });
  });

  const seen = new Set<string>();
  for (const p of providers) {
    if (seen.has(p.name)) problems.push(`providers: duplicate provider name "${p.name}"`);
    seen.add(p.name);
  }
  if (problems.length > 0) throw new LlmConfigError(source, problems);

  for (const d of disabled) {
    log?.warn({ provider: d.name, variables: d.variables }, 'LLM provider disabled: environment variable not set');
  }
  return { providers, routing: top.success ? top.data.routing : routingConfigSchema.parse({}) };
}

interface UnsetReference {
  path: (string | number)[];
  variable: string;
}

/** Replaces ${VAR} in every string; unset (or empty) variables are recorded with the path that used them. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[], unset: UnsetReference[]): unknown {
  if (typeof value === 'string') {
    return value.replace(envReference, (_match, variable: string) => {
      const found = env[variable];
      if (found === undefined || found === '') {
        unset.push({ path, variable });
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, [...path, i], unset));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = interpolate(item, env, [...path, key], unset);
    return out;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatIssues(issues: readonly z.core.$ZodIssue[], base: (string | number)[]): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...path, key])}: unknown key`);
    }
    return [`${formatPath(path)}: ${issue.message}`];
  });
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(root)';
}
