// Prisma CLI configuration: schema, migrations, datasource, and the offline schema engine.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma 7.10's CLI downloads a native schema engine; point it at our WASM bridge instead
// unless an operator supplies the native binary (shared/docs/prisma-offline.md).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'prisma', 'schema-engine.mjs');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // `prisma generate` needs no database; migrate commands need DATABASE_URL.
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/shiftnote',
  },
});
