#!/usr/bin/env node
// Plays Prisma's native `schema-engine` executable with Prisma's own WASM schema engine,
// so generate/migrate work with no binary download (see shared/docs/prisma-offline.md).
// The Prisma CLI runs this file because prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY at it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const pg = require('pg');
const { enginesVersion } = require('@prisma/engines-version');

// adapter-pg 7.10 cannot deserialize PostgreSQL's internal "char" (OID 18), which the
// engine's catalog queries return: present those columns as text.
const addFields = pg.Result.prototype.addFields;
pg.Result.prototype.addFields = function (fields) {
  for (const f of fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
  return addFields.call(this, fields);
};

function fail(message, errorCode) {
  process.stdout.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level: 'ERROR',
      fields: { message, error_code: errorCode },
      target: 'schema_engine_cli',
    }) + '\n',
  );
  process.exit(1);
}

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--datamodels') out.datamodels.push(argv[++i]);
    else if (a === '--datasource') out.datasource = JSON.parse(argv[++i]);
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
    else out.rest.push(a);
  }
  return out;
}

// pg lets a connection string override `database`; give the parts separately (trap 1).
function pgConfig(url, database) {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: database ?? decodeURIComponent(u.pathname.slice(1) || 'postgres'),
    ssl: /sslmode=(require|verify)/.test(u.search) ? { rejectUnauthorized: false } : undefined,
  };
}

function pgErrorCode(err) {
  if (err && err.code === '3D000') return 'P1003';
  if (err && (err.code === '28P01' || err.code === '28000')) return 'P1000';
  return 'P1001';
}

async function withAdmin(url, fn) {
  const client = new pg.Client(pgConfig(url, 'postgres'));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function cliCommand(command, url) {
  const dbName = pgConfig(url).database;
  try {
    if (command === 'can-connect-to-database') {
      const c = new pg.Client(pgConfig(url));
      await c.connect();
      await c.end();
      process.stdout.write('Connection successful\n');
    } else if (command === 'create-database') {
      await withAdmin(url, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`));
      process.stdout.write(`Database '${dbName}' was successfully created.\n`);
    } else if (command === 'drop-database') {
      await withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`));
      process.stdout.write(`The database '${dbName}' was successfully dropped.\n`);
    } else {
      fail(`unsupported command ${command}`, 'P1012');
    }
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), pgErrorCode(err));
  }
  process.exit(0);
}

// The WASM glue reports Rust panics through this global; keep the last message for the reply.
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  message: undefined,
  set_message(message) {
    this.message = message;
  },
};

async function loadEngine() {
  const pkgDir = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/schema_engine_bg\.js$/, '');
  const glue = await import(pkgDir + 'schema_engine_bg.js');
  const bytes = readFileSync(pkgDir + 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// adapter-pg 7.10 splits scripts on every ";", which breaks PL/pgSQL bodies in migrations.
// Send the script whole: PostgreSQL runs a multi-statement simple query as one transaction.
function wholeScripts(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (err) {
      adapter.onError(err);
    }
  };
  return adapter;
}

function adapterFactory(url, shadowUrl) {
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const main = new PrismaPg(pgConfig(url));
  const factory = {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => wholeScripts(await main.connect()),
    // adapter-pg drops the shadow database while still connected to it (trap 2):
    // create it here and drop it only after the pool is closed.
    async connectToShadowDb() {
      if (shadowUrl) return wholeScripts(await new PrismaPg(pgConfig(shadowUrl)).connect());
      const database = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
      await withAdmin(url, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`));
      const adapter = wholeScripts(await new PrismaPg(pgConfig(url, database)).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`));
      };
      return adapter;
    },
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}

function rpcError(err) {
  const registry = globalThis.PRISMA_WASM_PANIC_REGISTRY;
  const panic = registry.message === undefined ? undefined : { message: registry.message };
  registry.message = undefined;
  const message = err?.message ?? (typeof err === 'string' ? err : JSON.stringify(err));
  const errorCode = err?.error_code ?? err?.code;
  return {
    code: 4466,
    message: 'An error happened. Check the data field for details.',
    data: {
      is_panic: Boolean(panic),
      message: panic?.message ?? message,
      backtrace: null,
      ...(typeof errorCode === 'string' && /^P\d{4}$/.test(errorCode) ? { error_code: errorCode, meta: err.meta ?? {} } : {}),
    },
  };
}

async function rpcServer(args) {
  const glue = await loadEngine();
  const datamodels = args.datamodels.map((p) => [p, readFileSync(p, 'utf8')]);
  const url = args.datasource?.url;
  if (!url) fail('no datasource url given to the schema engine', 'P1012');
  const log = (line) => process.stderr.write(String(line) + '\n');
  const engine = await glue.SchemaEngine.new({ datamodels }, log, adapterFactory(url, args.datasource.shadowDatabaseUrl));

  const rl = readline.createInterface({ input: process.stdin });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    if (!line.trim()) return;
    // Answer requests in order, one at a time.
    chain = chain.then(async () => {
      const req = JSON.parse(line);
      const method = req.method === 'getDatabaseVersion' ? 'version' : req.method;
      let reply;
      try {
        if (typeof engine[method] !== 'function') throw new Error(`unknown method ${req.method}`);
        const result = await engine[method](req.params);
        reply = { jsonrpc: '2.0', id: req.id, result: result === undefined ? null : result };
      } catch (err) {
        reply = { jsonrpc: '2.0', id: req.id, error: rpcError(err) };
      }
      process.stdout.write(JSON.stringify(reply) + '\n');
    });
    chain.catch((err) => {
      process.stderr.write(`schema-engine bridge: ${err?.stack ?? err}\n`);
      process.exit(1);
    });
  });
  rl.on('close', () => chain.finally(() => process.exit(0)));
}

for (const event of ['unhandledRejection', 'uncaughtException']) {
  process.on(event, (err) => {
    const panic = globalThis.PRISMA_WASM_PANIC_REGISTRY.message;
    process.stderr.write(`schema-engine bridge: ${panic ? `engine panic: ${panic}\n` : ''}${err?.stack ?? err}\n`);
    process.exit(1);
  });
}

const argv = process.argv.slice(2);
if (argv.includes('--version')) {
  process.stdout.write(`schema-engine-cli ${enginesVersion}\n`);
  process.exit(0);
}
const args = parseArgs(argv);
if (args.rest[0] === 'cli') {
  await cliCommand(args.rest[1], args.datasource?.url);
} else {
  await rpcServer(args);
}
