// Unit tests of the client's small parts: breaker, backoff, Retry-After, router weights, latency window, adapters.
import { fullJitterMs, parseRetryAfterMs } from '../../src/llm/backoff';
import { CircuitBreaker, Permit } from '../../src/llm/breaker';
import { LatencyWindow } from '../../src/llm/latency';
import { anthropicAdapter } from '../../src/llm/providers/anthropic';
import { openaiAdapter } from '../../src/llm/providers/openai';
import { resolveParams } from '../../src/llm/params';
import { Router } from '../../src/llm/router';
import { AttemptSignal } from '../../src/llm/signal';
import { chat, seededRandom } from './helpers';

describe('CircuitBreaker', () => {
  const options = { failureThreshold: 3, failureRate: 0.5, window: 10, minVolume: 6, cooldownMs: 1000 };
  let now = 0;
  const make = () => new CircuitBreaker(options, () => now);

  test('opens after N consecutive failures; a success resets the run', () => {
    const b = make();
    for (const verdict of ['failure', 'failure', 'success', 'failure', 'failure'] as const) b.record(b.acquire(), verdict);
    expect(b.state).toBe('closed');
    b.record(b.acquire(), 'failure');
    expect(b.state).toBe('open');
    expect(b.acquire()).toBe(Permit.Denied);
  });

  test('opens on the failure rate over the window once the minimum volume is reached', () => {
    const b = make();
    const pattern = ['failure', 'success', 'failure', 'success', 'failure'] as const;
    for (const verdict of pattern) b.record(b.acquire(), verdict);
    expect(b.state).toBe('closed'); // 3/5 but below min volume 6
    b.record(b.acquire(), 'success');
    expect(b.state).toBe('open'); // 3/6 = 50%
  });

  test('old outcomes roll out of the window', () => {
    const b = new CircuitBreaker({ ...options, failureThreshold: 100, window: 4, minVolume: 4 }, () => now);
    for (const verdict of ['failure', 'success', 'success', 'success', 'success', 'failure'] as const) b.record(b.acquire(), verdict);
    expect(b.state).toBe('closed'); // window is [s, s, s, f]: 25%
  });

  test('half-open after the cooldown admits exactly one probe; neutral keeps it half-open', () => {
    now = 0;
    const b = make();
    for (let i = 0; i < 3; i++) b.record(b.acquire(), 'failure');
    now = 999;
    expect(b.allows()).toBe(false);
    now = 1000;
    expect(b.state).toBe('half-open');
    const probe = b.acquire();
    expect(probe).toBe(Permit.Probe);
    expect(b.acquire()).toBe(Permit.Denied);
    expect(b.allows()).toBe(false);
    b.record(probe, 'neutral');
    expect(b.state).toBe('half-open');
    const second = b.acquire();
    b.record(second, 'success');
    expect(b.state).toBe('closed');
  });

  test('a failed probe re-opens for a full cooldown; late results of old attempts are ignored', () => {
    now = 0;
    const b = make();
    const old = b.acquire();
    for (let i = 0; i < 3; i++) b.record(b.acquire(), 'failure');
    now = 1000;
    b.record(b.acquire(), 'failure');
    expect(b.state).toBe('open');
    b.record(old, 'success');
    expect(b.state).toBe('open');
    now = 1999;
    expect(b.state).toBe('open');
    now = 2000;
    expect(b.state).toBe('half-open');
  });

  test('reports transitions', () => {
    const seen: string[] = [];
    now = 0;
    const b = new CircuitBreaker(
      options,
      () => now,
      (s) => seen.push(s),
    );
    for (let i = 0; i < 3; i++) b.record(b.acquire(), 'failure');
    now = 1000;
    b.record(b.acquire(), 'success');
    expect(seen).toEqual(['open', 'half-open', 'closed']);
  });
});

describe('backoff', () => {
  test('full jitter stays within [0, min(max, base·2^n))', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(fullJitterMs(0, opts, () => 0.999)).toBeCloseTo(99.9);
    expect(fullJitterMs(2, opts, () => 0.5)).toBe(200);
    expect(fullJitterMs(10, opts, () => 0.5)).toBe(500);
    expect(fullJitterMs(3, opts, () => 0)).toBe(0);
  });

  test.each([
    ['2', 2000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', null],
    [undefined, null],
  ])('Retry-After %p → %p ms', (value, expected) => {
    expect(parseRetryAfterMs(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
  });
});

describe('Router', () => {
  const provider = (name: string, weight: number, healthy = true) => ({ name, weight, healthy: () => healthy });

  test('failover: weight descending, stable for ties, weight 0 last', () => {
    const router = new Router([provider('z', 0), provider('a', 5), provider('b', 10), provider('c', 5)], 'failover', Math.random);
    expect(router.order().map((p) => p.name)).toEqual(['b', 'a', 'c', 'z']);
    expect(router.order(['b']).map((p) => p.name)).toEqual(['a', 'c', 'z']);
  });

  test('weighted: the first pick follows the weights; the rest keep failover order', () => {
    const router = new Router([provider('big', 3), provider('small', 1), provider('fallback', 0)], 'weighted', seededRandom(42));
    const firsts = { big: 0, small: 0, fallback: 0 };
    const orders = new Set<string>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const order = router.order();
      firsts[order[0].name as keyof typeof firsts]++;
      orders.add(order.map((p) => p.name).join(','));
    }
    expect([...orders].sort()).toEqual(['big,small,fallback', 'small,big,fallback']);
    expect(firsts.big / n).toBeGreaterThan(0.72);
    expect(firsts.big / n).toBeLessThan(0.78);
    expect(firsts.fallback).toBe(0);
  });

  test('weighted: an unhealthy provider is not picked first', () => {
    const router = new Router([provider('big', 100, false), provider('small', 1)], 'weighted', seededRandom(1));
    for (let i = 0; i < 100; i++) expect(router.order()[0].name).toBe('small');
  });
});

test('LatencyWindow: no p95 before enough samples, then the 95th percentile of the window', () => {
  const w = new LatencyWindow(100, 20);
  for (let i = 1; i <= 19; i++) w.add(i);
  expect(w.p95()).toBeNull();
  for (let i = 20; i <= 100; i++) w.add(i);
  expect(w.p95()).toBe(95);
  for (let i = 0; i < 100; i++) w.add(1000);
  expect(w.p95()).toBe(1000);
});

describe('adapters', () => {
  const baseUrl = new URL('https://llm.example/base');
  const chatParams = resolveParams('openai-chat', undefined);

  test('openai: body, headers, and path under a base path', () => {
    const adapter = openaiAdapter(baseUrl, 'k', { model: 'gpt', params: chatParams });
    expect(adapter.endpoint).toEqual({ origin: 'https://llm.example', host: 'llm.example', path: '/base/v1/chat/completions' });
    expect(adapter.headers('evt')).toEqual(['content-type', 'application/json', 'authorization', 'Bearer k', 'x-audit-event-id', 'evt']);
    expect(JSON.parse(adapter.encode({ ...chat, temperature: undefined }))).toEqual({
      model: 'gpt',
      messages: [{ role: 'system', content: chat.system }, ...chat.messages],
      max_tokens: 200,
    });
  });

  test('openai: decode maps content, finish_reason and usage; wrong shapes are null', () => {
    const adapter = openaiAdapter(baseUrl, undefined, { model: 'gpt', params: chatParams });
    expect(adapter.headers('e')).not.toContain('authorization');
    expect(
      adapter.decode({
        model: 'gpt-x',
        choices: [{ message: { content: 'hi' }, finish_reason: 'length' }],
        usage: { prompt_tokens: 3, completion_tokens: 1 },
      }),
    ).toEqual({
      refused: false,
      text: 'hi',
      finishReason: 'length',
      stopReason: 'length',
      responseModel: 'gpt-x',
      usage: { inputTokens: 3, outputTokens: 1 },
    });
    for (const bad of [
      null,
      [],
      {},
      { choices: [] },
      { choices: [{ message: { content: null } }] },
      { choices: [{ message: { content: '  ' } }] },
      'text',
    ]) {
      expect(adapter.decode(bad)).toBeNull();
    }
  });

  test('anthropic: headers and stop reasons; no text is null, a refusal is a refusal', () => {
    const adapter = anthropicAdapter(undefined, 'k', '2026-10-21', { model: 'claude', params: resolveParams('claude', undefined) });
    expect(adapter.endpoint.path).toBe('/v1/messages');
    expect(adapter.headers('e')).toEqual([
      'content-type',
      'application/json',
      'anthropic-version',
      '2026-10-21',
      'x-api-key',
      'k',
      'x-audit-event-id',
      'e',
    ]);
    expect(adapter.decode({ content: [], stop_reason: 'stop_sequence' })).toBeNull();
    expect(adapter.decode({ content: [], stop_reason: 'refusal' })).toMatchObject({ refused: true, text: '', finishReason: 'refusal' });
    expect(adapter.decode({ completion: 'old API' })).toBeNull();
  });
});

test('AttemptSignal: the EventEmitter subset undici uses; listeners fire once, removed ones never', () => {
  const signal = new AttemptSignal();
  const calls: string[] = [];
  const kept = () => calls.push('kept');
  const removed = () => calls.push('removed');
  signal.once('abort', kept).on('abort', removed).removeListener('abort', removed);
  const reason = new Error('stop');
  signal.abort(reason);
  signal.abort(new Error('again'));
  expect(calls).toEqual(['kept']);
  expect(signal.aborted).toBe(true);
  expect(signal.reason).toBe(reason);
});
