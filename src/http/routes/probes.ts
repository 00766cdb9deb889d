// Operations endpoints for the orchestrator and monitoring: liveness, readiness, Prometheus metrics.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Metrics } from '../../metrics';
import { unauthorized } from '../errors';
import { documentRoute, errorResponse } from '../openapi';

export interface Readiness {
  /** Resolves with per-dependency details; `ok` false means "take me out of the load balancer". */
  check(): Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

export interface ProbeDeps {
  readiness: Readiness;
  metrics: Metrics;
  /** When set, /metrics needs `Authorization: Bearer <token>`; otherwise restrict it by network. */
  metricsToken?: string;
}

const healthSchema = z.object({ status: z.literal('ok') });
const readinessSchema = z
  .looseObject({
    status: z.enum(['ready', 'not_ready']),
    /** Present while an LLM provider is out of rotation: still ready (the fallback summarizer answers), but degraded. */
    degraded: z.array(z.string()).optional(),
  })
  .meta({
    description:
      'Plus per-dependency details (database, migrations, `llm`: status ok|degraded, each provider with its state ' +
      'available|half-open|open|misconfigured and cause) or `shuttingDown`. `degraded` lists why, one line per provider.',
  });

const healthz = documentRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process is up',
  description: 'No dependency is checked: a live process answers.',
  tags: ['operations'],
  responses: { 200: { description: 'Alive.', schema: healthSchema } },
});

const readyz = documentRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: database reachable and migrations applied; false while shutting down; says when LLM providers are degraded',
  description:
    'For the orchestrator: take the instance out of the load balancer while this is 503. `degraded` lists LLM providers out of rotation (the fallback summarizer still answers).',
  tags: ['operations'],
  responses: {
    200: { description: 'Ready for traffic.', schema: readinessSchema },
    503: { description: 'Not ready: take this instance out of the load balancer.', schema: readinessSchema },
  },
});

const metricsDoc = documentRoute({
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics (text exposition format)',
  description: 'Open unless METRICS_TOKEN is set, then `Authorization: Bearer <METRICS_TOKEN>`. No patient identifiers in any label.',
  tags: ['operations'],
  responses: {
    200: {
      description: 'Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4; charset=utf-8`).',
      schema: z.string(),
      contentType: 'text/plain',
    },
    401: errorResponse('METRICS_TOKEN is set and the bearer token does not match it.'),
  },
});

const sha256 = (s: string) => createHash('sha256').update(s).digest();

function metricsAuth(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = sha256(`Bearer ${token}`);
  // Hashing first makes the comparison constant-time whatever the header's length.
  return (req, _res, next) => next(timingSafeEqual(sha256(req.headers.authorization ?? ''), expected) ? undefined : unauthorized());
}

export function probeRoutes(deps: ProbeDeps): Router {
  const router = Router();
  router.get('/healthz', healthz, (_req, res) => {
    res.json({ status: 'ok' } satisfies z.infer<typeof healthSchema>);
  });
  router.get('/readyz', readyz, async (_req, res) => {
    const { ok, details } = await deps.readiness.check();
    res.status(ok ? 200 : 503).json({ ...details, status: ok ? 'ready' : 'not_ready' } satisfies z.infer<typeof readinessSchema>);
  });
  router.get('/metrics', metricsDoc, metricsAuth(deps.metricsToken), async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
