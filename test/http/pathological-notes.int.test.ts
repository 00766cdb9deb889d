// A patient with pathological notes (1 MB, every keyword negated, identifier shapes throughout) is read like any other:
// the screen is linear, redaction is capped, and the event loop stays free for everyone else (/healthz).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ChatCompleter } from '../../src/clinical';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let server: Server;
let base: string;
let token: string;
const prompts: string[] = [];

const completer: ChatCompleter = {
  async complete(request) {
    prompts.push(request.messages[0].content);
    return {
      text: JSON.stringify({ sentences: [{ text: 'The patient is being monitored on the ward.', facts: [] }] }),
      provider: 'fake',
      model: 'fake',
    };
  },
};

function pathological(bytes: number): string {
  const unit = 'No falls. Denies pain, nil safeguarding concerns; not refusing. Dr A. B. 12 34 56 on 4 March, bed 7. ';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

beforeAll(async () => {
  t = await startTestApp({ completer });
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = await t.token(['clinician']);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

async function timedRead(patientId: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${base}/v1/patients/${patientId}/summary`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  await res.json();
  return performance.now() - started;
}

test('a patient with three 1 MB notes is read in bounded time, and /healthz answers promptly meanwhile', async () => {
  const [patient] = await t.db.patient.findMany({ orderBy: { bed: 'asc' }, take: 1 });
  await t.db.careNote.createMany({
    data: [1, 2, 3].map((i) => ({
      patientId: patient.id,
      authoredAt: new Date(Date.now() - i * 60_000),
      authorRole: 'nurse',
      category: 'nursing',
      text: pathological(1 << 20),
    })),
  });
  let reading = true;
  const health: number[] = [];
  const poll = (async () => {
    while (reading) {
      const started = performance.now();
      await fetch(`${base}/healthz`).then((r) => r.text());
      health.push(performance.now() - started);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const reads = [await timedRead(patient.id), await timedRead(patient.id)];
  reading = false;
  await poll;
  // Generous for a shared machine; the quadratic screen took minutes for one such note, /healthz waited as long.
  expect(Math.max(...reads)).toBeLessThan(5000);
  expect(Math.max(...health)).toBeLessThan(4000);
  // What was sent: capped excerpts, never the megabytes.
  expect(prompts.at(-1)!.length).toBeLessThan(20_000);
});
