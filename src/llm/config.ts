// LLM provider and routing configuration: YAML file → ${VAR} interpolation → zod validation → LlmConfig.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LlmConfigError } from './errors';
import { REASONING_EFFORTS } from './params';
import { Secret } from './secret';

const positiveInt = z.number().int().positive();

export const fallbackClasses = ['5xx', 'timeout', '429', 'connection'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const secret = z
  .string()
  .min(1)
  .transform((value) => new Secret(value));

/** Model parameters over the family defaults (src/llm/params.ts). */
export const paramsSchema = z.strictObject({
  /** OpenAI-style APIs: max_tokens (older chat models, vLLM, Ollama) or max_completion_tokens (o-series, gpt-5). */
  output_tokens_param: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  /** Send the request's temperature (off for reasoning models and current Claude, which reject one). */
  temperature: z.boolean().optional(),
  /** The provider's JSON mode (response_format json_object, Gemini's responseMimeType) when the request asks. */
  json_mode: z.boolean().optional(),
  reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  /** Floor for the output-token budget: reasoning and thinking tokens count toward it. */
  min_output_tokens: positiveInt.max(1_000_000).optional(),
  /** Claude: adaptive or disabled thinking; absent = the model's default. */
  thinking: z.enum(['adaptive', 'disabled']).optional(),
});

// Keys every provider type has.
const common = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" or "-"'),
  /** Replaces the vendor's scheme, host and port (private endpoints, VPC endpoints, tests). */
  base_url: httpUrl.optional(),
  /** 0 = fallback only: tried after every weighted provider. */
  weight: z.number().int().min(0).default(1),
  /** Business associate agreement on file with this provider. */
  baa: z.boolean().default(false),
  /** Accept this provider without a BAA even in production or after a BAA provider (a deliberate, logged choice). */
  allow_without_baa: z.boolean().default(false),
  /**
   * Keep-alive connections to this provider (HTTP/1.1, one request each). Sized for a ward round: several boards'
   * batches and single reads at shift change (the bench's 64 concurrent summaries) never queue for a connection.
   */
  max_connections: z.number().int().min(1).max(1024).default(128),
  /** Overrides routing.retries_per_provider. */
  retries: z.number().int().min(0).max(10).optional(),
  /** Overrides routing.attempt_timeout_ms. */
  attempt_timeout_ms: positiveInt.optional(),
  /** Overrides routing.max_response_bytes. */
  max_response_bytes: positiveInt
    .min(1024)
    .max(64 * 1024 * 1024)
    .optional(),
  /** PEM file of CA certificates trusted for this provider's connections (and an Entra ID authority): private PKI, TLS inspection. */
  ca_file: z.string().min(1).optional(),
  params: paramsSchema.optional(),
};

const openaiSchema = z.strictObject({
  ...common,
  type: z.literal('openai'),
  // Optional: local OpenAI-compatible servers (vLLM, Ollama) may need none.
  api_key: secret.optional(),
  model: z.string().min(1),
});

const azureSchema = z.strictObject({
  ...common,
  type: z.literal('azure-openai'),
  /** https://{resource}.openai.azure.com (or a Foundry resource endpoint). */
  endpoint: httpUrl,
  /** Classic deployments path; omit it and set `model` (the deployment name) for the v1 path. */
  deployment: z.string().min(1).optional(),
  /** Classic deployments only, e.g. "2024-10-21". */
  api_version: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'a dated API version such as 2024-10-21')
    .optional(),
  /** v1 path: the deployment name sent as `model`. Classic: optional, the model behind the deployment (defaults, telemetry). */
  model: z.string().min(1).optional(),
  api_key: secret.optional(),
  /** `entra`: an Entra ID bearer token (client credentials when client_secret is set, else managed identity). */
  auth: z.enum(['api_key', 'entra']).optional(),
  tenant_id: z.string().min(1).optional(),
  client_id: z.string().min(1).optional(),
  client_secret: secret.optional(),
  /** Entra authority, e.g. https://login.microsoftonline.us for Azure Government. */
  authority_host: httpUrl.optional(),
});

const anthropicSchema = z.strictObject({
  ...common,
  type: z.literal('anthropic'),
  api_key: secret.optional(),
  model: z.string().min(1),
  /** anthropic-version header. 2026-10-21 (the SDKs' default) rejects temperature, top_p and top_k. */
  api_version: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a dated API version such as 2026-10-21')
    .default('2026-10-21'),
});

const bedrockSchema = z.strictObject({
  ...common,
  type: z.literal('bedrock'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1'),
  /** A model id or an inference-profile id or ARN (e.g. us.anthropic.claude-haiku-5-5). */
  model: z.string().min(1),
  /** converse (any model) or invoke (Anthropic models, with Anthropic's Bedrock body). */
  api: z.enum(['converse', 'invoke']).default('converse'),
  /** invoke only: the Anthropic body's anthropic_version. */
  anthropic_version: z.string().min(1).default('bedrock-2023-05-31'),
  /** A Bedrock API key (Authorization: Bearer) instead of SigV4 with the AWS credential chain. */
  api_key: secret.optional(),
  /** Named profile from the shared AWS config files; default: the standard chain (AWS_PROFILE, env, container, instance). */
  aws_profile: z.string().min(1).optional(),
});

const vertexSchema = z.strictObject({
  ...common,
  type: z.literal('vertex'),
  project: z.string().min(1),
  /** e.g. us-east5, europe-west1, or global. */
  region: z.string().regex(/^(global|us|eu|[a-z]+-[a-z]+\d+)$/, 'a Google Cloud region such as us-east5, or global'),
  publisher: z.enum(['anthropic', 'google']),
  model: z.string().min(1),
  /** A credentials JSON file; default: application-default credentials (GOOGLE_APPLICATION_CREDENTIALS, metadata server). */
  credentials_file: z.string().min(1).optional(),
  /** Anthropic publisher: the body's anthropic_version. */
  anthropic_version: z.string().min(1).default('vertex-2023-10-16'),
});

export const providerConfigSchema = z
  .discriminatedUnion('type', [openaiSchema, azureSchema, anthropicSchema, bedrockSchema, vertexSchema])
  .superRefine((p, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.type === 'azure-openai') {
      if (p.deployment !== undefined && p.api_version === undefined)
        problem('api_version', 'required with deployment (classic deployments path)');
      if (p.deployment === undefined && p.model === undefined)
        problem('model', 'required without deployment (the v1 path sends the deployment name as model)');
      if (p.deployment === undefined && p.api_version !== undefined)
        problem('api_version', 'only for classic deployments: the v1 path has no api-version');
      const entra = p.auth === 'entra';
      if (entra && p.api_key !== undefined) problem('api_key', 'not with auth: entra');
      if (!entra && p.api_key === undefined) problem('api_key', 'required unless auth: entra');
      if (!entra && (p.tenant_id ?? p.client_id ?? p.client_secret ?? p.authority_host) !== undefined) {
        problem('auth', 'tenant_id, client_id, client_secret and authority_host need auth: entra');
      }
      if (p.client_secret !== undefined && (p.tenant_id === undefined || p.client_id === undefined)) {
        problem('client_secret', 'client credentials need tenant_id and client_id too');
      }
    }
    if (p.type === 'bedrock' && p.api === 'invoke' && !/anthropic\./.test(p.model)) {
      problem('model', "api: invoke sends Anthropic's Bedrock body: use an anthropic.* model or profile, or api: converse");
    }
    if (p.type === 'bedrock' && p.api_key !== undefined && p.aws_profile !== undefined) problem('aws_profile', 'not with api_key');
    if (p.type === 'anthropic' && p.api_version >= '2026-10-21' && p.params?.temperature === true) {
      problem('params', `temperature: the ${p.api_version} API rejects it (use api_version 2023-06-01 to send one)`);
    }
    const effort = p.params?.reasoning_effort;
    if (effort !== undefined) {
      const claudeLike =
        p.type === 'anthropic' || (p.type === 'vertex' && p.publisher === 'anthropic') || (p.type === 'bedrock' && p.api === 'invoke');
      if (claudeLike && !['low', 'medium', 'high', 'xhigh', 'max'].includes(effort))
        problem('params', `reasoning_effort: Claude takes low, medium, high, xhigh or max`);
      if (p.type === 'vertex' && p.publisher === 'google' && !['minimal', 'low', 'medium', 'high'].includes(effort)) {
        problem('params', 'reasoning_effort: Gemini thinking levels are minimal, low, medium or high');
      }
      if (p.type === 'bedrock' && p.api === 'converse')
        problem('params', 'reasoning_effort: not sent through Converse (use api: invoke for Claude)');
    }
    if (p.params?.thinking !== undefined) {
      const claudeLike =
        p.type === 'anthropic' || (p.type === 'vertex' && p.publisher === 'anthropic') || (p.type === 'bedrock' && p.api === 'invoke');
      if (!claudeLike) problem('params', 'thinking: Claude only (anthropic, vertex publisher anthropic, bedrock api invoke)');
    }
  });

export const routingConfigSchema = z.strictObject({
  strategy: z.enum(['failover', 'weighted']).default('failover'),
  // YAML reads a bare 429 as a number; the contract writes it bare.
  fallback_on: z.array(z.preprocess((v) => (v === 429 ? '429' : v), z.enum(fallbackClasses))).default([...fallbackClasses]),
  attempt_timeout_ms: positiveInt.default(4000),
  deadline_ms: positiveInt.default(8000),
  retries_per_provider: z.number().int().min(0).max(10).default(1),
  /** After a refusal or content filter: try the next provider, or go straight to the fallback summarizer. */
  on_refusal: z.enum(['next', 'fallback']).default('next'),
  /** Largest provider answer read; a bigger one is cut off while reading and counts as a failed attempt. */
  max_response_bytes: positiveInt
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(256 * 1024),
  /** How long a provider that answered 400/401/403/404 stays out of rotation before one probe. */
  misconfigured_cooldown_ms: positiveInt.default(300_000),
  /** Upper bound on fetching credentials (token endpoint, metadata service); the attempt timeout bounds it too. */
  token_timeout_ms: positiveInt.default(5000),
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
  const routing = top.success ? top.data.routing : routingConfigSchema.parse({});
  problems.push(...baaProblems(providers, routing.strategy, env.NODE_ENV === 'production'));
  if (problems.length > 0) throw new LlmConfigError(source, problems);

  for (const d of disabled) {
    log?.warn({ provider: d.name, variables: d.variables }, 'LLM provider disabled: environment variable not set');
  }
  for (const p of providers) {
    if (!p.baa && p.allow_without_baa) {
      log?.warn({ provider: p.name }, 'LLM provider enabled WITHOUT a business associate agreement (allow_without_baa: true)');
    }
  }
  return { providers, routing };
}

/**
 * Where data could go without a BAA. In production every enabled provider needs `baa: true`; anywhere, no order
 * the router can produce may fail over from a BAA provider to one without (failover: weight order; weighted: any
 * provider with a weight can be picked first). `allow_without_baa: true` on the receiving provider accepts it.
 */
export function baaProblems(providers: readonly ProviderConfig[], strategy: RoutingConfig['strategy'], production: boolean): string[] {
  const problems: string[] = [];
  const index = new Map(providers.map((p, i) => [p, i]));
  const order = [...providers].sort((a, b) => b.weight - a.weight);
  for (const [position, p] of order.entries()) {
    if (p.baa || p.allow_without_baa) continue;
    const where = `providers[${index.get(p)}] (${p.name})`;
    if (production) {
      problems.push(
        `${where}: NODE_ENV=production and no BAA: set baa: true once a business associate agreement covers it, or allow_without_baa: true to accept sending data without one`,
      );
      continue;
    }
    const before = order.slice(0, position).find((q) => q.baa);
    const firstPick = strategy === 'weighted' ? order.find((q) => q.baa && q.weight > 0 && q !== p) : undefined;
    const from = before ?? firstPick;
    if (from) {
      problems.push(
        `${where}: failover from BAA provider "${from.name}" would send data to a provider without a BAA: set baa: true, allow_without_baa: true, or order it before "${from.name}"`,
      );
    }
  }
  return problems;
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
