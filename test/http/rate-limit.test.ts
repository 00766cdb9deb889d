// The per-subject token bucket on its own: refill arithmetic, Retry-After, and bounded memory.
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../src/http/errors';
import { rateLimit } from '../../src/http/rate-limit';

function call(limiter: ReturnType<typeof rateLimit>, sub: string): HttpError | undefined {
  let outcome: unknown = 'not called';
  limiter({ principal: { sub, roles: ['clinician'], wardIds: null }, socket: {} } as unknown as Request, {} as Response, ((err?: unknown) => (outcome = err)) as NextFunction);
  if (outcome === 'not called') throw new Error('next was not called');
  return outcome as HttpError | undefined;
}

test.each([
  [60, 1],
  [6, 10],
  [1, 60],
  [120, 1],
])('%i per minute: after the burst, Retry-After is %i s', (perMinute, retryAfter) => {
  let now = 0;
  const limiter = rateLimit({ perMinute, burst: 2, clock: () => now });
  expect(call(limiter, 'a')).toBeUndefined();
  expect(call(limiter, 'a')).toBeUndefined();
  const limited = call(limiter, 'a');
  expect(limited).toMatchObject({ status: 429, code: 'too_many_requests', headers: { 'Retry-After': String(retryAfter) } });
  now += retryAfter * 1000;
  expect(call(limiter, 'a')).toBeUndefined();
});

test('perMinute 0 turns the limit off', () => {
  const limiter = rateLimit({ perMinute: 0 });
  for (let i = 0; i < 1000; i++) expect(call(limiter, 'a')).toBeUndefined();
});

test('idle subjects are forgotten once there are too many, so memory stays bounded', () => {
  let now = 0;
  const limiter = rateLimit({ perMinute: 60, burst: 1, clock: () => now, maxSubjects: 100 });
  for (let i = 0; i < 100; i++) call(limiter, `s${i}`);
  // A minute later every bucket is full again (idle): the next new subject sweeps them all.
  now += 60_000;
  call(limiter, 'newcomer');
  // s0 starts afresh with a full bucket rather than its old, empty one.
  expect(call(limiter, 's0')).toBeUndefined();
  expect(call(limiter, 's0')).toBeInstanceOf(HttpError);
});
