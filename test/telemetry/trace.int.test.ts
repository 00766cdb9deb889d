// One summary request traced end to end in a child process (instrumentation must load before express, pg and
// undici, which jest's module registry defeats): the span tree, the LLM attempt's audit link, and no PHI anywhere.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPrisma } from '../../src/db/client';
import { mintToken } from '../../src/http/auth';
import { seedDemo } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { llmYaml, startOpenAiStub, type OpenAiStub } from '../http/openai-stub';

const SECRET = 'trace-test-secret-trace-test-secret-0123456789';
const ROOT = path.resolve(__dirname, '..', '..');

interface ExportedSpan {
  name: string;
  kind: number;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  events: { name: string; attributes?: Record<string, unknown> }[];
}

let database: TestDatabase;
let stub: OpenAiStub;
let result: { status: number; requestId: string; body: { auditEventId: string; source: string }; spans: ExportedSpan[] };
let phi: string[];
let patientId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = createPrisma(database.url, 2);
  await seedDemo(db);
  const patient = await db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' }, include: { notes: true } });
  patientId = patient.id;
  // What must never reach a span: identifiers and note text (a few words of it are enough to spot a leak).
  phi = [
    patient.givenName,
    patient.familyName,
    `${patient.givenName} ${patient.familyName}`,
    patient.mrn,
    patient.birthDate.toISOString().slice(0, 10),
    ...patient.notes.map((n) => n.text.slice(0, 24)),
  ];
  await db.$disconnect();

  stub = await startOpenAiStub();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-trace-')), 'spans.json');
  const token = await mintToken(SECRET, { sub: 'nurse-trace', roles: ['clinician'] });
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'trace-child.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          LLM_YAML: llmYaml(stub.url),
          AUTH_JWT_SECRET: SECRET,
          PATIENT_ID: patient.id,
          TOKEN: token,
          SPANS_OUT: out,
        },
        timeout: 60_000,
      },
      (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
    );
  });
  result = JSON.parse(fs.readFileSync(out, 'utf8'));
}, 90_000);

afterAll(async () => {
  await stub?.close();
  await database?.drop();
});

const byName = (pattern: RegExp) => result.spans.filter((s) => pattern.test(s.name));

test('the summary request succeeded through the LLM', () => {
  expect(result.status).toBe(200);
  expect(stub.requests).toHaveLength(1);
});

test('one trace: HTTP server span → Express route → Prisma queries, and the LLM attempt with its undici call', () => {
  const server = result.spans.find((s) => s.kind === 1 && s.scope === '@opentelemetry/instrumentation-http');
  expect(server).toBeDefined();
  expect(server!.attributes['http.route']).toBe('/v1/patients/:patientId/summary');
  const trace = result.spans.filter((s) => s.traceId === server!.traceId);
  const ids = new Map(trace.map((s) => [s.spanId, s]));
  const descendsFromServer = (s: ExportedSpan): boolean => {
    for (let p = s.parentSpanId; p; p = ids.get(p)?.parentSpanId) if (p === server!.spanId) return true;
    return false;
  };

  const prisma = trace.filter((s) => s.name.startsWith('prisma:'));
  expect(prisma.length).toBeGreaterThan(0);
  expect(prisma.every(descendsFromServer)).toBe(true);
  expect(trace.some((s) => s.name.startsWith('request handler') && s.scope.includes('express'))).toBe(true);

  const [attempt] = byName(/^chat stub-model$/);
  expect(attempt).toBeDefined();
  expect(attempt.traceId).toBe(server!.traceId);
  expect(descendsFromServer(attempt)).toBe(true);
  const upstreamCall = trace.find(
    (s) => s.scope.includes('undici') && (s.attributes['url.full'] as string | undefined)?.startsWith(stub.url),
  );
  expect(upstreamCall).toBeDefined();
});

test('the LLM attempt span carries the id of its llm.request audit row, which went out as X-Audit-Event-Id', async () => {
  const [attempt] = byName(/^chat stub-model$/);
  const auditId = attempt.attributes['shiftnote.audit_event_id'];
  expect(auditId).toBe(stub.requests[0].headers['x-audit-event-id']);
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const { rows } = await pool.query('SELECT action, request_id FROM audit_event WHERE id = $1', [auditId]);
  await pool.end();
  // Under the server's request id; the client's own ('trace-test-1') travels beside it, never instead.
  expect(rows).toEqual([{ action: 'llm.request', request_id: result.requestId }]);
  expect(result.requestId).not.toBe('trace-test-1');
});

test('no span attribute or event holds PHI: names, MRN, birth date, note text', () => {
  const values = result.spans.flatMap((s) => [
    s.name,
    ...Object.values(s.attributes).map(String),
    ...s.events.flatMap((e) => Object.values(e.attributes ?? {}).map(String)),
  ]);
  expect(values.length).toBeGreaterThan(20);
  const all = values.join('\n');
  expect(phi.filter((secret) => all.includes(secret))).toEqual([]);
  // Neither the raw path (the patient's UUID) nor the query string becomes an attribute: the route template does.
  expect(all).not.toContain(patientId);
  expect(all).not.toContain('days=7');
  const server = result.spans.find((s) => s.kind === 1 && s.scope === '@opentelemetry/instrumentation-http')!;
  expect(server.attributes['url.path']).toBe('/v1/patients/{patientId}/summary');
  expect(server.attributes['url.query']).toBeUndefined();
  // The bearer token never becomes an attribute either.
  expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
});
