// Liveness and readiness probes for the orchestrator.
import { Router } from 'express';

export interface Readiness {
  /** Resolves with per-dependency details; `ok` false means "take me out of the load balancer". */
  check(): Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

export function probeRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ok, details } = await readiness.check();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', ...details });
  });
  return router;
}
