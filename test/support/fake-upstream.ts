// A scriptable fake LLM upstream on 127.0.0.1 for tests: answers, stalls, resets or garbles requests on cue.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** How to answer one request. With none of the fault flags, it answers `status` (200) with `json`/`body`. */
export interface FakeStep {
  status?: number;
  json?: unknown;
  /** Raw body; wins over `json`. */
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (cancelled if the client goes away). */
  delayMs?: number;
  /** Never answer; the socket is destroyed by close(). */
  hang?: true;
  /** Destroy the socket as soon as the request has arrived. */
  reset?: true;
  /** Send headers and part of the body, then destroy the socket. */
  resetMidBody?: true;
  /** Answer 200 with a truncated, unparseable JSON body. */
  malformed?: true;
  /** Send headers and part of the body, then stall (until the client gives up or close()). */
  stallMidBody?: true;
  /**
   * A 200 body of `totalBytes`, written as `chunk` over and over (with backpressure) until sent or the client
   * hangs up. `declareLength` sends Content-Length; otherwise the body is chunked.
   */
  stream?: { chunk: string; totalBytes: number; declareLength?: boolean };
  /** Computes the step from the request (e.g. an answer that echoes what was asked). Wins over the other fields. */
  reply?: (request: RecordedRequest) => FakeStep;
}

export interface RecordedRequest {
  /** 0-based arrival order. */
  index: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** performance.now() at arrival (after the body was read). */
  receivedAt: number;
  /** answered: full response written; aborted: the client went away first; reset: the step reset the socket. */
  state: 'pending' | 'answered' | 'aborted' | 'reset';
  /** Set when the onRequest hook threw; the request was then answered 500. */
  hookError?: unknown;
  /** Set when `validate` rejected the request as the real API would; that answer replaced the scripted one. */
  rejected?: FakeStep;
  /** Bytes of a `stream` step actually written before the client went away or the body ended. */
  bytesWritten?: number;
}

export type RequestHook = (request: RecordedRequest) => void | Promise<void>;

export interface FakeUpstream {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  /** Queues steps for the next requests, in order; after them the default step answers. */
  script(steps: FakeStep[]): void;
  setDefault(step: FakeStep): void;
  /** Runs on arrival, before the request is answered (e.g. to check the X-Audit-Event-Id is already committed). */
  onRequest(hook: RequestHook | null): void;
  /** Resolves once predicate(requests) holds, re-checked on every arrival and state change. */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  /** Forgets recorded requests, queued steps and the hook; restores the default step. */
  reset(): void;
  /** Stops listening and destroys every socket, hung ones included. */
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  /** Step used when the script is empty. Defaults to openaiReply('ok'). */
  defaultStep?: FakeStep;
  /**
   * Checks a request as the real API would (path, headers, body); returns the API's error answer for an invalid
   * one, which then replaces the scripted step, or null. Runs after onRequest.
   */
  validate?: (request: RecordedRequest) => FakeStep | null | Promise<FakeStep | null>;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

export function openaiBody(text: string, usage = { prompt_tokens: 10, completion_tokens: 5 }): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

export function anthropicBody(text: string, usage = { input_tokens: 10, output_tokens: 5 }): unknown {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: 'fake-model',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    usage,
  };
}

/** A 200 step with an OpenAI chat.completion body. Spread it to add a delay: {...openaiReply('x'), delayMs: 50}. */
export function openaiReply(text: string, usage?: { prompt_tokens: number; completion_tokens: number }): FakeStep {
  return { status: 200, json: openaiBody(text, usage) };
}

/** A 200 step with an Anthropic message body. */
export function anthropicReply(text: string, usage?: { input_tokens: number; output_tokens: number }): FakeStep {
  return { status: 200, json: anthropicBody(text, usage) };
}

/** A loopback URL whose port refuses connections (bound once, then released). */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const malformedBody = '{"choices":[{"message":{"role":"assistant","content":"trunc';

export async function startFakeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const initialDefault = opts.defaultStep ?? openaiReply('ok');
  let defaultStep = initialDefault;
  let queue: FakeStep[] = [];
  let hook: RequestHook | null = null;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const changed = () => changes.emit('change');

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res);
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  server.on(opts.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away while sending
    }
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      json,
      receivedAt: performance.now(),
      state: 'pending',
    };
    // The step is taken on arrival, so answers follow arrival order even when the hook is slow.
    let step = queue.shift() ?? defaultStep;
    requests.push(record);
    res.on('finish', () => {
      record.state = 'answered';
      changed();
    });
    res.on('close', () => {
      if (record.state === 'pending') record.state = 'aborted';
      changed();
    });
    changed();

    if (hook) {
      try {
        await hook(record);
      } catch (err) {
        record.hookError = err;
        step = { status: 500, json: { error: { message: 'fake upstream onRequest hook failed' } } };
      }
    }
    if (opts.validate && record.hookError === undefined) {
      const rejection = await opts.validate(record);
      if (rejection) {
        record.rejected = rejection;
        step = rejection;
      }
    }
    // A computed step keeps the scripted delay unless it sets its own.
    if (step.reply) step = { delayMs: step.delayMs, ...step.reply(record) };
    if (step.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer(step, record, req, res);
      }, step.delayMs);
      timers.add(timer);
      res.on('close', () => clearTimeout(timer));
    } else {
      answer(step, record, req, res);
    }
  }

  function answer(step: FakeStep, record: RecordedRequest, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (res.destroyed || step.hang) return;
    if (step.reset) {
      record.state = 'reset';
      req.socket.destroy();
      return;
    }
    if (step.stream) {
      streamBody(step.stream, record, res, { 'content-type': 'application/json', ...step.headers });
      return;
    }
    const payload = step.malformed
      ? malformedBody
      : (step.body ??
        (step.json !== undefined
          ? JSON.stringify(step.json)
          : step.resetMidBody || step.stallMidBody
            ? JSON.stringify(openaiBody('partial'))
            : ''));
    const headers = { 'content-type': 'application/json', ...step.headers };
    const status = step.malformed ? 200 : (step.status ?? 200);
    if (step.resetMidBody || step.stallMidBody) {
      // Promise more bytes than are sent, so the client is mid-body when the socket dies or the answer stalls.
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(payload) + 1024) });
      res.write(payload.slice(0, Math.ceil(payload.length / 2)), () => {
        if (!step.resetMidBody) return;
        record.state = 'reset';
        res.socket?.destroy();
      });
      return;
    }
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = opts.tls ? 'https' : 'http';

  function waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate(requests)) return resolve();
      const check = () => {
        if (!predicate(requests)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake upstream: condition not met within ${timeoutMs} ms (${requests.length} requests seen)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        changes.off('change', check);
      };
      changes.on('change', check);
    });
  }

  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    script(steps) {
      queue.push(...steps);
    },
    setDefault(step) {
      defaultStep = step;
    },
    onRequest(next) {
      hook = next;
    },
    waitFor,
    waitForRequests: (count, timeoutMs) => waitFor((r) => r.length >= count, timeoutMs),
    reset() {
      requests.length = 0;
      queue = [];
      hook = null;
      defaultStep = initialDefault;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
      changes.removeAllListeners();
    },
  };
}

/** Writes `totalBytes` of `chunk` repeats, waiting for 'drain', stopping when the client hangs up. */
function streamBody(
  spec: { chunk: string; totalBytes: number; declareLength?: boolean },
  record: RecordedRequest,
  res: http.ServerResponse,
  headers: Record<string, string>,
): void {
  const chunk = Buffer.from(spec.chunk);
  res.writeHead(200, spec.declareLength ? { ...headers, 'content-length': String(spec.totalBytes) } : headers);
  let written = 0;
  record.bytesWritten = 0;
  const pump = () => {
    while (written < spec.totalBytes && !res.destroyed) {
      const piece = spec.totalBytes - written >= chunk.length ? chunk : chunk.subarray(0, spec.totalBytes - written);
      written += piece.length;
      record.bytesWritten = written;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** LLM configuration YAML with one OpenAI-compatible provider at `url` (the fake upstream), no retries. */
export function oneProviderYaml(url: string, o: { attemptTimeoutMs?: number; deadlineMs?: number } = {}): string {
  return `
providers:
  - { name: local, type: openai, base_url: ${url}, api_key: test-key, model: fake-model, weight: 100 }
routing: { strategy: failover, fallback_on: [5xx, timeout, 429, connection], attempt_timeout_ms: ${o.attemptTimeoutMs ?? 3000}, deadline_ms: ${o.deadlineMs ?? 6000}, retries_per_provider: 0 }
`;
}
