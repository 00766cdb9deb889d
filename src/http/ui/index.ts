// The ward board (/board) and the audit review (/audit): static pages and their same-origin scripts, under their own CSP.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { notFound, parse } from '../errors';
import { documentRoute, errorResponse } from '../openapi';
import { projectRoot } from '../../paths';

/**
 * The pages hold no data (they call the API with the pasted token), so their policy only widens the API's
 * `default-src 'none'` to same-origin scripts, styles, the icon and fetch. Trusted Types: the scripts build the DOM
 * with createElement/textContent, so no HTML string can ever be parsed into the page.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const PAGES = { board: 'board.html', audit: 'audit.html' } as const;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Next to this file when run from src/ (tsx); the source tree when run from dist/ (tsc copies no assets). */
export function defaultAssetsDir(): string {
  const beside = path.join(__dirname, 'assets');
  return fs.existsSync(beside) ? beside : path.join(projectRoot, 'src', 'http', 'ui', 'assets');
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!fs.existsSync(dir)) return assets;
  for (const name of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(dir, name));
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  }
  return assets;
}

const html = z.string();
const ifNoneMatch = z.object({
  'If-None-Match': z.string().max(8192).optional().meta({ description: 'The ETag of a copy you hold: unchanged → 304.' }),
});
const cached = {
  ETag: { description: "The file's validator.", required: true },
  'Cache-Control': { description: '`no-cache`: keep a copy, revalidate before use (a deploy is seen at once).', required: true },
};
const unchanged = { description: 'Unchanged (If-None-Match).', headers: cached };
const page = (description: string) => ({ description, schema: html, contentType: 'text/html', headers: cached });
const boardDoc = documentRoute({
  method: 'get',
  path: '/board',
  summary: 'Ward board (HTML page)',
  description:
    'Pick a ward; one row per patient (bed, then name, date of birth and MRN), sorted by NEWS2, rendered as the ward batch streams in. The page itself holds no data: it calls the API with a pasted token (clinician).',
  tags: ['pages'],
  headers: ifNoneMatch,
  responses: { 200: page('HTML.'), 304: unchanged },
});
const auditDoc = documentRoute({
  method: 'get',
  path: '/audit',
  summary: 'Audit review (HTML page)',
  description:
    "Filter and page through the audit trail (a patient by MRN or ID), open an event, verify the chain, download exports, and a patient's accounting of disclosures. Calls the compliance API with a pasted token.",
  tags: ['pages'],
  headers: ifNoneMatch,
  responses: { 200: page('HTML.'), 304: unchanged },
});
const assetParams = z.object({
  asset: z.string().max(64).meta({ description: 'A script, style sheet or icon of the pages, e.g. `board.js`.' }),
});
const assetDoc = documentRoute({
  method: 'get',
  path: '/ui/{asset}',
  summary: "The pages' scripts and styles (same origin)",
  description: "Served under the pages' Content-Security-Policy; revalidated by ETag.",
  tags: ['pages'],
  params: assetParams,
  headers: ifNoneMatch,
  responses: {
    200: {
      description: 'A JavaScript module, a style sheet or the icon.',
      content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() }, 'image/svg+xml': { schema: z.string() } },
      headers: cached,
    },
    304: unchanged,
    404: errorResponse('No such asset.'),
  },
});

export interface UiOptions {
  /** Where the pages' files live; default: defaultAssetsDir(). */
  assetsDir?: string;
}

export function uiRoutes(options: UiOptions = {}): Router {
  const dir = options.assetsDir ?? defaultAssetsDir();
  const assets = loadAssets(dir);
  const router = Router();

  const send = (req: Request, res: Response, name: string) => {
    const asset = assets.get(name);
    // A build that forgot to ship the assets: say so, without a stack trace.
    if (!asset) throw notFound(name.endsWith('.html') ? 'page (UI assets missing from this build: ship src/http/ui/assets)' : 'asset');
    res.setHeader('Content-Security-Policy', UI_CSP);
    // No patient data in these files: cache, but revalidate so a deploy is seen at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', asset.etag);
    // By hand, not `req.fresh` (which res.send applies as well): a copy held is revalidated even when the request
    // says `Cache-Control: no-cache`, as fetch() does whenever it sets If-None-Match itself.
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === asset.etag)) {
      res.status(304).end();
      return;
    }
    res.type(asset.type).send(asset.body);
  };

  router.get('/board', boardDoc, (req, res) => send(req, res, PAGES.board));
  router.get('/audit', auditDoc, (req, res) => send(req, res, PAGES.audit));
  router.get('/ui/:asset', assetDoc, (req, res) => {
    const { asset } = parse(assetParams, req.params);
    if (asset.endsWith('.html')) throw notFound('asset');
    send(req, res, asset);
  });
  return router;
}
