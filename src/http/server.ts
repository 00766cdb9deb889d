// The HTTP server around the app: header size limit, and enveloped answers to requests Node rejects before Express.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './errors';

/** Total request-header bytes; Node answers 431 above this (default would be 16 KiB too, but say it). */
export const MAX_HEADER_BYTES = 16 * 1024;

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'the request took too long to arrive'],
};

/**
 * Node writes a bare status line for malformed requests and oversized headers; we send the error envelope
 * instead, so even these carry an X-Request-Id and a JSON body.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'bad_request', 'malformed request'];
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(code, message, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Cache-Control: no-store\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

export interface HttpServer extends http.Server {
  /** Stops accepting and resolves once every in-flight request has been answered and its connection closed. */
  drain(): Promise<void>;
}

export interface HttpServerOptions {
  maxHeaderSize?: number;
  /** Longest a client may take to send its request headers (then 408). Default 5 s. */
  headersTimeoutMs?: number;
  /** Longest a client may take to send its whole request, body included (then 408). Default 10 s. */
  requestTimeoutMs?: number;
  /** How often those two are checked. Default 1 s (Node's own default, 30 s, would let a trickle run 30 s over). */
  timeoutCheckIntervalMs?: number;
}

/**
 * Bodies and headers trickled a byte at a time would otherwise hold a connection for Node's 300 s request timeout:
 * the whole request must arrive within `requestTimeoutMs`, its headers within `headersTimeoutMs`.
 */
export function createHttpServer(app: RequestListener, options: HttpServerOptions = {}): HttpServer {
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const server = http.createServer({
    maxHeaderSize: options.maxHeaderSize ?? MAX_HEADER_BYTES,
    requestTimeout,
    headersTimeout: Math.min(options.headersTimeoutMs ?? 5_000, requestTimeout),
    connectionsCheckingInterval: options.timeoutCheckIntervalMs ?? 1_000,
  });
  server.on('clientError', answerClientError);
  let draining = false;
  // server.close() alone waits for keep-alive connections to time out: while draining, each connection is
  // closed as soon as its response is done, and requests still arriving on one are told `Connection: close`.
  // This listener runs before the app's: a route that answers synchronously (/healthz) has sent its headers by
  // the time a later listener runs, and setting one then would throw out of the server.
  server.on('request', (_req, res: http.ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    res.on('finish', () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });
  server.on('request', app);
  return Object.assign(server, {
    drain() {
      draining = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  });
}
