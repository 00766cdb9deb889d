// The credential cache on its own: one fetch at a time, refreshed ahead of expiry in the background, bounded waits,
// a rejected credential dropped, and a source that hands the rejected one back treated as a configuration error.
import { AuthFailure, CredentialCache, type Fetched } from '../../src/llm/auth/cache';
import { manualClock } from './helpers';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets the cache's own promise chain run to its end (no timers involved). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

function setup(fetchTimeoutMs = 5000) {
  const clock = manualClock(1_000_000);
  const calls: { forced: boolean; done: ReturnType<typeof deferred<Fetched<string>>> }[] = [];
  const background: unknown[] = [];
  const cache = new CredentialCache<string>(
    (_signal, forced) => {
      const done = deferred<Fetched<string>>();
      calls.push({ forced, done });
      return done.promise;
    },
    {
      now: clock.now,
      fetchTimeoutMs,
      onBackgroundError: (err) => background.push(err),
      classify: (err) => new AuthFailure('auth_error', 'test', String(err)),
    },
  );
  return { clock, calls, cache, background };
}

test('concurrent waiters share one fetch; the result is cached until its refresh time', async () => {
  const { clock, calls, cache } = setup();
  expect(cache.peek()).toBeUndefined();
  const first = cache.get(1000);
  const second = cache.get(1000);
  expect(calls).toHaveLength(1);
  calls[0].done.resolve({ credential: 'A', expiresAt: clock.now() + 3_600_000 });
  expect(await Promise.all([first, second])).toEqual(['A', 'A']);
  clock.advance(3_600_000 - 5 * 60_000 - 1);
  expect(cache.peek()).toBe('A');
  expect(calls).toHaveLength(1);
});

test('inside the refresh margin: the old credential now, a new one fetched in the background', async () => {
  const { clock, calls, cache } = setup();
  const got = cache.get(1000);
  calls[0].done.resolve({ credential: 'A', expiresAt: clock.now() + 3_600_000 });
  await got;
  clock.advance(3_600_000 - 4 * 60_000);
  expect(cache.peek()).toBe('A');
  expect(calls).toHaveLength(2);
  expect(cache.peek()).toBe('A'); // no second background fetch while one is out
  expect(calls).toHaveLength(2);
  calls[1].done.resolve({ credential: 'B', expiresAt: clock.now() + 3_600_000 });
  await settled();
  expect(cache.peek()).toBe('B');
});

test('short-lived credentials refresh at half their lifetime; the issuer’s refresh hint wins', async () => {
  const { clock, calls, cache } = setup();
  const got = cache.get(1000);
  calls[0].done.resolve({ credential: 'A', expiresAt: clock.now() + 120_000 });
  await got;
  clock.advance(59_000);
  cache.peek();
  expect(calls).toHaveLength(1);
  clock.advance(2000);
  cache.peek();
  expect(calls).toHaveLength(2);
  calls[1].done.resolve({ credential: 'B', expiresAt: clock.now() + 3_600_000, refreshAt: clock.now() + 1000 });
  await settled();
  clock.advance(1000);
  expect(cache.peek()).toBe('B');
  expect(calls).toHaveLength(3);
});

test('never handed out within 10 s of expiry: the caller waits for a new one', async () => {
  const { clock, calls, cache } = setup();
  const got = cache.get(1000);
  calls[0].done.resolve({ credential: 'A', expiresAt: clock.now() + 60_000 });
  await got;
  clock.advance(50_001);
  expect(cache.peek()).toBeUndefined();
});

test('a wait is bounded by its own timeout even when the fetch hangs; a later fetch can still succeed', async () => {
  const { calls, cache } = setup();
  await expect(cache.get(20)).rejects.toMatchObject({ name: 'AuthFailure', outcome: 'auth_error', type: 'timeout' });
  const again = cache.get(1000);
  expect(calls).toHaveLength(1); // still the same fetch in flight
  calls[0].done.resolve({ credential: 'A', expiresAt: Date.now() + 3_600_000 });
  expect(await again).toBe('A');
});

test('the fetch itself is bounded (a library that ignores the abort signal included)', async () => {
  const { cache } = setup(30);
  await expect(cache.get(5000)).rejects.toMatchObject({
    outcome: 'auth_error',
    type: 'timeout',
    message: 'credential fetch took longer than 30 ms',
  });
});

test('a failed background refresh is reported and the old credential keeps serving until its expiry', async () => {
  const { clock, calls, cache, background } = setup();
  const got = cache.get(1000);
  calls[0].done.resolve({ credential: 'A', expiresAt: clock.now() + 3_600_000 });
  await got;
  clock.advance(3_600_000 - 60_000);
  expect(cache.peek()).toBe('A');
  calls[1].done.reject(new Error('issuer down'));
  await settled();
  expect(background).toHaveLength(1);
  expect(cache.peek()).toBe('A');
});

test('invalidate drops the credential and forces the next fetch past library caches; the same one again is a configuration error', async () => {
  const { clock, calls, cache } = setup();
  const got = cache.get(1000);
  calls[0].done.resolve({ credential: 'A', expiresAt: clock.now() + 3_600_000 });
  await got;
  cache.invalidate('stale-other'); // not the current one: ignored
  expect(cache.peek()).toBe('A');
  cache.invalidate('A');
  expect(cache.peek()).toBeUndefined();
  const next = cache.get(1000);
  expect(calls[1].forced).toBe(true);
  calls[1].done.resolve({ credential: 'A', expiresAt: clock.now() + 3_600_000 });
  await expect(next).rejects.toMatchObject({ outcome: 'misconfigured', type: 'credential_rejected' });
  // A different one is fine.
  const last = cache.get(1000);
  expect(calls[2].forced).toBe(false);
  calls[2].done.resolve({ credential: 'C', expiresAt: clock.now() + 3_600_000 });
  expect(await last).toBe('C');
});
