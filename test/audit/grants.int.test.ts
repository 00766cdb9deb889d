// The production grant (README): the app role can append and read audit rows, and nothing else — not even past the triggers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AuditWriter, verifyChain } from '../../src/audit';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { withDatabase } from '../support/postgres';
import { readEvent } from './fixtures';

const role = `shiftnote_app_${randomBytes(4).toString('hex')}`;

/** The README's grant, verbatim but for the role name. */
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
