// The OpenAPI 3.1 registry: each route declares its doc next to its handler, with the zod schemas it validates with.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Role } from '../access/policy';
import { errorEnvelopeSchema, methodNotAllowed } from './errors';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface MediaDoc {
  schema: z.ZodType;
  /**
   * A sequential media type (NDJSON): the schema of each line. Emitted as `x-itemSchema` (OpenAPI 3.2's `itemSchema`),
   * the body itself being a string.
   */
  itemSchema?: z.ZodType;
}

export interface HeaderDoc {
  description: string;
  schema?: z.ZodType;
  /** Sent on every response of this status (default false). */
  required?: boolean;
}

export interface ResponseDoc {
  description: string;
  /** The body's schema when there is one media type; absent (and no `content`) → no body. */
  schema?: z.ZodType;
  /** With `schema`; default `application/json`. */
  contentType?: string;
  /** Several media types (the route picks one by a parameter or Accept). */
  content?: Record<string, MediaDoc>;
  /** Extra response headers (X-Request-Id is on every response already). */
  headers?: Record<string, HeaderDoc>;
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
  /** Request headers the route reads (e.g. If-None-Match); X-Request-Id is documented on every operation. */
  headers?: z.ZodObject;
  /** Success and route-specific error responses; the standard ones (400/408/413/431, 401/403/503 with roles, 429, default) are added. */
  responses: Record<number, ResponseDoc>;
  /** The route is behind the per-subject rate limit: documents the 429. */
  rateLimited?: boolean;
  /**
   * A GET that reads patient or audit data: HEAD (which Express would route to the GET handler) is answered 405 with
   * `Allow: GET` before the handler runs, so a probe or link checker never reads, discloses or audits anything.
   */
  refuseHead?: boolean;
}

const HEAD_REFUSED = 'HEAD is not offered here: it would read patient data for a response without a body; use GET';

/** A route-specific error response (e.g. 404) in the envelope. */
export const errorResponse = (description: string): ResponseDoc => ({ description, schema: errorEnvelopeSchema });

/** A route's doc as Express middleware: mount it first so logs and metrics label even failed requests with the route. */
export type DocumentedRoute = RequestHandler & { readonly doc: RouteDoc };

const registry = new Map<string, RouteDoc>();

/** Registers a route's doc (last one wins for the same method and path) and returns it as labelling middleware. */
export function documentRoute(doc: RouteDoc): DocumentedRoute {
  registry.set(`${doc.method} ${doc.path}`, doc);
  const label: RequestHandler = (req, res, next) => {
    res.locals.route = doc.path;
    if (doc.refuseHead && req.method === 'HEAD') return next(methodNotAllowed('GET', HEAD_REFUSED));
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

function parameters(converter: SchemaConverter, where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined): JsonSchema[] {
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

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const REQUEST_ID = { 'X-Request-Id': ref('headers', 'RequestId') };

/** Responses every operation can get, whatever its route: from the server (408, 431), body parsing (400, 413), auth. */
const STANDARD_RESPONSES = {
  BadRequest: ['Invalid path, query or headers (or a body that is not JSON).'],
  Unauthorized: ['Missing, invalid or expired bearer token.', 'WWW-Authenticate'],
  Forbidden: ['The token lacks the role or the ward.'],
  RequestTimeout: ['The request did not arrive in time (answered by the server before any route).'],
  PayloadTooLarge: ['A request body over 16 KiB.'],
  TooManyRequests: ['Too many requests for this token subject; retry after the given seconds.', 'Retry-After'],
  HeadersTooLarge: ['Request headers over 16 KiB (answered by the server before any route).'],
  Unavailable: ['The database or the identity provider is unavailable; retry later.', 'Retry-After'],
  Error: ['Any other error, in the error envelope.'],
} as const;

function standardResponse([description, header]: readonly string[]): JsonSchema {
  return {
    description,
    headers: { ...REQUEST_ID, ...(header ? { [header]: ref('headers', header.replace(/-/g, '')) } : {}) },
    content: { 'application/json': { schema: ref('schemas', 'ErrorEnvelope') } },
  };
}

function mediaTypes(converter: SchemaConverter, r: ResponseDoc): Record<string, JsonSchema> | undefined {
  const content: Record<string, MediaDoc> = {
    ...(r.schema ? { [r.contentType ?? 'application/json']: { schema: r.schema } } : {}),
    ...r.content,
  };
  const entries = Object.entries(content).map(([type, m]): [string, JsonSchema] => [
    type,
    {
      schema: converter.convert(m.schema, 'output'),
      ...(m.itemSchema ? { 'x-itemSchema': converter.convert(m.itemSchema, 'output') } : {}),
    },
  ]);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function responses(converter: SchemaConverter, doc: RouteDoc): JsonSchema {
  const out: JsonSchema = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    const content = mediaTypes(converter, r);
    out[status] = {
      description: r.description,
      headers: {
        ...REQUEST_ID,
        ...Object.fromEntries(
          Object.entries(r.headers ?? {}).map(([name, h]) => [
            name,
            {
              description: h.description,
              ...(h.required ? { required: true } : {}),
              schema: h.schema ? converter.convert(h.schema, 'output') : { type: 'string' },
            },
          ]),
        ),
      },
      ...(content ? { content } : {}),
    };
  }
  const standard: [number | 'default', keyof typeof STANDARD_RESPONSES][] = [
    [400, 'BadRequest'],
    [408, 'RequestTimeout'],
    [413, 'PayloadTooLarge'],
    [431, 'HeadersTooLarge'],
  ];
  if (doc.roles) standard.push([401, 'Unauthorized'], [403, 'Forbidden'], [503, 'Unavailable']);
  if (doc.rateLimited) standard.push([429, 'TooManyRequests']);
  standard.push(['default', 'Error']);
  for (const [status, name] of standard) out[status] ??= ref('responses', name);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a === 'default' ? 1 : b === 'default' ? -1 : Number(a) - Number(b))));
}

function operationId(doc: RouteDoc): string {
  const words = doc.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return doc.method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  contact?: { name?: string; url?: string; email?: string };
}

/** Every tag an operation may carry, with what it groups: an undescribed tag is refused. */
export const TAGS: Record<string, string> = {
  summaries: "A patient's week summarised and grounded; a ward's summaries for the round; prewarming.",
  wards: 'The wards a token may see and their patients (with identifiers for clinicians).',
  audit: 'Compliance: audit review, chain verification, exports (NDJSON, CSV, FHIR R4 / IHE BALP), accounting of disclosures.',
  operations: 'Probes, metrics and this description.',
  pages: 'The ward board and audit review pages and their assets.',
};

/** The OpenAPI 3.1 document for every registered route. */
export function buildOpenApi(info: OpenApiInfo, docs: RouteDoc[] = documentedRoutes()): JsonSchema {
  const converter = new SchemaConverter();
  converter.convert(errorEnvelopeSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  for (const doc of docs) {
    for (const tag of doc.tags ?? []) {
      if (!TAGS[tag]) throw new Error(`the OpenAPI tag "${tag}" of ${doc.method} ${doc.path} is not described in TAGS`);
      used.add(tag);
    }
    const roleNote = doc.roles ? `Roles: ${doc.roles.join(', ')}.` : 'No token needed.';
    const headNote = doc.refuseHead
      ? '`HEAD` is answered `405` with `Allow: GET` (after authentication, before anything is read): it never reads, discloses or audits.'
      : undefined;
    (paths[doc.path] ??= {})[doc.method] = {
      operationId: operationId(doc),
      summary: doc.summary,
      description: [doc.description, roleNote, headNote].filter(Boolean).join('\n\n'),
      ...(doc.refuseHead ? { 'x-head': 'refused (405, Allow: GET)' } : {}),
      ...(doc.tags ? { tags: doc.tags } : {}),
      security: doc.roles ? [{ bearerAuth: [] }] : [],
      ...(doc.roles ? { 'x-roles': [...doc.roles] } : {}),
      parameters: [
        ...parameters(converter, 'path', doc.params),
        ...parameters(converter, 'query', doc.query),
        ...parameters(converter, 'header', doc.headers),
        ref('parameters', 'RequestIdHeader'),
      ],
      responses: responses(converter, doc),
    };
  }
  const usedResponses = new Set(
    Object.values(paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) =>
        Object.values((op as { responses: Record<string, { $ref?: string }> }).responses).map((r) => r.$ref?.split('/').pop()),
      ),
    ),
  );
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [
      {
        url: '{scheme}://{host}',
        description: 'Where shiftnote is deployed (scheme, host and port); `npm start` listens on localhost:3000.',
        variables: { scheme: { enum: ['http', 'https'], default: 'http' }, host: { default: 'localhost:3000' } },
      },
    ],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: converter.components,
      responses: Object.fromEntries(
        Object.entries(STANDARD_RESPONSES)
          .filter(([name]) => usedResponses.has(name))
          .map(([name, r]) => [name, standardResponse(r)]),
      ),
      parameters: {
        RequestIdHeader: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description:
            'Your id for this request (1–128 of A–Z a–z 0–9 . _ : -): echoed in the response header, error bodies, logs and audit rows; otherwise one is made.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "JWT with `sub`, `roles` (clinician, compliance, service) and optional `ward_ids`; HS256 or the OIDC provider's keys.",
        },
      },
      headers: {
        RequestId: {
          description: "The request's id (the client's X-Request-Id if well-formed); also in every error body.",
          required: true,
          schema: { type: 'string' },
        },
        RetryAfter: { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 0 } },
        WWWAuthenticate: { description: 'Bearer challenge.', required: true, schema: { type: 'string' } },
      },
    },
  };
}
