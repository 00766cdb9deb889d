// A client team's tooling in CI: types generated from /openapi.json with openapi-typescript into a temp dir, a small
// program (openapi-client/program.ts) type-checked against them with tsc, then run with openapi-fetch against the
// real app on loopback, calling every operation and validating every body with ajv.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import ts from 'typescript';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/app';

const ROOT = path.resolve(__dirname, '..', '..');
const PROGRAM = path.join(__dirname, 'openapi-client', 'program.ts');
// The CLI a client team runs (ESM: it cannot load inside jest's CommonJS runtime anyway).
const OPENAPI_TS = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

function run(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 90_000, ...options }, (err, out, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out),
    );
  });
}

let t: TestApp;
let server: HttpServer;
let baseUrl: string;
let dir: string;
let spec: { paths: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  // One clock for the run: the program revalidates a ward with its ETag, which a 0.1 h step of every "hours ago"
  // between the two reads would (rightly) change.
  const clock = new Date();
  t = await startTestApp({ now: () => clock });
  server = createHttpServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Through supertest, not fetch: the global fetch agent would keep a socket to the server alive past the test.
  spec = (await request(t.app).get('/openapi.json').expect(200)).body;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftnote-client-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(spec));
  await run([OPENAPI_TS, 'openapi.json', '--output', 'schema.d.ts'], { cwd: dir });
  fs.copyFileSync(PROGRAM, path.join(dir, 'program.ts'));
}, 60_000);

afterAll(async () => {
  await server?.drain();
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** tsc's diagnostics for a program, strict, as a client project would compile it. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    esModuleInterop: true,
    skipLibCheck: true,
    noUnusedLocals: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

test('the generated types describe every operation', () => {
  const types = fs.readFileSync(path.join(dir, 'schema.d.ts'), 'utf8');
  for (const [p, ops] of Object.entries(spec.paths)) {
    expect(types).toContain(`"${p}": {`);
    for (const method of Object.keys(ops)) expect(types).toMatch(new RegExp(`${method}: operations\\["${method}[A-Za-z0-9]*"\\]`));
  }
});

test('the client program type-checks against them (strict)', () => {
  expect(typeErrors(path.join(dir, 'program.ts'))).toEqual([]);
}, 60_000);

test('…and tsc has teeth: a field the API does not have, or a wrong query type, fails', () => {
  const bad = path.join(dir, 'bad.ts');
  fs.writeFileSync(
    bad,
    `import createClient from 'openapi-fetch';
import type { paths } from './schema';
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1' });
export async function f() {
  const wards = await client.GET('/v1/wards');
  const name: string | undefined = wards.data?.wards[0]?.familyName;
  await client.GET('/v1/patients/{patientId}/summary', { params: { path: { patientId: 'x' }, query: { days: 'seven' } } });
  return name;
}
`,
  );
  const errors = typeErrors(bad).join('\n');
  expect(errors).toMatch(/familyName/);
  expect(errors).toMatch(/string.*number|number.*string/);
}, 60_000);

test('run with openapi-fetch against the real app: every operation called, every body as documented', async () => {
  const ward = await t.db.ward.findFirstOrThrow({ orderBy: { code: 'asc' }, include: { patients: { orderBy: { bed: 'asc' }, take: 1 } } });
  const env = {
    ...process.env,
    BASE_URL: baseUrl,
    WARD_ID: ward.id,
    PATIENT_ID: ward.patients[0].id,
    CLINICIAN: await t.token(['clinician'], { sub: 'client-clinician' }),
    SERVICE: await t.token(['service'], { sub: 'client-service' }),
    COMPLIANCE: await t.token(['compliance'], { sub: 'client-compliance' }),
  };
  const stdout = await run(['--import', 'tsx', 'program.ts'], { cwd: dir, env });
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as { called: string[]; problems: string[]; seen: Record<string, unknown> };
  expect(report.problems).toEqual([]);
  const operations = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
  const called = new Set(report.called.map((c) => c.split(' ').slice(0, 2).join(' ')));
  expect(operations.filter((op) => !called.has(op))).toEqual([]);
  // The statuses and media types the program met, beyond 200 JSON.
  expect(report.called).toEqual(
    expect.arrayContaining([
      'get /v1/wards/{wardId}/summaries 304 ',
      'get /v1/wards/{wardId}/summaries 200 application/x-ndjson',
      'get /v1/audit-events/export 200 text/csv',
      'get /v1/audit-events/export 200 application/fhir+json',
      'get /v1/patients/{patientId}/summary 404 application/json',
      'get /board 304 ',
    ]),
  );
  expect(report.seen).toMatchObject({ readiness: 'ready', source: 'fallback', intact: true });
}, 120_000);
