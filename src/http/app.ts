// Builds the Express app from its dependencies; main.ts wires the real ones, tests their own.
import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Logger } from '../log';
import { authenticate, type TokenVerifier } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { auditRoutes, type AuditRouteDeps } from './routes/audit';
import { probeRoutes, type Readiness } from './routes/probes';
import { summaryRoutes } from './routes/summaries';
import { wardRoutes } from './routes/wards';
import type { SummaryServiceDeps } from '../services/summaries';

export interface AppDeps extends SummaryServiceDeps, AuditRouteDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: Readiness;
  defaultDays: number;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (client's if well-formed, else a new UUID) and one log line per request. */
function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Route pattern, not the URL: no patient ids or query strings in the log.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      const level = res.statusCode >= 500 ? 'error' : 'info';
      req.log[level](
        { method: req.method, route, status: res.statusCode, latencyMs: Number(process.hrtime.bigint() - started) / 1e6, actor: req.principal?.sub },
        'request',
      );
    });
    next();
  };
}

/** API security headers, set once for every response. */
const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  app.use(securityHeaders);
  app.use(express.json({ limit: '16kb' }));

  app.use(probeRoutes(deps.readiness));
  const v1 = express.Router();
  v1.use(authenticate(deps.verifier));
  v1.use(summaryRoutes(deps));
  v1.use(wardRoutes(deps.db));
  v1.use(auditRoutes(deps));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
