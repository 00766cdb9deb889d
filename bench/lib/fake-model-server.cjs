// A fast fake OpenAI upstream for benchmarks, run as its own process (its CPU is not charged to the bench or the service).
// POST */chat/completions → a grounded model answer (built from the prompt's facts) after a delay drawn uniformly from [minMs, maxMs] (0/0: at once).
// Control (loopback only): POST /__config {"minMs","maxMs"}; GET /__holds → [[x-audit-event-id, heldMs], ...]; POST /__reset.
// Prints its port on stdout; exits when its parent goes away.
'use strict';
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const labels = {
  respiratoryRate: ['respiratory rate', '/min'],
  spo2: ['SpO2', '%'],
  systolicBp: ['systolic BP', ' mmHg'],
  diastolicBp: ['diastolic BP', ' mmHg'],
  heartRate: ['pulse', '/min'],
  temperatureC: ['temperature', ' °C'],
};

/**
 * What a careful model answers (as test/support/careful-answer.ts): fact references that say what matters — the
 * latest NEWS2 and band, overdue observations, impossible values, critical medicines not taken — so grounding
 * accepts it for every patient and the service takes its LLM path.
 */
function carefulContent(body) {
  let facts;
  try {
    const user = JSON.parse(body).messages.find((m) => m.role === 'user');
    facts = JSON.parse(user.content).facts;
  } catch {
    return JSON.stringify({ sentences: [{ text: 'No facts were given.' }] });
  }
  const sentences = [];
  const latest = facts.news2.latest;
  if (!latest) sentences.push('No observations were recorded in the window: observations are overdue.');
  else {
    sentences.push(`Latest {news2.latest.total} (${latest.partial ? 'at least ' : ''}{news2.latest.band} risk), {news2.latest.hoursAgo}.`);
    if (facts.vitals.overdue) sentences.push('Observations are overdue: the last set was {vitals.hoursSinceLastObservation}.');
    if (latest.rejected.length) {
      sentences.push(
        `Rejected as impossible at the latest set: ${latest.rejected.map((r) => `${labels[r.field][0]} ${r.value}${labels[r.field][1]}`).join(' and ')}.`,
      );
    }
  }
  const critical = facts.adherence.meds.flatMap((med, i) =>
    med.critical && med.missed + med.refused > 0
      ? [`${med.drug}: {adherence.meds.${i}.missed} missed, {adherence.meds.${i}.refused} refused`]
      : [],
  );
  if (critical.length) sentences.push(`${critical.join('; ')}.`);
  return JSON.stringify({ sentences: sentences.map((text) => ({ text })) });
}

function replyTo(body) {
  return Buffer.from(
    JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: carefulContent(body) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      model: 'm',
      id: 'x',
      object: 'chat.completion',
    }),
  );
}

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
    const reply = replyTo(Buffer.concat(chunks).toString());
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
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
