// A throw-away benchmark database on the local PostgreSQL: create, migrate, seed (demo + clones), drop.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrisma } from '../../src/db/client';
import { migrateDeploy } from '../../src/db/migrate';
import { seedDemo } from '../../prisma/seed';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Same database through another host:port (e.g. a counting proxy). */
  urlVia(port: number): string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string, port?: number): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (port !== undefined) {
    u.hostname = '127.0.0.1';
    u.port = String(port);
  }
  return u.toString();
}

/** CREATE DATABASE bench_service_<random>; `drop()` terminates its connections and drops it (idempotent). */
export async function createBenchDatabase(adminUrl: string, prefix = 'bench_service'): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  let dropped = false;
  return {
    name,
    url: withDatabase(adminUrl, name),
    urlVia: (port) => withDatabase(adminUrl, name, port),
    async drop() {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function migrate(url: string): Promise<void> {
  await migrateDeploy(url);
}

export interface SeedInfo {
  demoPatients: number;
  benchWards: { id: string; code: string; patientIds: string[] }[];
  /** Every patient id (demo + clones), in a fixed order. */
  patientIds: string[];
}

/**
 * The demo (2 wards × 12 patients, 7 days) plus `clones` patients copied from the demo patients in SQL
 * (new ids for every row; same clinical data), in bench wards of `wardSize` beds (codes B1, B2, …).
 */
export async function seed(url: string, clones: number, wardSize = 30): Promise<SeedInfo> {
  const db = createPrisma(url, 2);
  try {
    await seedDemo(db);
  } finally {
    await db.$disconnect();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const wards = Math.ceil(clones / wardSize);
    await client.query('BEGIN');
    // Deterministic RFC 4122-shaped ids (version 4, variant 10): the API validates UUIDs strictly.
    await client.query(
      `CREATE FUNCTION pg_temp.bench_uuid(text) RETURNS uuid IMMUTABLE LANGUAGE sql AS
         $$ SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid FROM md5($1) AS h $$`,
    );
    await client.query(
      `INSERT INTO ward (id, code, name)
       SELECT pg_temp.bench_uuid('bench-ward-' || w), 'B' || w, 'Bench ward ' || w FROM generate_series(1, $1::int) w`,
      [wards],
    );
    // Every clone gets its own family name and birth date (as real patients have): redaction builds its patterns
    // from them, and patterns shared by every clone would flatter it. Its notes name it (and its MRN) instead of its source's.
    await client.query(
      `CREATE TEMP TABLE clone_map (k int PRIMARY KEY, new_id uuid NOT NULL, src_id uuid NOT NULL,
                                    src_name text NOT NULL, src_mrn text NOT NULL, given text NOT NULL, family text NOT NULL, birth date NOT NULL) ON COMMIT DROP`,
    );
    await client.query(
      `INSERT INTO clone_map (k, new_id, src_id, src_name, src_mrn, given, family, birth)
       SELECT k, pg_temp.bench_uuid('bench-patient-' || k), s.id, s.given_name || ' ' || s.family_name, s.mrn, s.given_name,
              s.family_name || translate(lpad(to_hex(k), 4, '0'), '0123456789abcdef', 'abcdefghijklmnop'),
              s.birth_date + ((k * 37) % 3650)
         FROM generate_series(1, $1::int) k
         JOIN (SELECT id, mrn, given_name, family_name, birth_date, row_number() OVER (ORDER BY bed) - 1 AS i, count(*) OVER () AS n FROM patient) s
           ON s.i = (k - 1) % s.n`,
      [clones],
    );
    await client.query(
      `INSERT INTO patient (id, mrn, given_name, family_name, birth_date, ward_id, bed, hypercapnic_respiratory_failure)
       SELECT c.new_id, 'BEN' || lpad(c.k::text, 7, '0'), c.given, c.family, c.birth,
              pg_temp.bench_uuid('bench-ward-' || ((c.k - 1) / $1::int + 1)),
              'B' || ((c.k - 1) / $1::int + 1) || '-B' || lpad(((c.k - 1) % $1::int + 1)::text, 2, '0'),
              p.hypercapnic_respiratory_failure
         FROM clone_map c JOIN patient p ON p.id = c.src_id`,
      [wardSize],
    );
    // Child tables: same rows with ids derived from (old id, clone number); order ids map the same way.
    for (const table of ['vital_sign_observation', 'medication_order', 'medication_administration', 'care_note']) {
      const { rows } = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const cols = rows.map((r) => r.column_name);
      const exprs = cols.map((c) =>
        c === 'id' || c === 'order_id'
          ? `pg_temp.bench_uuid(t.${c}::text || ':' || m.k)`
          : c === 'patient_id'
            ? 'm.new_id'
            : table === 'care_note' && c === 'text'
              ? `replace(replace(t.text, m.src_name, m.given || ' ' || m.family), m.src_mrn, 'BEN' || lpad(m.k::text, 7, '0'))`
              : `t."${c}"`,
      );
      await client.query(
        `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')})
         SELECT ${exprs.join(', ')} FROM clone_map m JOIN ${table} t ON t.patient_id = m.src_id`,
      );
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
    const { rows: demo } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM patient WHERE mrn NOT LIKE 'BEN%'`);
    const { rows: all } = await client.query<{ id: string; code: string | null; ward_id: string }>(
      `SELECT p.id, w.code, p.ward_id FROM patient p JOIN ward w ON w.id = p.ward_id ORDER BY p.mrn`,
    );
    const byWard = new Map<string, { id: string; code: string; patientIds: string[] }>();
    for (const r of all) {
      if (!r.code?.startsWith('B')) continue;
      const w = byWard.get(r.ward_id) ?? { id: r.ward_id, code: r.code, patientIds: [] };
      w.patientIds.push(r.id);
      byWard.set(r.ward_id, w);
    }
    const benchWards = [...byWard.values()].sort((a, b) => Number(a.code.slice(1)) - Number(b.code.slice(1)));
    return { demoPatients: demo[0].n, benchWards, patientIds: all.map((r) => r.id) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
