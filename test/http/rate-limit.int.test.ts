// The summary rate limit across instances: one PostgreSQL counter per subject, 429 + Retry-After, memory insurance.
import pg from 'pg';
import request from 'supertest';
import { postgresLimiter } from '../../src/db/rate-limits';
import { startTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/db';

describe('two instances on one database share each subject’s limit', () => {
  let first: TestApp;
  let second: TestApp;
  let patientId: string;

  beforeAll(async () => {
    first = await startTestApp({ rateLimit: { perMinute: 4 }, instance: 'instance-1' });
    second = await startTestApp({ rateLimit: { perMinute: 4 }, instance: 'instance-2', database: first.database });
    patientId = (await first.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const read = (t: TestApp, token: string) =>
    request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`);

  test('alternating between the instances, the limit holds for the pair', async () => {
    const token = await first.token(['clinician'], { sub: 'roaming-nurse' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await read(i % 2 === 0 ? first : second, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const limited = await read(second, token).expect(429);
    expect(limited.body).toEqual({
      error: { code: 'too_many_requests', message: expect.any(String), requestId: limited.headers['x-request-id'] },
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another subject is unaffected, on either instance.
    await read(second, await first.token(['clinician'], { sub: 'other-nurse' })).expect(200);
  });

  test('the same requests without the shared store would have passed: each instance alone allows the full limit', async () => {
    const token = await first.token(['clinician'], { sub: 'fresh-nurse' });
    for (let i = 0; i < 4; i++) await read(first, token).expect(200);
    // Counted once for both: the second instance sees the window already used up.
    await read(second, token).expect(429);
  });
});

describe('the limiter on its own', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  afterEach(() => jest.restoreAllMocks());

  test('perMinute 0 means no limiter', () => {
    expect(postgresLimiter(pool, { perMinute: 0, keyPrefix: 'x' })).toBeNull();
  });

  test('the window resets a minute after it opened, and Retry-After counts down to it', async () => {
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const limiter = postgresLimiter(pool, { perMinute: 2, keyPrefix: 'reset' })!;
    await limiter.consume('nurse');
    now += 20_000;
    await limiter.consume('nurse');
    const over = await limiter.consume('nurse').catch((r: { msBeforeNext: number }) => r);
    expect((over as { msBeforeNext: number }).msBeforeNext).toBe(40_000);
    now += 40_000;
    await expect(limiter.consume('nurse')).resolves.toMatchObject({ remainingPoints: 1 });
  });

  test('independent limits (key prefixes) do not share counters', async () => {
    const summaries = postgresLimiter(pool, { perMinute: 1, keyPrefix: 'summary-p' })!;
    const prewarm = postgresLimiter(pool, { perMinute: 1, keyPrefix: 'prewarm-p' })!;
    await summaries.consume('svc');
    await expect(prewarm.consume('svc')).resolves.toBeDefined();
    await expect(summaries.consume('svc')).rejects.toMatchObject({ remainingPoints: 0 });
  });

  test('with PostgreSQL unreachable, an in-memory limiter of the same size still limits', async () => {
    const dead = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'none', connectionTimeoutMillis: 500 });
    dead.on('error', () => undefined);
    try {
      const limiter = postgresLimiter(dead, { perMinute: 2, keyPrefix: 'insured' })!;
      await limiter.consume('nurse');
      await limiter.consume('nurse');
      await expect(limiter.consume('nurse')).rejects.toMatchObject({ remainingPoints: 0 });
    } finally {
      await dead.end();
    }
  });
});
