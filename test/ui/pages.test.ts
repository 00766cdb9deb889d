// The pages' router without a browser: own CSP, same-origin assets only, no inline code, revalidation, no token leaks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { errorHandler, notFoundHandler } from '../../src/http/errors';
import { defaultAssetsDir, UI_CSP, uiRoutes } from '../../src/http/ui';

const app = express().use(uiRoutes()).use(notFoundHandler).use(errorHandler);
const assetsDir = defaultAssetsDir();

test.each(['/board', '/audit'])('%s is HTML under its own CSP: same-origin scripts and styles only, nothing inline', async (page) => {
  const res = await request(app)
    .get(page)
    .expect(200)
    .expect('Content-Type', /^text\/html/);
  expect(res.headers['content-security-policy']).toBe(UI_CSP);
  expect(UI_CSP).toMatch(/script-src 'self';/);
  expect(UI_CSP).not.toMatch(/unsafe|https?:|\*/);
  expect(res.text).not.toMatch(/<script(?![^>]*\ssrc="\/ui\/[a-z]+\.js")/); // every script is an external same-origin file
  expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);

  // Every script, style sheet and icon the page names is served with its type.
  const refs = [...res.text.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThanOrEqual(3);
  for (const ref of refs) {
    const asset = await request(app).get(ref).expect(200);
    expect(asset.headers['content-type']).toMatch(/^(text\/javascript|text\/css|image\/svg\+xml)/);
    expect(asset.headers['content-security-policy']).toBe(UI_CSP);
  }
});

test('assets revalidate by ETag', async () => {
  const first = await request(app).get('/ui/board.js').expect(200);
  expect(first.headers['cache-control']).toBe('no-cache');
  await request(app).get('/ui/board.js').set('If-None-Match', first.headers.etag).expect(304);
  await request(app).get('/board').set('If-None-Match', first.headers.etag).expect(200);
});

test('an asset revalidates against a list of tags, and a weak tag of it (If-None-Match compares weakly)', async () => {
  const { etag } = (await request(app).get('/ui/board.js').expect(200)).headers;
  await request(app).get('/ui/board.js').set('If-None-Match', `"elsewhere", ${etag}`).expect(304);
  await request(app).get('/ui/board.js').set('If-None-Match', `W/${etag}`).expect(304);
  await request(app).get('/ui/board.js').set('If-None-Match', '"elsewhere"').expect(200);
  // What fetch() sends with an If-None-Match of its caller's.
  await request(app).get('/ui/board.js').set('If-None-Match', etag).set('Cache-Control', 'no-cache').expect(304);
});

test.each(['/ui/board.html', '/ui/nope.js', '/ui/..%2Fpackage.json', '/ui/%2E%2E%2Findex.ts'])('%s is not served', async (url) => {
  const res = await request(app).get(url).expect(404);
  expect(res.body.error.code).toBe('not_found');
});

test('the scripts never log, never parse HTML strings, and keep the token in sessionStorage only', () => {
  for (const file of fs.readdirSync(assetsDir).filter((f) => f.endsWith('.js'))) {
    const source = fs.readFileSync(path.join(assetsDir, file), 'utf8');
    expect({ file, console: /\bconsole\./.test(source) }).toEqual({ file, console: false });
    expect({ file, html: /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(source) }).toEqual({ file, html: false });
    expect({ file, local: /localStorage/.test(source) }).toEqual({ file, local: false });
  }
});

test('a build without the assets answers 404 for the pages, naming what is missing', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-ui-empty-'));
  const bare = express()
    .use(uiRoutes({ assetsDir: path.join(empty, 'none') }))
    .use(errorHandler);
  const res = await request(bare).get('/board').expect(404);
  expect(res.body.error.message).toMatch(/UI assets missing/);
});
