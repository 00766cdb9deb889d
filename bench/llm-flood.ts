// Memory under a flood of huge provider answers: RSS growth for N calls that each get a 50 MB body (loopback only).
// Run: npx tsx bench/llm-flood.ts [--rounds 20] [--mb 50] [--concurrency 1] [--client ../some/other/src/llm] — the last to measure
// another version of the client (e.g. the one before bodies were bounded, extracted with git archive).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg('rounds', '20'));
const mb = Number(arg('mb', '50'));
/** Calls in flight at once (a ward batch reads several patients concurrently). */
const concurrency = Number(arg('concurrency', '1'));
const clientPath = resolve(arg('client', resolve(__dirname, '../src/llm')));

// The flood: every request gets `mb` MB of a JSON-looking prefix, chunked (no Content-Length), with backpressure.
const upstreamSource = `
const http = require('node:http');
const chunk = Buffer.from('{"choices":[{"message":{"content":"' + 'GARBAGE-'.repeat(8191));
const total = ${mb} * 1024 * 1024;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let written = 0;
    const pump = () => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('disconnect', () => process.exit(0));
`;

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['-e', upstreamSource], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const llm = (await import(clientPath)) as typeof import('../src/llm');
  const config = llm.llmConfigSchema.parse({
    providers: [{ name: 'flood', type: 'openai', base_url: `http://127.0.0.1:${port}`, api_key: 'k', model: 'gpt-4.1-mini' }],
    routing: {
      retries_per_provider: 0,
      attempt_timeout_ms: 60_000,
      deadline_ms: 60_000,
      breaker: { failure_threshold: 1000, window: 1000, min_volume: 1000, failure_rate: 1 },
    },
  });
  const client = llm.createLlmClient(config, {
    beforeAttempt: async () => '00000000-0000-4000-8000-000000000000',
    afterAttempt: async () => {},
  });
  const request = { system: 's', messages: [{ role: 'user' as const, content: 'u' }], maxTokens: 100 };
  const rss = () => process.memoryUsage().rss;
  const before = rss();
  let peak = before;
  const outcomes = new Map<string, number>();
  const t0 = performance.now();
  const one = async () => {
    try {
      await client.complete(request, { meta: {} });
      outcomes.set('answer', (outcomes.get('answer') ?? 0) + 1);
    } catch (err) {
      const failures = (err as { failures?: { outcome: string }[] }).failures ?? [{ outcome: (err as Error).name }];
      for (const f of failures) outcomes.set(f.outcome, (outcomes.get(f.outcome) ?? 0) + 1);
    }
  };
  const watch = setInterval(() => (peak = Math.max(peak, rss())), 5);
  for (let i = 0; i < rounds; i += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, rounds - i) }, one));
    peak = Math.max(peak, rss());
  }
  clearInterval(watch);
  const seconds = (performance.now() - t0) / 1000;
  await client.close();
  child.kill();
  const after = rss();
  console.log(
    `client ${clientPath}\n${rounds} calls × ${mb} MB answers (chunked), ${concurrency} at a time, on node ${process.version}: ` +
      `RSS before ${(before / 2 ** 20).toFixed(0)} MB, peak ${(peak / 2 ** 20).toFixed(0)} MB (+${((peak - before) / 2 ** 20).toFixed(0)} MB), ` +
      `after ${(after / 2 ** 20).toFixed(0)} MB; ${seconds.toFixed(1)} s; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
