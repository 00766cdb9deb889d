// A client that trickles its headers or its body cannot hold a connection: 408 in the envelope once the (configurable)
// headers or request timeout passes. Before, Node's defaults let a slow body hold one for 300 s.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let server: HttpServer;
let port: number;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  server = createHttpServer(t.app, { headersTimeoutMs: 400, requestTimeoutMs: 800, timeoutCheckIntervalMs: 50 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  token = await t.token(['clinician']);
});
afterAll(async () => {
  await server.drain();
  await t.close();
});

/** Sends `first`, then one byte of `trickle` every 100 ms; resolves with what the server answered and when. */
function trickle(first: string, slow: string): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < slow.length && socket.writable) socket.write(slow[i++]);
    }, 100);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(first));
    socket.on('data', (c: string) => (reply += c));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ reply, ms: performance.now() - started });
    });
    socket.on('error', (err) => {
      clearInterval(timer);
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') resolve({ reply, ms: performance.now() - started });
      else reject(err);
    });
  });
}

test('a body trickled a byte every 100 ms → 408 in the envelope after the request timeout', async () => {
  const body = JSON.stringify({ pad: 'x'.repeat(200) });
  const head = `POST /v1/wards HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const { reply, ms } = await trickle(head, body);
  expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  expect(reply).toContain('"code":"request_timeout"');
  // The 200-byte body would take 20 s at this pace; generous for a loaded machine.
  expect(ms).toBeLessThan(5000);
});

test('headers trickled a byte every 100 ms → 408 after the headers timeout', async () => {
  const { reply, ms } = await trickle('GET /healthz HTTP/1.1\r\n', 'X-Slow: ' + 'y'.repeat(200) + '\r\n\r\n');
  expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  expect(ms).toBeLessThan(5000);
});

test('an ordinary request is not affected', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(res.status).toBe(200);
});

test('both timeouts are configuration, and headers may not outlast the request', () => {
  expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '4000' }).http).toEqual({
    headersTimeoutMs: 2000,
    requestTimeoutMs: 4000,
  });
  expect(loadConfig({}).http).toEqual({ headersTimeoutMs: 5000, requestTimeoutMs: 10000 });
  expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '9000', HTTP_REQUEST_TIMEOUT_MS: '1000' })).toThrow(/must not exceed/);
});
