// GET /openapi.json and /docs: the API description generated from the routes' zod schemas, and a page rendering it offline.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { buildOpenApi, documentRoute } from '../openapi';
import { projectRoot } from '../../paths';

const openApiDoc = documentRoute({
  method: 'get',
  path: '/openapi.json',
  summary: 'This API as OpenAPI 3.1',
  description:
    'Generated from the same zod schemas the routes validate with; a typed client can be generated from it (openapi-typescript).',
  tags: ['operations'],
  responses: {
    200: {
      description: 'The OpenAPI document.',
      schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
    },
  },
});

const docsPage = documentRoute({
  method: 'get',
  path: '/docs',
  summary: 'The API reference as an HTML page (no external assets)',
  description: 'This document rendered server-side, under a CSP that allows only its own inline style.',
  tags: ['operations'],
  responses: { 200: { description: 'HTML.', schema: z.string(), contentType: 'text/html' } },
});

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{margin-top:2rem;font-size:1.1rem}code{background:#f3f3f3;padding:0 .25rem}.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}`;
// The page's only allowance over the API's `default-src 'none'`: this one inline style, by hash.
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors 'none'`;

const esc = (s: string | number | undefined) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Operation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: { type?: unknown } }[];
  responses?: Record<string, { description?: string }>;
}

function renderPage(spec: ReturnType<typeof buildOpenApi>): string {
  const info = spec.info as { title: string; version: string; description?: string };
  const paths = spec.paths as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = (op.parameters ?? [])
        .map(
          (x) =>
            `<tr><td><code>${esc(x.name)}</code></td><td>${esc(x.in)}</td><td>${x.required ? 'yes' : 'no'}</td><td>${esc(typeof x.schema?.type === 'string' ? x.schema.type : undefined)}</td><td>${esc(x.description)}</td></tr>`,
        )
        .join('');
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<tr><td>${esc(status)}</td><td>${esc(r.description)}</td></tr>`)
        .join('');
      return `<section><h2><span class="m">${esc(method)}</span><code>${esc(p)}</code></h2><p>${esc(op.summary)}</p><p>${esc(op.description).replace(/\n\n/g, '<br>')}</p>
${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>meaning</th></tr>${params}</table>` : ''}
<table><tr><th>status</th><th>response</th></tr>${responses}</table></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)} API</title><style>${STYLE}</style></head>
<body><h1>${esc(info.title)} ${esc(info.version)}</h1><p>${esc(info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1; schemas in components).</p>
${sections.join('\n')}</body></html>`;
}

function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function docsRoutes(): Router {
  // Built on first use: by then every route module has registered its doc.
  let spec: ReturnType<typeof buildOpenApi> | undefined;
  let page: string | undefined;
  const document = () =>
    (spec ??= buildOpenApi({
      title: 'shiftnote',
      version: packageVersion(),
      description:
        'Short, grounded, audited summaries of a patient\'s week for clinicians at shift start and on ward rounds. Every error is `{"error":{"code","message","requestId"}}` with the same id in `X-Request-Id`. Routes that read ward, patient or audit data refuse `HEAD` (405, `Allow: GET`). Compliance documentation: docs/compliance.md.',
      contact: { name: 'shiftnote maintainers' },
    }));
  const router = Router();
  router.get('/openapi.json', openApiDoc, (_req, res) => {
    res.json(document());
  });
  router.get('/docs', docsPage, (_req, res) => {
    page ??= renderPage(document());
    res.setHeader('Content-Security-Policy', CSP);
    res.type('html').send(page);
  });
  return router;
}
