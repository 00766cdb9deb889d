// Readiness: ready for traffic only when the database answers, migrations are applied and audit rows can commit.
import type pg from 'pg';
import type { AuditWriterStats } from '../audit';

export interface ReadinessDeps {
  pool: pg.Pool;
  audit: AuditWriterStats & { unavailableReason(): string | null };
  expectedMigrations: number;
  /** The LLM client's health: a provider out of rotation leaves the instance ready (the fallback answers) but degraded. */
  llm: () => { status: string; providers: unknown[]; reasons: string[] };
  shuttingDown: () => boolean;
}

export function createReadiness(deps: ReadinessDeps): { check(): Promise<{ ok: boolean; details: Record<string, unknown> }> } {
  return {
    async check() {
      if (deps.shuttingDown()) return { ok: false, details: { shuttingDown: true } };
      // No summary can be answered while its audit row cannot commit (the writer probes and recovers by itself).
      const audit = deps.audit.unavailableReason();
      if (audit !== null) return { ok: false, details: { audit: 'unavailable', reason: audit } };
      try {
        const { rows } = await deps.pool.query<{ applied: number }>(
          'SELECT count(*)::int AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        );
        const migrated = rows[0].applied >= deps.expectedMigrations;
        const llm = deps.llm();
        return {
          ok: migrated,
          details: {
            database: 'ok',
            audit: 'ok',
            migrations: migrated ? 'applied' : 'pending',
            llm,
            ...(llm.reasons.length > 0 ? { degraded: llm.reasons } : {}),
          },
        };
      } catch {
        return { ok: false, details: { database: 'unreachable' } };
      }
    },
  };
}
