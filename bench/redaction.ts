// Redaction and note screening under hostile text: identifier variants caught, a new patient's cost, pathological notes.
// `npm run bench:redaction` prints three tables; `-- --sizes 16,128,1024` picks the pathological note sizes (KB).
// Each pathological size runs in its own child process with a time limit, so a quadratic scan is reported, not waited for.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { z } from 'zod';
import { AuditWriter } from '../src/audit';
import { prepareWeek, type ChatCompleter, type PatientWeek } from '../src/clinical';
import { buildPrompt } from '../src/clinical/prompt';
import { flagNote } from '../src/clinical/notes';
import { noteRedactor } from '../src/clinical/redact';
import { createPrisma } from '../src/db/client';
import { createApp } from '../src/http/app';
import { appServices } from '../test/support/app';
import { hs256Verifier, mintToken } from '../src/http/auth';
import { createLogger } from '../src/log';
import { allVariants, fieldVariants, identities, leaks, type Variant } from '../test/support/identifier-variants';
import { createBenchDatabase, migrate } from './lib/database';
import { seedDemo } from '../prisma/seed';

const env = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .default('postgresql://postgres@127.0.0.1:5432/postgres'),
    BENCH_CHILD_TIMEOUT_S: z.coerce.number().positive().max(900).default(90),
  })
  .parse(process.env);

const now = new Date('2026-12-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

function weekOf(
  identifiers: PatientWeek['identifiers'],
  notes: { text: string; category?: string }[],
  meds: { drug: string; drugClass: string }[] = [],
): PatientWeek {
  return {
    patientId: '00000000-0000-4000-8000-000000000001',
    window: { from: hoursAgo(168), to: now },
    hypercapnicRespiratoryFailure: false,
    observations: [],
    medications: meds.map((m, i) => ({ orderId: `o${i}`, ...m })),
    administrations: [],
    notes: notes.map((n, i) => ({
      id: `n${i}`,
      authoredAt: hoursAgo(10 + i),
      authorRole: 'nurse',
      category: n.category ?? 'nursing',
      text: n.text,
    })),
    identifiers,
  };
}

const promptOf = (week: PatientWeek) => JSON.stringify(buildPrompt(week, prepareWeek(week, now).facts, { noteExcerptChars: 300 }));

function variantsCaught(): void {
  const rows = new Map<string, { total: number; leaked: number; examples: string[] }>();
  const count = (category: string, v: Variant, prompt: string) => {
    const row = rows.get(category) ?? { total: 0, leaked: 0, examples: [] };
    rows.set(category, row);
    row.total++;
    if (leaks(prompt, v).length) {
      row.leaked++;
      if (row.examples.length < 4 && !row.examples.includes(v.form)) row.examples.push(v.form);
    }
  };
  for (const id of identities) {
    for (const v of allVariants(id)) count(v.category, v, promptOf(weekOf(id, [{ text: `Seen on the ward round: ${v.text}, settled.` }])));
    const fields = fieldVariants(id);
    const prompt = promptOf(
      weekOf(id, [{ text: 'Settled overnight.', category: fields.category }], [{ drug: fields.drug, drugClass: fields.drugClass }]),
    );
    for (const v of fields.variants) count('free-text field', v, prompt);
  }
  let total = 0;
  let leaked = 0;
  console.log('\n## Identifier variants reaching the prompt (4 identities; one note or field each)\n');
  console.log('| category | variants | caught | reached the prompt | e.g. |');
  console.log('|---|---|---|---|---|');
  for (const [category, row] of rows) {
    total += row.total;
    leaked += row.leaked;
    console.log(`| ${category} | ${row.total} | ${row.total - row.leaked} | ${row.leaked} | ${row.examples.join('; ')} |`);
  }
  console.log(`| **all** | ${total} | ${total - leaked} | ${leaked} | |`);
}

const ROUTINE = [
  'Settled overnight, slept well. {name} eating and drinking independently.',
  'Mobilising with frame and one assist. Skin intact, pressure areas checked.',
  'Reviewed on ward round, plan unchanged. Family updated by phone.',
  'Observations stable. Tolerating diet. Bowels opened.',
  '{name} found on the floor beside the bed at 03:10, unwitnessed fall. No head injury reported.',
  'Wound dressing changed, site clean and dry. MRN {mrn} checked.',
  '{name} reports pain 7/10 in the lower back, analgesia given and will reassess.',
  'Escalated to the medical registrar: increasing oxygen requirement. Dr Patel to review.',
];

/** A new patient (names never seen before, so nothing is cached for them): its 8 notes redacted, and its whole prompt. */
function newPatientCost(): void {
  const patient = (k: number) => {
    const ids = {
      givenName: `Given${k.toString(36)}`,
      familyName: `Family${(k * 7919).toString(36)}`,
      mrn: `BEN${String(k).padStart(7, '0')}`,
      birthDate: `19${40 + (k % 50)}-0${1 + (k % 9)}-1${k % 9}`,
      bed: `B${k % 30}`,
    };
    return { ids, notes: ROUTINE.map((t) => t.replace('{name}', `${ids.givenName} ${ids.familyName}`).replace('{mrn}', ids.mrn)) };
  };
  const meds = [
    { drug: 'Apixaban', drugClass: 'anticoagulant' },
    { drug: 'Paracetamol', drugClass: 'analgesic' },
    { drug: 'Insulin glargine', drugClass: 'insulin' },
  ];
  const run = (n: number, offset: number, work: (k: number) => void) => {
    const samples: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const started = process.hrtime.bigint();
      work(offset + i);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    const used = process.cpuUsage(cpu);
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.floor(p * (samples.length - 1))].toFixed(0);
    return `p50 ${q(0.5)} µs, p90 ${q(0.9)} µs, p99 ${q(0.99)} µs; CPU ${((used.user + used.system) / n).toFixed(0)} µs per patient`;
  };
  const notesOnly = (k: number) => {
    const { ids, notes } = patient(k);
    const redact = noteRedactor(ids);
    for (const note of notes) redact(note);
  };
  const wholePrompt = (k: number) => {
    const { ids, notes } = patient(k);
    const week = weekOf(
      ids,
      notes.map((text) => ({ text })),
      meds,
    );
    buildPrompt(week, prepareWeek(week, now).facts, { noteExcerptChars: 300 });
  };
  run(300, 1_000_000, notesOnly); // warm-up: JIT and the shared generic patterns
  run(300, 2_000_000, wholePrompt);
  console.log('\n## A new patient (2,000 patients, each never seen before)\n');
  console.log(`- its 8 notes redacted: ${run(2000, 0, notesOnly)}`);
  console.log(`- its whole prompt (facts, 3 medications, 8 notes): ${run(2000, 3_000_000, wholePrompt)}`);
}

/** A note of `bytes` built from `unit`: every keyword negated (the screen's worst case), identifiers' shapes everywhere. */
function pathological(bytes: number): string {
  const unit = 'No falls. Denies pain, nil safeguarding concerns; not refusing. Dr A. B. 12 34 56 on 4 March, bed 7. ';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

async function timed<T>(fn: () => T | Promise<T>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Child: one size. Screen (flagNote), facts + prompt (redaction), then a read over HTTP with /healthz polled meanwhile. */
async function oneSize(kb: number): Promise<void> {
  const text = pathological(kb * 1024);
  const ids = identities[0];
  const week = weekOf(ids, [{ text }]);
  const screenMs = await timed(() => flagNote(text));
  const promptMs = await timed(() => promptOf(week));

  const database = await createBenchDatabase(env.DATABASE_URL, 'bench_redaction');
  try {
    await migrate(database.url);
    const db = createPrisma(database.url, 4);
    await seedDemo(db);
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    const audit = new AuditWriter(pool);
    const patient = await db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } });
    await db.careNote.create({
      data: { patientId: patient.id, authoredAt: new Date(Date.now() - 3_600_000), authorRole: 'nurse', category: 'nursing', text },
    });
    const completer: ChatCompleter = {
      async complete() {
        return {
          text: JSON.stringify({ sentences: [{ text: 'The patient is being monitored on the ward.', facts: [] }] }),
          provider: 'fake',
          model: 'fake',
        };
      },
    };
    const secret = 'bench-secret-bench-secret-bench-secret-0123';
    const app = createApp({
      services: appServices({ db, audit, auditPool: pool, completer, store: null }),
      logger: createLogger('silent'),
      verifier: hs256Verifier(secret),
      defaultDays: 7,
      readiness: { check: async () => ({ ok: true, details: {} }) },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = await mintToken(secret, { sub: 'bench', roles: ['clinician'] });
    const read = () =>
      fetch(`${base}/v1/patients/${patient.id}/summary`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
    await read(); // warm-up
    let reading = true;
    const health: number[] = [];
    const poll = (async () => {
      while (reading) {
        health.push(await timed(() => fetch(`${base}/healthz`).then((r) => r.text())));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const reads: number[] = [];
    for (let i = 0; i < 3; i++) reads.push(await timed(read));
    reading = false;
    await poll;
    server.close();
    await audit.close();
    await pool.end();
    await db.$disconnect();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      JSON.stringify({ kb, screenMs, promptMs, readMs: median(reads), healthzMaxMs: Math.max(...health), healthzP50Ms: median(health) }),
    );
  } finally {
    await database.drop();
  }
}

async function pathologicalNotes(sizes: number[]): Promise<void> {
  console.log(
    `\n## One pathological note (every keyword negated, identifier shapes throughout); each size in a child, ${env.BENCH_CHILD_TIMEOUT_S} s limit\n`,
  );
  console.log(
    '| note | screen (flagNote) ms | facts + prompt ms | summary read over HTTP ms (median of 3) | /healthz during the reads: p50 / max ms |',
  );
  console.log('|---|---|---|---|---|');
  for (const kb of sizes) {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--one', String(kb)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), env.BENCH_CHILD_TIMEOUT_S * 1000);
    const started = Date.now();
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    const line = out.trim().split('\n').pop() ?? '';
    const label = kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`;
    try {
      const r = JSON.parse(line) as { screenMs: number; promptMs: number; readMs: number; healthzP50Ms: number; healthzMaxMs: number };
      console.log(
        `| ${label} | ${r.screenMs.toFixed(1)} | ${r.promptMs.toFixed(1)} | ${r.readMs.toFixed(0)} | ${r.healthzP50Ms.toFixed(1)} / ${r.healthzMaxMs.toFixed(0)} |`,
      );
    } catch {
      console.log(`| ${label} | did not finish in ${((Date.now() - started) / 1000).toFixed(0)} s | | | |`);
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') return oneSize(Number(args[1]));
  const sizesArg = args.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [16, 128, 1024];
  console.log(`bench:redaction on Node ${process.version}, ${new Date().toISOString()}`);
  variantsCaught();
  newPatientCost();
  await pathologicalNotes(sizes);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
