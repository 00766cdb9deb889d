// The HTTP server's drain: a request still arriving on an open connection is answered with Connection: close.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../src/http/server';

test('a pipelined request arriving while draining gets Connection: close, even from a route that answers synchronously', async () => {
  const thrown: unknown[] = [];
  const onUncaught = (err: unknown) => thrown.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    // `/first` starts the drain (as SIGTERM would mid-request); `/second` answers in the same tick, as /healthz does.
    const server = createHttpServer((req, res) => {
      if (req.url === '/first') void server.drain();
      res.end(req.url);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    // Both requests in one write: the second is parsed only after the first is answered, i.e. during the drain.
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    expect(responses[1]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(responses[1]).toMatch(/\r\nConnection: close\r\n/i);
    expect(responses[1].endsWith('/second')).toBe(true);
    expect(thrown).toEqual([]);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});
