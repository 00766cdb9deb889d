// The one error envelope: domain and HTTP errors become {"error":{code,message,requestId}}; nothing else leaks.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AuditUnavailableError } from '../audit/writer';
import { DomainError, ForbiddenError, NotFoundError, UnavailableError, type DomainErrorCode } from '../errors';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The one place a domain error's code becomes an HTTP status (and the headers that go with it). */
const DOMAIN_STATUS: Record<DomainErrorCode, { status: number; headers?: Record<string, string> }> = {
  bad_request: { status: 400 },
  forbidden: { status: 403 },
  not_found: { status: 404 },
  conflict: { status: 409 },
  unavailable: { status: 503, headers: { 'Retry-After': '5' } },
};

function fromDomain(err: DomainError): HttpError {
  const { status, headers } = DOMAIN_STATUS[err.code];
  return new HttpError(status, err.code, err.message, headers);
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const unauthorized = (message = 'a valid bearer token is required') =>
  new HttpError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer' });
// The domain's own, for the HTTP layer's use (a role check, a missing asset): status and default message as mapped above.
export const forbidden = (message?: string) => fromDomain(new ForbiddenError(message));
export const notFound = (what: string) => fromDomain(new NotFoundError(what));
export const unavailable = (message?: string) => fromDomain(new UnavailableError(message));
/** A method the route does not offer, e.g. HEAD where answering it would mean reading patient data for no body. */
export const methodNotAllowed = (allow: string, message: string) => new HttpError(405, 'method_not_allowed', message, { Allow: allow });
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'too_many_requests', 'too many requests; retry later', { 'Retry-After': String(retryAfterSeconds) });

/** Every error response's body; `requestId` equals the X-Request-Id header. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          'bad_request, unauthorized, forbidden, not_found, method_not_allowed, request_timeout, payload_too_large, headers_too_large, too_many_requests, unavailable, internal',
      }),
      message: z.string().meta({ description: 'Human-readable; never echoes request values.' }),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export function errorBody(code: string, message: string, requestId: string): ErrorEnvelope {
  return { error: { code, message, requestId } };
}

/** zod issues as one short message that names fields, never echoes the values. */
export function validationMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const where = i.path.length ? i.path.join('.') : 'request';
      // zod would quote the unknown keys, which are the client's text: the documented parameters are in /openapi.json.
      return i.code === 'unrecognized_keys' ? `${where}: unknown parameter (see /openapi.json)` : `${where}: ${i.message}`;
    })
    .join('; ');
}

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(validationMessage(result.error));
  return result.data;
}

// Driver/Prisma errors that mean "the database is not reachable right now".
const DB_DOWN =
  /Can't reach database server|ConnectionClosed|SocketTimeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection terminated|timeout exceeded when trying to connect|DatabaseNotReachable|P1001|P1017|P2024|the database system is (starting up|shutting down)|terminating connection/i;

export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; meta?: { driverAdapterError?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.kind === 'string' && DB_DOWN.test(e.kind)) return true;
  if (e.meta?.driverAdapterError && isDatabaseDown(e.meta.driverAdapterError)) return true;
  if (typeof e.code === 'string' && (DB_DOWN.test(e.code) || /^(57P0[1-3]|08\d\d\d)$/.test(e.code))) return true;
  if (typeof e.message === 'string' && DB_DOWN.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isDatabaseDown(e.cause);
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return fromDomain(err);
  // No read of patient data without its audit row: while rows cannot be committed, nothing is answered.
  if (err instanceof AuditUnavailableError) return unavailable('the audit trail cannot record right now; retry shortly');
  const e = err as { type?: string; status?: number } | null;
  // body-parser failures
  if (e?.type === 'entity.parse.failed') return badRequest('request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'payload_too_large', 'request body is too large');
  // Other framework 4xx errors (e.g. an undecodable %-escape in the path): generic message only.
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return badRequest('malformed request');
  if (isDatabaseDown(err)) return unavailable('the database is unavailable; retry shortly');
  return new HttpError(500, 'internal', 'internal error');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => next(new HttpError(404, 'not_found', 'no such route'));

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const httpError = toHttpError(err);
  if (httpError.status >= 500) {
    // Logged once, without the request's data; the client sees only the generic message.
    req.log?.error(
      { err: { name: (err as Error)?.name, code: (err as { code?: unknown })?.code, stack: (err as Error)?.stack } },
      'request failed',
    );
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.set(httpError.headers);
  res.status(httpError.status).json(errorBody(httpError.code, httpError.message, req.id));
};
