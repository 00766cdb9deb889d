// Builds the Express app from its dependencies; main.ts wires the real ones, tests their own.
import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Logger } from '../log';
import { createMetrics, type Metrics } from '../metrics';
import { authenticate, type TokenVerifier } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { refuseNonText } from './input';
import { toOpenApiPath } from './openapi';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimit } from './rate-limit';
import { auditRoutes } from './routes/audit';
import { docsRoutes } from './routes/docs';
import { probeRoutes, type Readiness } from './routes/probes';
import { summaryRoutes } from './routes/summaries';
import { wardRoutes } from './routes/wards';
import { wardSummaryRoutes } from './routes/ward-summaries';
import { cors, securityHeaders } from './security';
import { uiRoutes } from './ui';
import type { AuditReview } from '../services/audit-review';
import type { PatientSummaryService } from '../services/patient-summary';
import type { PrewarmService } from '../services/prewarm';
import type { WardBatchService } from '../services/ward-summaries';
import type { WardService } from '../services/wards';
import { currentPhases, now, serverTiming, withPhases } from '../timing';

/** The use cases the routes call, built by the composition root (src/main.ts; test/support/app.ts for tests). */
export interface AppServices {
  summaries: PatientSummaryService;
  wardBatches: WardBatchService;
  prewarm: PrewarmService;
  auditReview: AuditReview;
  wards: WardService;
}

export interface AppDeps {
  services: AppServices;
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Readiness;
  defaultDays: number;
  /** The process's metrics registry; a private one when absent (tests). */
  metrics?: Metrics;
  /** Browser origins allowed to call the API; none → no CORS headers at all. */
  corsOrigins?: readonly string[];
  /** Per-subject limits shared by every instance (src/db/rate-limits.ts): summary reads, and on-demand prewarms (each may cost a model call per patient). Absent → unlimited. */
  rateLimiter?: RateLimiterAbstract | null;
  prewarmRateLimiter?: RateLimiterAbstract | null;
  /** Bearer token /metrics requires; absent → open (restrict it by network). */
  metricsToken?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A server-made request id for every request (a client's X-Request-Id could reuse another request's, and audit rows
 * must tell requests apart), the client's own kept beside it when well-formed; one log line and one latency
 * observation per request.
 */
function requestContext(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id = randomUUID();
    req.clientRequestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : undefined;
    req.log = logger.child(req.clientRequestId ? { requestId: req.id, clientRequestId: req.clientRequestId } : { requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    if (req.clientRequestId) res.setHeader('X-Client-Request-Id', req.clientRequestId);
    const started = process.hrtime.bigint();
    // Server-Timing on every response: the phases measured until its headers leave (durations only, no PHI).
    const writeHead = res.writeHead.bind(res);
    res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
      const phases = currentPhases();
      if (phases && !res.headersSent && !res.hasHeader('Server-Timing')) res.setHeader('Server-Timing', serverTiming(phases));
      return writeHead(...args);
    }) as typeof res.writeHead;
    res.on('finish', () => {
      // Route pattern, not the URL: no patient ids or query strings in logs or metric labels. Documented routes
      // label themselves on entry; Express forgets req.baseUrl once an error leaves a router, hence `mount`.
      const mount = (res.locals.mount as string | undefined) ?? req.baseUrl;
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = (res.locals.route as string | undefined) ?? (routePath ? toOpenApiPath(`${mount}${routePath}`) : 'unmatched');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(req.method, route, res.statusCode, seconds);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      req.log[level](
        { method: req.method, route, status: res.statusCode, latencyMs: seconds * 1000, actor: req.principal?.sub },
        'request',
      );
    });
    withPhases(next, now());
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
  app.use(refuseNonText());
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
  const summaryLimit = rateLimit(deps.rateLimiter);
  const { services } = deps;
  v1.use(summaryRoutes({ summaries: services.summaries, defaultDays: deps.defaultDays, metrics, rateLimit: summaryLimit }));
  v1.use(wardRoutes(services.wards));
  // Ward batches share the bucket; applied here until routes/ward-summaries.ts takes `rateLimit` like summaries.ts.
  v1.get('/wards/:wardId/summaries', summaryLimit);
  // A prewarm may cost a model call per patient of the ward: its own, smaller bucket.
  v1.post('/wards/:wardId/prewarm', rateLimit(deps.prewarmRateLimiter));
  v1.use(wardSummaryRoutes({ wardBatches: services.wardBatches, prewarm: services.prewarm, defaultDays: deps.defaultDays }));
  v1.use(auditRoutes(services.auditReview));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
