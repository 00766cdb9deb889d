// Builds the Express app from its dependencies; main.ts wires the real ones, tests their own.
import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Logger } from '../log';
import { createMetrics, type Metrics } from '../metrics';
import { authenticate, type TokenVerifier } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { toOpenApiPath } from './openapi';
import { rateLimit, type RateLimitOptions } from './rate-limit';
import { auditRoutes, type AuditRouteDeps } from './routes/audit';
import { docsRoutes } from './routes/docs';
import { probeRoutes, type Readiness } from './routes/probes';
import { summaryRoutes } from './routes/summaries';
import { wardRoutes } from './routes/wards';
import { wardSummaryRoutes, type WardSummaryDeps } from './routes/ward-summaries';
import { cors, securityHeaders } from './security';
import { uiRoutes } from './ui';
import type { SummaryServiceDeps } from '../services/summaries';

export interface AppDeps extends SummaryServiceDeps, AuditRouteDeps, Partial<Pick<WardSummaryDeps, 'wardConcurrency' | 'prewarm'>> {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Readiness;
  defaultDays: number;
  /** The process's metrics registry; a private one when absent (tests). */
  metrics?: Metrics;
  /** Browser origins allowed to call the API; none → no CORS headers at all. */
  corsOrigins?: readonly string[];
  /** Per-subject limit on summary reads; absent → unlimited. */
  rateLimit?: RateLimitOptions;
  /** Bearer token /metrics requires; absent → open (restrict it by network). */
  metricsToken?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (client's if well-formed, else a new UUID), one log line and one latency observation per request. */
function requestContext(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Route pattern, not the URL: no patient ids or query strings in logs or metric labels. Documented routes
      // label themselves on entry; Express forgets req.baseUrl once an error leaves a router, hence `mount`.
      const mount: string = res.locals.mount ?? req.baseUrl;
      const route: string = res.locals.route ?? (req.route?.path ? toOpenApiPath(`${mount}${req.route.path}`) : 'unmatched');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(req.method, route, res.statusCode, seconds);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      req.log[level]({ method: req.method, route, status: res.statusCode, latencyMs: seconds * 1000, actor: req.principal?.sub }, 'request');
    });
    next();
  };
}

export function createApp(deps: AppDeps): express.Express {
  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger, metrics));
  app.use(securityHeaders());
  if (deps.corsOrigins?.length) app.use(cors(deps.corsOrigins));
  app.use(express.json({ limit: '16kb' }));

  app.use(probeRoutes({ readiness: deps.readiness, metrics, metricsToken: deps.metricsToken }));
  app.use(docsRoutes());
  app.use(uiRoutes());
  const v1 = express.Router();
  v1.use((req, res, next) => {
    res.locals.mount = req.baseUrl;
    next();
  });
  v1.use(authenticate(deps.verifier));
  // One bucket per subject for every summary read, single or per ward: each may cost model calls.
  const summaryLimit = rateLimit(deps.rateLimit ?? { perMinute: 0 });
  v1.use(summaryRoutes({ ...deps, metrics, rateLimit: summaryLimit }));
  v1.use(wardRoutes(deps.db));
  // Ward batches share the bucket; applied here until routes/ward-summaries.ts takes `rateLimit` like summaries.ts.
  v1.get('/wards/:wardId/summaries', summaryLimit);
  v1.use(
    wardSummaryRoutes({
      ...deps,
      wardConcurrency: deps.wardConcurrency ?? 4,
      prewarm: deps.prewarm ?? { concurrency: 2, perMinute: 120, instance: 'local' },
    }),
  );
  v1.use(auditRoutes(deps));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
