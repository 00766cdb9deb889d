// A fast fake OpenAI upstream for benchmarks, run as its own process (its CPU is not charged to the bench or the service).
// POST */chat/completions → a grounded model answer after a delay drawn uniformly from [minMs, maxMs] (0/0: at once).
// Control (loopback only): POST /__config {"minMs","maxMs"}; GET /__holds → [[x-audit-event-id, heldMs], ...]; POST /__reset.
// Prints its port on stdout; exits when its parent goes away.
'use strict';
const http = require('node:http');
const { performance } = require('node:perf_hooks');

// No digits in the sentence: grounding has nothing to check, so the service always accepts it.
const content = JSON.stringify({ sentences: [{ text: 'The patient is being monitored on the ward.', facts: [] }] });
const reply = Buffer.from(
  JSON.stringify({
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    model: 'm',
    id: 'x',
    object: 'chat.completion',
  }),
);
const replyHeaders = { 'content-type': 'application/json', 'content-length': reply.length };

let minMs = 0;
let maxMs = 0;
let requests = 0;
/** x-audit-event-id → how long this upstream held the request (body received → reply written), ms. */
let holds = [];

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/__config' && req.method === 'POST') {
      const cfg = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      minMs = Number(cfg.minMs ?? 0);
      maxMs = Number(cfg.maxMs ?? minMs);
      return json(res, 200, { minMs, maxMs });
    }
    if (req.url === '/__holds') return json(res, 200, holds);
    if (req.url === '/__reset' && req.method === 'POST') {
      holds = [];
      requests = 0;
      return json(res, 200, {});
    }
    if (req.url === '/__stats') return json(res, 200, { requests, minMs, maxMs });
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) return json(res, 404, { error: { message: 'not found' } });

    requests++;
    const id = req.headers['x-audit-event-id'];
    const received = performance.now();
    const answer = () => {
      res.writeHead(200, replyHeaders);
      res.end(reply);
      if (typeof id === 'string') holds.push([id, performance.now() - received]);
    };
    const delay = maxMs > 0 ? minMs + Math.random() * (maxMs - minMs) : 0;
    if (delay <= 0) return answer();
    const timer = setTimeout(answer, delay);
    res.on('close', () => clearTimeout(timer));
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('disconnect', () => process.exit(0));
