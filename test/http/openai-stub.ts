// A minimal OpenAI-compatible upstream for process-level tests: records arrivals, answers at once or when released.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { carefulAnswer } from '../support/careful-answer';

export interface OpenAiStub {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Requests received so far (headers and body). */
  requests: { headers: http.IncomingHttpHeaders; body: string }[];
  /** Resolves when the first request has fully arrived. */
  firstRequest: Promise<void>;
  /** Lets held requests (and all later ones) be answered. */
  release(): void;
  close(): Promise<void>;
}

/** The answer a careful model gives this request: grounding accepts only answers that say what matters. */
function completion(requestBody: string): string {
  let body: unknown;
  try {
    body = JSON.parse(requestBody);
  } catch {
    body = undefined;
  }
  const ANSWER = carefulAnswer(body);
  return JSON.stringify({
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 0,
    model: 'stub-model',
    choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 },
  });
}

/** `hold: true` keeps every request waiting until release(): tests synchronise on arrival, not on sleeps. */
export async function startOpenAiStub(options: { hold?: boolean } = {}): Promise<OpenAiStub> {
  let released = !options.hold;
  const waiting: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const requests: OpenAiStub['requests'] = [];
  let arrived!: () => void;
  const firstRequest = new Promise<void>((resolve) => (arrived = resolve));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      arrived();
      const requestBody = Buffer.concat(chunks).toString('utf8');
      const answer = () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(completion(requestBody));
      if (released) answer();
      else waiting.push(answer);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    firstRequest,
    release() {
      released = true;
      for (const answer of waiting.splice(0)) answer();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The contract's LLM YAML with one openai provider at `url`; generous timeouts so a held request is not retried. */
export function llmYaml(url: string): string {
  return `providers:
  - name: openai
    type: openai
    base_url: ${url}
    api_key: test-key
    model: stub-model
    weight: 100
routing:
  strategy: failover
  fallback_on: [5xx, timeout, 429, connection]
  attempt_timeout_ms: 20000
  deadline_ms: 25000
  retries_per_provider: 0
`;
}
