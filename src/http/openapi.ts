// The OpenAPI 3.1 registry: each route declares its doc next to its handler, with the zod schemas it validates with.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Role } from './auth';
import { errorEnvelopeSchema } from './errors';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseDoc {
  description: string;
  /** The body's schema; absent → no body. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
  /** Extra response headers (X-Request-Id is on every response already). */
  headers?: Record<string, { description: string; schema?: z.ZodType }>;
}

export interface RouteDoc {
  method: HttpMethod;
  /** Full path in OpenAPI form, e.g. `/v1/patients/{patientId}/summary`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Roles that may call the route; absent → no bearer token needed. */
  roles?: readonly Role[];
  /** The same zod objects the handler parses `req.params` / `req.query` with. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Success and route-specific error responses; the standard errors (400/401/403/429/503/default) are added. */
  responses: Record<number, ResponseDoc>;
  /** The route is behind the per-subject rate limit: documents the 429. */
  rateLimited?: boolean;
}

/** A route-specific error response (e.g. 404) in the envelope. */
export const errorResponse = (description: string): ResponseDoc => ({ description, schema: errorEnvelopeSchema });

/** A route's doc as Express middleware: mount it first so logs and metrics label even failed requests with the route. */
export type DocumentedRoute = RequestHandler & { readonly doc: RouteDoc };

const registry = new Map<string, RouteDoc>();

/** Registers a route's doc (last one wins for the same method and path) and returns it as labelling middleware. */
export function documentRoute(doc: RouteDoc): DocumentedRoute {
  registry.set(`${doc.method} ${doc.path}`, doc);
  const label: RequestHandler = (_req, res, next) => {
    res.locals.route = doc.path;
    next();
  };
  return Object.assign(label, { doc });
}

export function documentedRoutes(): RouteDoc[] {
  return [...registry.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** `/patients/:patientId/summary` → `/patients/{patientId}/summary`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

type JsonSchema = Record<string, unknown>;

/** Converts zod schemas to JSON Schema 2020-12 (OpenAPI 3.1's dialect), hoisting schemas with a meta `id` into components. */
class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $schema: _dialect, $defs, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    for (const [id, def] of Object.entries(($defs as Record<string, JsonSchema> | undefined) ?? {})) {
      const hoisted = rewriteRefs(def) as JsonSchema;
      const existing = this.components[id];
      if (existing && JSON.stringify(existing) !== JSON.stringify(hoisted)) {
        throw new Error(`two different schemas use the OpenAPI component id "${id}"`);
      }
      this.components[id] = hoisted;
    }
    return rewriteRefs(json) as JsonSchema;
  }
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewriteRefs(v),
    ]),
  );
}

function parameters(converter: SchemaConverter, where: 'path' | 'query', schema: z.ZodObject | undefined): JsonSchema[] {
  if (!schema) return [];
  const json = converter.convert(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
  }));
}

const standardError = (description: string, headers: string[] = []) => ({
  description,
  headers: Object.fromEntries([['X-Request-Id', { $ref: '#/components/headers/RequestId' }], ...headers.map((h) => [h, { $ref: `#/components/headers/${h.replace(/-/g, '')}` }])]),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
});

function responses(converter: SchemaConverter, doc: RouteDoc): JsonSchema {
  const out: JsonSchema = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    out[status] = {
      description: r.description,
      headers: {
        'X-Request-Id': { $ref: '#/components/headers/RequestId' },
        ...Object.fromEntries(
          Object.entries(r.headers ?? {}).map(([name, h]) => [name, { description: h.description, schema: h.schema ? converter.convert(h.schema, 'output') : { type: 'string' } }]),
        ),
      },
      ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: converter.convert(r.schema, 'output') } } } : {}),
    };
  }
  const standard: [number, JsonSchema][] = [];
  if (doc.params || doc.query) standard.push([400, standardError('Invalid path or query parameters.')]);
  if (doc.roles) {
    standard.push([401, standardError('Missing, invalid or expired bearer token.', ['WWW-Authenticate'])]);
    standard.push([403, standardError(`The token lacks the role (${doc.roles.join(', ')}) or the ward.`)]);
    standard.push([503, standardError('The database or the identity provider is unavailable; retry later.', ['Retry-After'])]);
  }
  if (doc.rateLimited) standard.push([429, standardError('Too many requests for this subject; retry after the given seconds.', ['Retry-After'])]);
  for (const [status, response] of standard) out[status] ??= response;
  out.default = standardError('Any other error, in the error envelope.');
  return out;
}

function operationId(doc: RouteDoc): string {
  const words = doc.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return doc.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI 3.1 document for every registered route. */
export function buildOpenApi(info: OpenApiInfo, docs: RouteDoc[] = documentedRoutes()): JsonSchema {
  const converter = new SchemaConverter();
  converter.convert(errorEnvelopeSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const roleNote = doc.roles ? `Roles: ${doc.roles.join(', ')}.` : 'No token needed.';
    (paths[doc.path] ??= {})[doc.method] = {
      operationId: operationId(doc),
      summary: doc.summary,
      description: [doc.description, roleNote].filter(Boolean).join('\n\n'),
      ...(doc.tags ? { tags: doc.tags } : {}),
      security: doc.roles ? [{ bearerAuth: [] }] : [],
      ...(doc.roles ? { 'x-roles': [...doc.roles] } : {}),
      parameters: [...parameters(converter, 'path', doc.params), ...parameters(converter, 'query', doc.query)],
      responses: responses(converter, doc),
    };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: converter.components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'JWT with `sub`, `roles` (clinician, compliance, service) and optional `ward_ids`; HS256 or the OIDC provider\'s keys.',
        },
      },
      headers: {
        RequestId: { description: "The request's id (the client's X-Request-Id if well-formed); also in every error body.", schema: { type: 'string' } },
        RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
        WWWAuthenticate: { description: 'Bearer challenge.', schema: { type: 'string' } },
      },
    },
  };
}
