// The NDJSON ward batch is streamed with back-pressure; a dashboard that goes away mid-stream is not an error of ours.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { carefulAnswer } from '../support/careful-answer';
import { oneProviderYaml, openaiReply, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let t: TestApp;
let server: http.Server;
let wardId: string;
let token: string;
const logLines: string[] = [];

beforeAll(async () => {
  upstream = await startFakeUpstream();
  // The first summary answers at once; the others take long enough that the reader leaves while they are in flight.
  upstream.setDefault({ reply: (r) => ({ ...openaiReply(carefulAnswer(r.json)), delayMs: r.index === 0 ? 0 : 5_000 }) });
  t = await startTestApp({ llmYaml: oneProviderYaml(upstream.url), logStream: { write: (line) => void logLines.push(line) } });
  wardId = (await t.db.ward.findFirstOrThrow({ where: { code: 'W1' } })).id;
  token = await t.token(['clinician']);
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});

// Before the batch stopped for a reader who had gone, it went on summarising the rest of the ward (holding database
// connections through 5 s model calls): closing the app then waited past this hook's timeout.
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  await upstream.close();
}, 10_000);

test('a dashboard that goes away after the first line: its model calls are cancelled, nothing is logged as an error', async () => {
  const patients = await t.db.patient.count({ where: { wardId } });
  expect(patients).toBeGreaterThan(1);
  const { port } = server.address() as AddressInfo;
  const { req, firstLine } = await new Promise<{ req: http.ClientRequest; firstLine: string }>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: `/v1/wards/${wardId}/summaries?format=ndjson`, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ward-patients']).toBe(String(patients));
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('\n')) resolve({ req, firstLine: text.slice(0, text.indexOf('\n')) });
        });
      },
    );
    req.on('error', reject);
  });
  expect(JSON.parse(firstLine)).toMatchObject({ status: 'ok', summary: { source: 'llm' } });
  await upstream.waitFor((requests) => requests.length >= Math.min(patients, 4));
  const logged = logLines.length;
  req.destroy();
  // Every model call still in flight when the reader left is cancelled.
  await upstream.waitFor((requests) => requests.every((r) => r.state !== 'pending'));
  expect(upstream.requests.some((r) => r.state === 'aborted')).toBe(true);
  expect(logLines.slice(logged).filter((line) => ['error', 'fatal'].includes(JSON.parse(line).level))).toEqual([]);
});
