// A client team's program: type-checked with tsc against the types openapi-typescript generates from /openapi.json
// (./schema, written next to it at test time), then run with openapi-fetch against the real service. It calls every
// operation, validates every body with ajv against the document, and prints what it called and what did not match.
// Run by test/http/openapi-client.int.test.ts; not part of the project's own type-check (./schema does not exist here).
import Ajv2020 from 'ajv/dist/2020';
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Spec = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { 'x-itemSchema'?: unknown }> }> }>
  >;
};

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const client = createClient<paths>({ baseUrl: env('BASE_URL') });
const as = (token: string) => ({ Authorization: `Bearer ${env(token)}` });
const wardId = env('WARD_ID');
const patientId = env('PATIENT_ID');

const called: string[] = [];
const problems: string[] = [];
let spec: Spec;
let ajv: Ajv2020;

const escape = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');

/** Checks one answer against the document: documented status, media type and body (NDJSON line by line). */
function check(method: string, path: string, result: { response: Response; data?: unknown; error?: unknown }): void {
  const status = String(result.response.status);
  const mediaType = (result.response.headers.get('content-type') ?? '').split(';')[0].trim();
  called.push(`${method} ${path} ${status} ${mediaType}`);
  const responses = spec.paths[path]?.[method]?.responses;
  if (!responses) return void problems.push(`${method} ${path}: not in the document`);
  const key = responses[status] ? status : 'default';
  let at = `paths/${escape(path)}/${method}/responses/${key}`;
  let response = responses[key];
  if (response.$ref) {
    at = response.$ref.slice(2);
    response = at.split('/').reduce((o: any, k) => o[k], spec) as typeof response;
  }
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) {
    if (result.data !== undefined && result.data !== '' && result.data !== null)
      problems.push(`${method} ${path} ${status}: a body where none is documented`);
    return;
  }
  if (!content[mediaType]) return void problems.push(`${method} ${path} ${status}: ${mediaType} is not documented`);
  const body = result.data ?? result.error;
  const validate = (pointer: string, value: unknown, what: string) => {
    const fn = ajv.getSchema(`openapi.json#/${at}/content/${escape(mediaType)}/${pointer}`);
    if (!fn) return void problems.push(`${method} ${path} ${status}: no schema for ${mediaType}`);
    if (!fn(value)) problems.push(`${method} ${path} ${status} ${what}: ${ajv.errorsText(fn.errors)}`);
  };
  validate('schema', body, mediaType);
  if (content[mediaType]['x-itemSchema']) {
    for (const line of String(body).split('\n').filter(Boolean)) validate('x-itemSchema', JSON.parse(line), 'NDJSON line');
  }
}

async function main(): Promise<void> {
  const document = await client.GET('/openapi.json');
  spec = document.data as unknown as Spec;
  ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(spec, 'openapi.json');
  check('get', '/openapi.json', document);

  // ---- operations ----
  check('get', '/healthz', await client.GET('/healthz'));
  const ready = await client.GET('/readyz');
  check('get', '/readyz', ready);
  const readiness: 'ready' | 'not_ready' | undefined = ready.data?.status;
  check('get', '/metrics', await client.GET('/metrics', { parseAs: 'text' }));
  check('get', '/docs', await client.GET('/docs', { parseAs: 'text' }));

  // ---- pages ----
  const board = await client.GET('/board', { parseAs: 'text' });
  check('get', '/board', board);
  const etag = board.response.headers.get('ETag') ?? '';
  check('get', '/board', await client.GET('/board', { params: { header: { 'If-None-Match': etag } }, parseAs: 'text' }));
  check('get', '/audit', await client.GET('/audit', { parseAs: 'text' }));
  check('get', '/ui/{asset}', await client.GET('/ui/{asset}', { params: { path: { asset: 'board.js' } }, parseAs: 'text' }));

  // ---- a clinician's round ----
  const wards = await client.GET('/v1/wards', { headers: as('CLINICIAN') });
  check('get', '/v1/wards', wards);
  const count: number = wards.data?.wards.find((w) => w.id === wardId)?.patientCount ?? -1;
  const listed = await client.GET('/v1/wards/{wardId}/patients', { params: { path: { wardId } }, headers: as('CLINICIAN') });
  check('get', '/v1/wards/{wardId}/patients', listed);
  const identifiers: components['schemas']['PatientIdentifiers'] | undefined = listed.data?.patients[0]?.identifiers;
  const mrn: string = identifiers?.mrn ?? '';
  if (!mrn) problems.push('a clinician got no identifiers');

  const summary = await client.GET('/v1/patients/{patientId}/summary', {
    params: { path: { patientId }, query: { days: 3 } },
    headers: as('CLINICIAN'),
  });
  check('get', '/v1/patients/{patientId}/summary', summary);
  const source: 'llm' | 'fallback' | 'cache' | undefined = summary.data?.source;
  // Two media types for one 200 (the full body, and the compact view with view=compact): a client narrows.
  const full = summary.data && 'facts' in summary.data ? summary.data : undefined;
  if (!full) problems.push('the default view was not the full body');
  const news2: number | undefined = full?.facts.news2.latest?.total;
  const missing = await client.GET('/v1/patients/{patientId}/summary', {
    params: { path: { patientId: '00000000-0000-4000-8000-000000000000' } },
    headers: as('CLINICIAN'),
  });
  check('get', '/v1/patients/{patientId}/summary', missing);
  const code: string | undefined = missing.error?.error.code;
  if (code !== 'not_found') problems.push(`an unknown patient answered ${missing.response.status} ${code}`);

  const batch = await client.GET('/v1/wards/{wardId}/summaries', {
    params: { path: { wardId }, query: { days: 3 } },
    headers: as('CLINICIAN'),
  });
  check('get', '/v1/wards/{wardId}/summaries', batch);
  // Two media types for one 200: the generated type is JSON | NDJSON text, so a client narrows before reading.
  const json = typeof batch.data === 'string' ? undefined : batch.data;
  if (!json) problems.push('format=json did not come back as JSON');
  for (const result of json?.results ?? []) {
    // The discriminated union narrows: a summary only on `ok`, with identifiers (name, DOB, MRN) for a clinician.
    if (result.status !== 'ok') continue;
    const latest: number | undefined =
      'facts' in result.summary ? result.summary.facts.news2.latest?.total : result.summary.news2.latest?.total;
    if (!result.identifiers?.familyName || (latest !== undefined && latest < 0))
      problems.push(`bed ${result.bed}: no identifiers, or a negative NEWS2`);
  }
  const wardTag = batch.response.headers.get('ETag') ?? '';
  const unchanged = await client.GET('/v1/wards/{wardId}/summaries', {
    params: { path: { wardId }, query: { days: 3 }, header: { 'If-None-Match': wardTag } },
    headers: as('CLINICIAN'),
  });
  check('get', '/v1/wards/{wardId}/summaries', unchanged);
  if (unchanged.response.status !== 304) problems.push(`If-None-Match with the ETag answered ${unchanged.response.status}`);
  const lines = await client.GET('/v1/wards/{wardId}/summaries', {
    params: { path: { wardId }, query: { format: 'ndjson' } },
    headers: as('SERVICE'),
    parseAs: 'text',
  });
  check('get', '/v1/wards/{wardId}/summaries', lines);
  if (Number(lines.response.headers.get('X-Ward-Patients')) !== count) problems.push('X-Ward-Patients differs from the ward list');

  const prewarm = await client.POST('/v1/wards/{wardId}/prewarm', {
    params: { path: { wardId }, query: { days: 1, wait: 'true' } },
    headers: as('SERVICE'),
  });
  check('post', '/v1/wards/{wardId}/prewarm', prewarm);

  // ---- compliance ----
  const page = await client.GET('/v1/audit-events', { params: { query: { mrn: mrn.toLowerCase(), limit: 5 } }, headers: as('COMPLIANCE') });
  check('get', '/v1/audit-events', page);
  const resolved: string | undefined = page.data?.patient?.id;
  if (resolved !== listed.data?.patients[0]?.id) problems.push('the MRN resolved to another patient');
  const eventId = page.data?.events[0]?.id ?? '';
  check(
    'get',
    '/v1/audit-events/{id}',
    await client.GET('/v1/audit-events/{id}', { params: { path: { id: eventId } }, headers: as('COMPLIANCE') }),
  );
  const verified = await client.GET('/v1/audit-events/verify', { headers: as('COMPLIANCE') });
  check('get', '/v1/audit-events/verify', verified);
  const intact: boolean | undefined = verified.data?.ok;
  for (const format of ['ndjson', 'csv', 'fhir'] as const) {
    check(
      'get',
      '/v1/audit-events/export',
      await client.GET('/v1/audit-events/export', {
        params: { query: { format, patientId } },
        headers: as('COMPLIANCE'),
        parseAs: format === 'fhir' ? 'json' : 'text',
      }),
    );
  }
  const report = await client.GET('/v1/patients/{patientId}/disclosures', { params: { path: { patientId } }, headers: as('COMPLIANCE') });
  check('get', '/v1/patients/{patientId}/disclosures', report);
  const byMrn = await client.GET('/v1/disclosures', { params: { query: { mrn } }, headers: as('COMPLIANCE') });
  check('get', '/v1/disclosures', byMrn);
  if (byMrn.data?.disclosures.length !== report.data?.disclosures.length) problems.push('the accounting by MRN differs from the one by id');

  process.stdout.write(`${JSON.stringify({ called, problems, seen: { readiness, source, news2, intact } })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`client program failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
