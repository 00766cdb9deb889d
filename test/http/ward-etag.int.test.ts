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
  // One clock for the file: its revalidations must not straddle a 0.1 h step of every "hours ago" (which rightly
  // changes the ETag). Nothing here writes patient data.
  const clock = new Date();
  t = await startTestApp({ llmYaml: oneProviderYaml(upstream.url), now: () => clock });
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

describe('on a clock that moves', () => {
  let clock: Date;
  let timed: TestApp;
  beforeAll(async () => {
    clock = new Date();
    timed = await startTestApp({ now: () => clock });
  });
  afterAll(() => timed.close());

  test('two reads a second apart within one 0.1 h step: the same ETag and a 304, wherever the sets fall', async () => {
    const ward = await timed.db.ward.findFirstOrThrow({ where: { code: 'W1' } });
    const sets = await timed.db.vitalSignObservation.findMany({ where: { patient: { wardId: ward.id } }, select: { takenAt: true } });
    const latest = Math.max(...sets.map((s) => s.takenAt.getTime()));
    const step = 360_000;
    // A set off the grid, and the instant its own age, rounded alone, would have flipped: mid-step, after every set.
    const off = sets.map((s) => s.takenAt.getTime()).find((at) => Math.abs((at % step) - step / 2) > 10_000)!;
    expect(off).toBeDefined();
    let flip = off + step / 2;
    while (flip <= latest + step) flip += step;
    expect(Math.floor((flip - 1_000) / step)).toBe(Math.floor((flip + 1_000) / step));

    const clinician = await timed.token(['clinician']);
    const read = (headers: Record<string, string> = {}) => {
      const req = request(timed.app).get(`/v1/wards/${ward.id}/summaries`).set('Authorization', `Bearer ${clinician}`);
      for (const [k, v] of Object.entries(headers)) req.set(k, v);
      return req;
    };
    clock = new Date(flip - 1_000);
    const before = await read().expect(200);
    clock = new Date(flip + 1_000);
    await read({ 'If-None-Match': before.headers.etag }).expect(304);
    // The next step: every age 0.1 h older, so the body and its validator change.
    clock = new Date(flip + step);
    const later = await read({ 'If-None-Match': before.headers.etag }).expect(200);
    expect(later.headers.etag).not.toBe(before.headers.etag);
  });
});
