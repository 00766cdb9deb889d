// Streamed exports (NDJSON, RFC 4180 CSV, FHIR Bundle): complete, verifiable, and bounded by backpressure.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { chainHash, CSV_COLUMNS, csvField, csvLine, GENESIS_HASH, type AuditRecord } from '../../src/audit';
import { startTestApp, type TestApp } from '../support/app';
import { bundleProblems } from './fhir-rules';
import { readEvent } from './fixtures';

let t: TestApp;
let officer: string;
const logLines: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ logStream: { write: (line) => logLines.push(line) } });
  officer = await t.token(['compliance'], { sub: 'officer-1' });
  for (let i = 0; i < 20; i++) await t.audit.append(readEvent(i));
  // Values that need every CSV quoting rule (actor ids come from token subjects, so they can be anything).
  await t.audit.append(readEvent(20, { actorId: 'svc,"quoted"\r\nline', details: { note: 'a "b", c\nd', n: 20 } }));
  const request = await t.audit.append(
    readEvent(21, { action: 'llm.request', target: { provider: 'openai', host: 'api.openai.com', model: 'm', baa: true } }),
  );
  await t.audit.append(
    readEvent(22, {
      action: 'llm.response',
      outcome: 'minor_failure',
      target: request.target,
      details: { requestEventId: request.id, status: 429, result: '429' },
    }),
  );
});

afterAll(async () => {
  await t.close();
});

const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${officer}`);

/** A strict RFC 4180 reader for the test: CRLF records, quoted fields, doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else field += text[i++];
      }
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (ch === '\r' || ch === '\n') throw new Error(`bare line break at ${i}`);
    else {
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || record.length) throw new Error('last record not terminated by CRLF');
  return records;
}

function expectChain(rows: AuditRecord[]) {
  let prev = GENESIS_HASH;
  rows.forEach((row, i) => {
    expect(row.seq).toBe(String(i + 1));
    expect(row.prevHash).toBe(prev);
    const { hash, ...unhashed } = row;
    expect(chainHash(unhashed)).toBe(hash);
    prev = hash;
  });
}

test('csvField quotes only what RFC 4180 requires', () => {
  expect(csvField('plain')).toBe('plain');
  expect(csvField('a,b')).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  expect(csvField('a\nb')).toBe('"a\nb"');
  expect(csvLine(['x', ''])).toBe('x,\r\n');
});

test('NDJSON: every row committed before the export, each recomputable into the chain; the export is audited first', async () => {
  const res = await get('/v1/audit-events/export?format=ndjson');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
  expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-events-.*\.ndjson"/);
  const rows: AuditRecord[] = res.text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expectChain(rows);
  // Its own audit.export row exists and is the first row after the exported snapshot.
  const { rows: own } = await t.pool.query('SELECT seq::int AS seq, action, details FROM audit_event WHERE id = $1', [
    res.headers['x-audit-event-id'],
  ]);
  expect(own[0]).toMatchObject({ seq: rows.length + 1, action: 'audit.export', details: { format: 'ndjson', filters: {} } });
});

test('CSV: header, CRLF, RFC 4180 quoting, JSON columns; hashes recompute from the CSV alone', async () => {
  const res = await get('/v1/audit-events/export?format=csv');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  const [header, ...records] = parseCsv(res.text);
  expect(header).toEqual([...CSV_COLUMNS]);
  const rows = records.map((fields) => {
    const o = Object.fromEntries(header.map((h, i) => [h, fields[i]]));
    return {
      ...o,
      actorRoles: JSON.parse(o.actorRoles),
      patientId: o.patientId || null,
      target: o.target ? JSON.parse(o.target) : null,
      details: JSON.parse(o.details),
    } as AuditRecord;
  });
  expectChain(rows);
  expect(rows.find((r) => r.requestId === 'req-20')).toMatchObject({ actorId: 'svc,"quoted"\r\nline', details: { note: 'a "b", c\nd' } });
});

test('FHIR: one Bundle meeting R4 and BALP rules; the llm.response row folded into its disclosure', async () => {
  const res = await get('/v1/audit-events/export?format=fhir');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
  const bundle = JSON.parse(res.text);
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', id: res.headers['x-audit-event-id'] });
  const events = bundle.entry.map((e: { resource: any }) => e.resource).filter((r: any) => r.resourceType === 'AuditEvent');
  const { rows } = await t.pool.query(
    `SELECT count(*)::int AS n FROM audit_event WHERE action <> 'llm.response' AND seq < (SELECT seq FROM audit_event WHERE id = $1)`,
    [res.headers['x-audit-event-id']],
  );
  expect(events).toHaveLength(rows[0].n);
  expect(new Set(events.map((e: any) => e.type.code))).toEqual(new Set(['rest', '110106', '110101']));
  const disclosure = events.find((e: any) => e.type.code === '110106');
  expect(disclosure).toMatchObject({ outcome: '4', outcomeDesc: '429, HTTP 429' });
  expect(bundleProblems(bundle)).toEqual([]);
});

test('FHIR: llm.response is not a filter there (folded), a 400 that says so', async () => {
  const res = await get('/v1/audit-events/export?format=fhir&action=llm.response');
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/folds llm\.response/);
});

test('time window and filters narrow the export; an empty export is still well-formed', async () => {
  const empty = await get('/v1/audit-events/export?format=fhir&from=2999-01-01');
  expect(JSON.parse(empty.text)).toMatchObject({ resourceType: 'Bundle', entry: [] });
  expect((await get('/v1/audit-events/export?format=csv&to=2000-01-01')).text).toBe(csvLine([...CSV_COLUMNS]));
  const llm = await get('/v1/audit-events/export?action=llm.request');
  const lines = llm.text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ action: 'llm.request', requestId: 'req-21' });
  const fhir = JSON.parse((await get('/v1/audit-events/export?format=fhir&action=llm.request')).text);
  expect(fhir.entry.map((e: any) => e.resource.resourceType)).toEqual(['Patient', 'AuditEvent']);
});

test.each(['format=xml', 'format=csv&format=fhir', 'from=2026-02-01&to=2026-01-01', 'patientId=x', 'x=1'])('%s → 400', async (qs) => {
  const res = await get(`/v1/audit-events/export?${qs}`);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('bad_request');
});

describe('large exports', () => {
  const ROWS = 10_000;
  // A Unix socket: small fixed kernel buffers (TCP loopback autotunes to many MB), so backpressure shows quickly.
  const socketPath = path.join(os.tmpdir(), `shiftnote-export-${process.pid}.sock`);
  let server: http.Server;

  beforeAll(async () => {
    const pad = 'x'.repeat(1000);
    await Promise.all(Array.from({ length: ROWS }, (_, i) => t.audit.append(readEvent(1000 + i, { details: { n: i, pad } }))));
    fs.rmSync(socketPath, { force: true });
    server = t.app.listen(socketPath);
    await new Promise((r) => server.once('listening', r));
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  function open(): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        { socketPath, path: '/v1/audit-events/export?format=ndjson', headers: { Authorization: `Bearer ${officer}` } },
        (res) => resolve({ req, res }),
      );
      req.on('error', reject);
    });
  }

  /** Waits until the server has issued no read query for a while. */
  async function settle(count: () => number): Promise<number> {
    let last = -1;
    while (last !== count()) {
      last = count();
      await new Promise((r) => setTimeout(r, 400));
    }
    return last;
  }

  test('a client that stops reading stops the queries (backpressure); resuming delivers every row', async () => {
    const query = jest.spyOn(t.pool, 'query');
    const { res } = await open();
    // Not reading: the socket fills, res.write() returns false, the server waits for 'drain'.
    const whilePaused = await settle(() => query.mock.calls.length);
    const batches = Math.ceil(ROWS / 1000);
    expect(whilePaused).toBeLessThanOrEqual(3);
    let lines = 0;
    let tail = '';
    res.setEncoding('utf8');
    for await (const chunk of res) {
      const text = tail + chunk;
      const parts = text.split('\n');
      tail = parts.pop()!;
      lines += parts.length;
    }
    expect(tail).toBe('');
    expect(lines).toBeGreaterThanOrEqual(ROWS);
    expect(query.mock.calls.length).toBeGreaterThanOrEqual(batches);
    query.mockRestore();
  }, 60_000);

  test('a client that goes away ends the export: no further queries', async () => {
    const query = jest.spyOn(t.pool, 'query');
    const { req } = await open();
    await settle(() => query.mock.calls.length);
    const logged = logLines.length;
    req.destroy();
    const after = await settle(() => query.mock.calls.length);
    expect(after).toBeLessThanOrEqual(3);
    // Not a failure of ours: nothing logged at error level for it.
    expect(logLines.slice(logged).filter((line) => ['error', 'fatal'].includes(JSON.parse(line).level))).toEqual([]);
    query.mockRestore();
  }, 60_000);
});
