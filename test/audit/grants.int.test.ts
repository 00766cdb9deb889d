// The production grant (docs/audit.md): the app role can append and read audit rows, and nothing else — not even past the triggers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AuditWriter, canonicalJson, verifyChain } from '../../src/audit';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { withDatabase } from '../support/postgres';
import { readEvent } from './fixtures';

const role = `shiftnote_app_${randomBytes(4).toString('hex')}`;

/** The grant in docs/audit.md, verbatim but for the role name. */
const GRANT = `
  REVOKE ALL ON audit_event, audit_chain_head FROM PUBLIC;
  GRANT USAGE ON SCHEMA public TO ${role};
  GRANT SELECT ON audit_event, audit_chain_head TO ${role};
  GRANT EXECUTE ON FUNCTION audit_append(jsonb) TO ${role};
`;

let database: TestDatabase;
let admin: pg.Client;
let appPool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await admin.query(GRANT);
  const url = new URL(database.url);
  url.username = role;
  appPool = new pg.Pool({ connectionString: url.toString(), max: 2 });
});

afterAll(async () => {
  await appPool.end();
  await admin.end();
  await database.drop();
  const server = new pg.Client({ connectionString: withDatabase(database.url, 'postgres') });
  await server.connect();
  await server.query(`DROP ROLE IF EXISTS ${role}`);
  await server.end();
});

test('the app role appends, reads and verifies', async () => {
  const writer = new AuditWriter(appPool);
  await Promise.all(Array.from({ length: 20 }, (_, i) => writer.append(readEvent(i))));
  await writer.close();
  await expect(verifyChain(appPool)).resolves.toMatchObject({ ok: true, checked: 20 });
});

test.each([
  ['UPDATE', `UPDATE audit_event SET outcome = 'minor_failure'`, /permission denied/],
  ['DELETE', 'DELETE FROM audit_event', /permission denied/],
  ['TRUNCATE', 'TRUNCATE audit_event', /permission denied/],
  ['disabling the triggers', 'ALTER TABLE audit_event DISABLE TRIGGER USER', /must be owner/],
  ['bypassing the triggers', 'SET session_replication_role = replica', /permission denied/],
  ['deleting the chain head', 'DELETE FROM audit_chain_head', /permission denied/],
  ['moving the chain head', `UPDATE audit_chain_head SET hash = repeat('f', 64)`, /permission denied/],
  [
    'inserting a row past audit_append()',
    `INSERT INTO audit_event (id, seq, recorded_at, action, outcome, actor_id, purpose_of_use, request_id, details, prev_hash, hash)
     VALUES (gen_random_uuid(), 999999, now(), 'summary.read', 'success', 'forger', 'TREAT', 'r', '{}', 'x', 'y')`,
    /permission denied/,
  ],
])('the app role is refused %s', async (_what, sql, error) => {
  await expect(appPool.query(sql)).rejects.toThrow(error);
});

describe('a forged append by the app role is refused: audit_append() stores only what it hashes', () => {
  const R = '\u0000R';
  const S = '\u0000S';
  const fields = {
    id: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    action: 'summary.read',
    outcome: 'success',
    actorId: 'clin-1',
    actorRoles: ['clinician'],
    patientId: '7d1f3c2e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
    purposeOfUse: 'TREAT',
    requestId: 'req-1',
    target: null,
    details: { windowDays: 7, grounded: true, latencyMs: 12.5 },
  };
  /** The writer's three pieces of a row's canonical JSON (around recordedAt and seq), from any text. */
  const piecesOf = (text: string) => {
    const [head, rest] = text.split(JSON.stringify(R));
    const [middle, tail] = rest.split(JSON.stringify(S));
    return { head, middle, tail };
  };
  const canonical = (f: Record<string, unknown>) => canonicalJson({ ...f, recordedAt: R, seq: S });
  const append = (pieces: unknown) => appendPool.query('SELECT * FROM audit_append($1::jsonb)', [JSON.stringify([pieces])]);
  let appendPool: pg.Pool;
  beforeAll(() => {
    appendPool = appPool;
  });

  test.each([
    ['whitespace in the text', piecesOf(canonical(fields).replace('"action":', '"action": '))],
    [
      'keys out of order',
      piecesOf(canonical(fields).replace('{"action":"summary.read","actorId":"clin-1"', '{"actorId":"clin-1","action":"summary.read"')),
    ],
    ['an extra key', piecesOf(canonical({ ...fields, zzz: 1 }))],
    ['a missing key', piecesOf(canonical({ ...fields, target: undefined }))],
    [
      'a duplicate key (the later one would be stored)',
      piecesOf(canonical(fields).replace('"actorId":"clin-1"', '"actorId":"clin-1","actorId":"forger"')),
    ],
    ['a text field of another type', piecesOf(canonical({ ...fields, actorId: 42 }))],
    ['roles that are not strings', piecesOf(canonical({ ...fields, actorRoles: [1] }))],
    ['an upper-case id', piecesOf(canonical({ ...fields, id: fields.id.toUpperCase() }))],
    ['an escaped character that need not be', piecesOf(canonical(fields).replace('"clin-1"', '"\\u0063lin-1"'))],
    ['a number spelled otherwise', piecesOf(canonical(fields).replace('"windowDays":7', '"windowDays":7.0'))],
    ['a number more precise than a double', piecesOf(canonical(fields).replace('"latencyMs":12.5', '"latencyMs":12.50000000000000000001'))],
    [
      'splice points moved (a clock of its own, the real one in another field)',
      {
        head: '{"action":"summary.read","actorId":',
        middle:
          ',"actorRoles":["clinician"],"details":{},"id":"3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b","outcome":"success","patientId":null,"purposeOfUse":"TREAT","recordedAt":"2020-01-01T00:00:00.000000Z","requestId":',
        tail: ',"target":null}',
      },
    ],
    ['fields sent beside the pieces, without pieces', { ...fields }],
    ['not JSON', { head: '{', middle: '', tail: '' }],
  ])('%s', async (_what, pieces) => {
    const before = await admin.query('SELECT seq::text, hash FROM audit_chain_head');
    await expect(append(pieces)).rejects.toThrow(/audit row/);
    expect((await admin.query('SELECT seq::text, hash FROM audit_chain_head')).rows).toEqual(before.rows);
  });

  test('fields sent beside honest pieces are ignored: the stored row is the hashed one, and the chain verifies', async () => {
    const pieces = piecesOf(canonical(fields));
    const { rows } = await append({ ...pieces, ...fields, actorId: 'forger', details: { forged: true } });
    const { rows: stored } = await admin.query('SELECT actor_id, details FROM audit_event WHERE id = $1', [rows[0].id]);
    expect(stored).toEqual([{ actor_id: 'clin-1', details: fields.details }]);
    await expect(verifyChain(appPool)).resolves.toMatchObject({ ok: true });
  });

  test('an empty batch only probes the head lock: nothing is appended', async () => {
    const before = await admin.query('SELECT seq::text, hash FROM audit_chain_head');
    await expect(appPool.query(`SELECT * FROM audit_append('[]'::jsonb)`)).resolves.toMatchObject({ rowCount: 0 });
    expect((await admin.query('SELECT seq::text, hash FROM audit_chain_head')).rows).toEqual(before.rows);
  });
});
