// `npm run providers:check`: a short synthetic prompt (no patient data) to each enabled provider, audited like any
// outbound request (purpose HOPERAT, no patient), and a table: reachable, authenticated, model served, JSON, latency.
// Exits 1 when any provider fails (or none is enabled). LLM_CONFIG and DATABASE_URL as for the service.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { AuditWriter, llmAuditHooks } from '../src/audit';
import type { DisclosureContext } from '../src/audit/llm-hooks';
import { ConfigError, loadConfig } from '../src/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { migrateIfNeeded } from '../src/db/migrate';
import {
  createLlmClient,
  LlmConfigError,
  loadLlmConfig,
  type AttemptEnd,
  type AttemptHooks,
  type LlmClient,
  type LlmConfig,
} from '../src/llm';

export interface CheckRow {
  provider: string;
  type: string;
  model: string;
  /** An HTTP answer came back. */
  reachable: boolean;
  /** Credentials were had and accepted (not 401/403). null: never got that far. */
  authenticated: boolean | null;
  /** The model (deployment, profile) answered (not 404 or an invalid-model error). null: not known. */
  modelServed: boolean | null;
  /** The answer was the JSON object asked for. null: no answer. */
  json: boolean | null;
  latencyMs: number | null;
  /** ok, or the outcome and the provider's own reason. */
  result: string;
}

const system = 'You are the connectivity check of a clinical summary service. There is no patient here. Answer with JSON only.';

/** One synthetic request per enabled provider (that provider only, no retries, no failover). */
export async function checkProviders(client: LlmClient, meta: () => Record<string, unknown>, ends: AttemptEnd[]): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  for (const provider of client.enabledProviders()) {
    const nonce = randomBytes(4).toString('hex');
    const request = {
      system,
      messages: [
        { role: 'user' as const, content: `Reply with exactly this JSON object and nothing else: {"ok": true, "check": "${nonce}"}` },
      ],
      maxTokens: 64,
      json: true,
    };
    const seen = ends.length;
    const t0 = performance.now();
    let text: string | null = null;
    let failure: { outcome: string; reason?: string } | undefined;
    try {
      text = (await client.complete(request, { meta: meta(), onlyProvider: provider.name })).text;
    } catch (err) {
      const failures = (err as { failures?: { outcome: string; reason?: string }[] }).failures ?? [];
      failure = failures.at(-1) ?? { outcome: (err as Error).name };
    }
    const latencyMs = performance.now() - t0;
    const last = ends.slice(seen).at(-1);
    const status = last?.status ?? null;
    const outcome = text !== null ? 'success' : (failure?.outcome ?? 'unknown');
    const reason = failure?.reason ?? last?.reason;
    const credentialsFailed = last === undefined && (outcome === 'misconfigured' || outcome === 'auth_error');
    const authenticated = credentialsFailed ? false : status === null ? null : status !== 401 && status !== 403;
    const modelServed =
      status === null || authenticated === false ? null : status !== 404 && !(status === 400 && /model|deployment/i.test(reason ?? ''));
    let json: boolean | null = null;
    if (text !== null) {
      try {
        const parsed = JSON.parse(text.trim().replace(/^```(json)?\s*|\s*```$/g, '')) as { ok?: unknown; check?: unknown };
        json = parsed.ok === true && parsed.check === nonce;
      } catch {
        json = false;
      }
    }
    const current = client.enabledProviders().find((p) => p.name === provider.name);
    rows.push({
      provider: provider.name,
      type: provider.type,
      model: provider.model,
      reachable: status !== null,
      authenticated,
      modelServed,
      json,
      latencyMs: last ? Math.round(latencyMs) : null,
      result:
        text !== null && json
          ? 'ok'
          : text !== null
            ? 'answered, not the JSON asked for'
            : `${outcome}${reason ? ` (${reason})` : ''}${current?.cause ? `: ${current.cause}` : ''}`,
    });
  }
  return rows;
}

export function passed(row: CheckRow): boolean {
  return row.reachable && row.authenticated === true && row.modelServed === true && row.json === true;
}

export function formatTable(rows: CheckRow[]): string {
  const yes = (v: boolean | null) => (v === null ? '—' : v ? 'yes' : 'NO');
  const header = ['provider', 'type', 'model', 'reachable', 'authenticated', 'model served', 'JSON honoured', 'latency', 'result'];
  const body = rows.map((r) => [
    r.provider,
    r.type,
    r.model,
    yes(r.reachable),
    yes(r.authenticated),
    yes(r.modelServed),
    yes(r.json),
    r.latencyMs === null ? '—' : `${r.latencyMs} ms`,
    r.result,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Audit context of the check: an operations disclosure of no patient's data, by the check itself. */
export function checkContext(requestId: string): DisclosureContext {
  return {
    actorId: 'shiftnote-providers-check',
    actorRoles: ['service'],
    patientId: null,
    purposeOfUse: 'HOPERAT',
    requestId,
    dataCategories: ['synthetic connectivity prompt (no patient data)'],
    promptVersion: 'providers-check-1',
    windowDays: 0,
    purpose: 'operations: provider connectivity check',
  };
}

/** Records every attempt's end for the table as well as for the audit trail. */
export function recordingEnds(hooks: AttemptHooks, ends: AttemptEnd[]): AttemptHooks {
  return {
    beforeAttempt: (start) => hooks.beforeAttempt(start),
    afterAttempt: async (end) => {
      ends.push(end);
      await hooks.afterAttempt(end);
    },
  };
}

async function main(): Promise<number> {
  let llmConfig: LlmConfig;
  let databaseUrl: string | undefined;
  let embeddedPg: { dir: string; port: number };
  try {
    const config = loadConfig();
    databaseUrl = config.databaseUrl;
    embeddedPg = config.embeddedPg;
    llmConfig = loadLlmConfig(config.llmConfigPath, process.env, {
      warn: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
    });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LlmConfigError) {
      process.stderr.write(`providers:check: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (llmConfig.providers.length === 0) {
    process.stderr.write('providers:check: no provider is enabled (each is off until its ${VAR} is set)\n');
    return 1;
  }
  let embedded: EmbeddedDatabase | undefined;
  if (!databaseUrl) {
    process.stderr.write('providers:check: DATABASE_URL is unset: using the embedded PostgreSQL (dev) for the audit rows\n');
    embedded = await startEmbeddedPostgres(embeddedPg.dir, embeddedPg.port, (m) => process.stderr.write(`${m}\n`));
    databaseUrl = embedded.url;
    await migrateIfNeeded(databaseUrl);
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const audit = new AuditWriter(pool);
  const ends: AttemptEnd[] = [];
  // Probing every provider: no retries, one attempt each, bounded by the attempt timeout.
  const config = {
    ...llmConfig,
    routing: { ...llmConfig.routing, retries_per_provider: 0, hedge: { ...llmConfig.routing.hedge, enabled: false } },
  };
  const client = createLlmClient(config, recordingEnds(llmAuditHooks(audit), ends));
  const runId = `providers-check-${randomUUID()}`;
  try {
    const rows = await checkProviders(client, () => ({ ...checkContext(runId) }), ends);
    process.stdout.write(`${formatTable(rows)}\n`);
    const failed = rows.filter((r) => !passed(r));
    process.stdout.write(
      failed.length === 0
        ? `\nall ${rows.length} providers answered (audit request id ${runId})\n`
        : `\n${failed.length} of ${rows.length} providers FAILED (audit request id ${runId})\n`,
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    await client.close();
    await audit.close();
    await pool.end();
    await embedded?.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`providers:check failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
