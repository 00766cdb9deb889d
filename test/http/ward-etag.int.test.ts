// The ward ETag covers what the batch returns: an all-fallback batch (every answer ungrounded) and the later all-LLM
// batch must not share a validator (before, both gave one ETag and the reader kept the fallbacks on a 304).
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { oneProviderYaml, openaiReply, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let t: TestApp;
let wardId: string;
let token: string;

// Answered (the breaker stays closed) but refused: no fact is 97 percent of anything here.
const ungrounded = JSON.stringify({ sentences: [{ text: 'NEWS2 is 97.', facts: [] }] });

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: openaiReply(ungrounded) });
  t = await startTestApp({
    llmYaml: oneProviderYaml(upstream.url),
  });
  wardId = (await t.db.ward.findFirstOrThrow({ where: { code: 'W1' } })).id;
  token = await t.token(['clinician']);
});

afterAll(async () => {
  await t.close();
  await upstream.close();
});

const ward = (headers: Record<string, string> = {}) => {
  const req = request(t.app).get(`/v1/wards/${wardId}/summaries`).set('Authorization', `Bearer ${token}`);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req;
};
const sources = (res: request.Response) => new Set(res.body.results.map((r: { summary: { source: string } }) => r.summary.source));

test('fallbacks, then model summaries, then the same summaries from the cache: 200, 200, 304', async () => {
  const down = await ward().expect(200);
  expect(sources(down)).toEqual(new Set(['fallback']));
  const fallbackTag = down.headers.etag;
  expect(fallbackTag).toMatch(/^"[\w-]+"$/);

  upstream.setDefault(carefulReply());
  const up = await ward({ 'If-None-Match': fallbackTag }).expect(200);
  expect(sources(up)).toEqual(new Set(['llm']));
  expect(up.headers.etag).toBeDefined();
  expect(up.headers.etag).not.toBe(fallbackTag);

  // Everything is cached now: what the batch returns is known before running it, and unchanged.
  const calls = upstream.requests.length;
  await ward({ 'If-None-Match': up.headers.etag }).expect(304);
  const again = await ward().expect(200);
  expect(sources(again)).toEqual(new Set(['cache']));
  expect(again.headers.etag).toBe(up.headers.etag);
  expect(upstream.requests.length).toBe(calls);
});

test('If-None-Match is compared weakly, as a list, * matches, and a request no-cache does not hide a match', async () => {
  const { etag } = (await ward().expect(200)).headers;
  expect(etag).toMatch(/^"[\w-]+"$/);
  await ward({ 'If-None-Match': `W/${etag}` }).expect(304);
  await ward({ 'If-None-Match': `"elsewhere", ${etag}` }).expect(304);
  await ward({ 'If-None-Match': '*' }).expect(304);
  // What fetch() sends with an If-None-Match of its caller's: still a revalidation (req.fresh would say stale).
  await ward({ 'If-None-Match': etag, 'Cache-Control': 'no-cache', Pragma: 'no-cache' }).expect(304);
  const stale = await ward({ 'If-None-Match': '"elsewhere", W/"other"' }).expect(200);
  expect(stale.headers.etag).toBe(etag);
  // A 304 names the unchanged validator.
  expect((await ward({ 'If-None-Match': etag }).expect(304)).headers.etag).toBe(etag);
});

test('NDJSON carries an ETag only when it is known before the results stream', async () => {
  const cached = await ward({ Accept: 'application/x-ndjson' })
    .buffer(true)
    .parse((res, cb) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => cb(null, body));
    });
  expect(cached.status).toBe(200);
  expect(cached.headers.etag).toBeDefined();
  await t.db.summaryCache.deleteMany({});
  upstream.setDefault(openaiReply(ungrounded));
  const uncached = await ward({ Accept: 'application/x-ndjson' })
    .buffer(true)
    .parse((res, cb) => {
      res.on('data', () => undefined);
      res.on('end', () => cb(null, ''));
    });
  expect(uncached.status).toBe(200);
  expect(uncached.headers.etag).toBeUndefined();
});
