// The shared fake upstream helper itself: scripting, recording, hooks, faults and a clean close.
import { request } from 'undici';
import { anthropicReply, openaiReply, refusedUrl, startFakeUpstream } from '../support/fake-upstream';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`${url}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

test('answers scripted steps in order, then the default; records every request', async () => {
  const up = await startFakeUpstream();
  try {
    up.script([{ status: 503, headers: { 'retry-after': '2' } }, anthropicReply('second')]);
    const first = await post(up.url, { n: 1 }, { 'x-audit-event-id': 'evt-1' });
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    await first.body.dump();
    expect(await (await post(up.url, { n: 2 })).body.json()).toMatchObject({ content: [{ type: 'text', text: 'second' }] });
    expect(await (await post(up.url, { n: 3 })).body.json()).toMatchObject({ choices: [{ message: { content: 'ok' } }] });
    expect(up.requests.map((r) => [r.index, r.method, r.path, r.json, r.state])).toEqual([
      [0, 'POST', '/v1/chat/completions', { n: 1 }, 'answered'],
      [1, 'POST', '/v1/chat/completions', { n: 2 }, 'answered'],
      [2, 'POST', '/v1/chat/completions', { n: 3 }, 'answered'],
    ]);
    expect(up.requests[0].headers['x-audit-event-id']).toBe('evt-1');
  } finally {
    await up.close();
  }
});

test('onRequest runs before the answer; a throwing hook turns into a 500', async () => {
  const up = await startFakeUpstream();
  try {
    const order: string[] = [];
    up.onRequest(async (req) => {
      order.push(`hook ${req.index}`);
      if (req.index === 1) throw new Error('not found in audit table');
    });
    const ok = await post(up.url, {});
    order.push('answer 0');
    await ok.body.dump();
    const failed = await post(up.url, {});
    await failed.body.dump();
    expect(order).toEqual(['hook 0', 'answer 0', 'hook 1']);
    expect(failed.statusCode).toBe(500);
    expect((up.requests[1].hookError as Error).message).toBe('not found in audit table');
  } finally {
    await up.close();
  }
});

test('faults: malformed, reset, reset mid-body; refusedUrl refuses', async () => {
  const up = await startFakeUpstream({ defaultStep: openaiReply('x') });
  try {
    up.script([{ malformed: true }, { reset: true }, { resetMidBody: true }]);
    const malformed = await post(up.url, {});
    await expect(malformed.body.json()).rejects.toThrow(SyntaxError);
    await expect(post(up.url, {})).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    const partial = await post(up.url, {});
    expect(partial.statusCode).toBe(200);
    await expect(partial.body.text()).rejects.toBeDefined();
    expect(up.requests.map((r) => r.state)).toEqual(['answered', 'reset', 'reset']);
    await expect(post(await refusedUrl(), {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  } finally {
    await up.close();
  }
});

test('close() ends hung and delayed requests, so nothing keeps the process alive', async () => {
  const up = await startFakeUpstream();
  up.script([{ hang: true }, { ...openaiReply('late'), delayMs: 60_000 }]);
  const hung = post(up.url, {}).catch((e: Error) => e);
  const delayed = post(up.url, {}).catch((e: Error) => e);
  await up.waitForRequests(2);
  await up.close();
  expect(await hung).toBeInstanceOf(Error);
  expect(await delayed).toBeInstanceOf(Error);
});

test('waitFor rejects with a clear message when the condition never holds', async () => {
  const up = await startFakeUpstream();
  try {
    await expect(up.waitForRequests(1, 50)).rejects.toThrow(/condition not met within 50 ms \(0 requests seen\)/);
  } finally {
    await up.close();
  }
});
