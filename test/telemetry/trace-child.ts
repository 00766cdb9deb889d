// Child process of trace.int.test.ts (and test/http/identifiers.int.test.ts): tracing starts before the app's modules
// load (as in main.ts), then one summary request (or the PATHS given, a JSON array) runs and every finished span is
// written as JSON to SPANS_OUT.
import fs from 'node:fs';
import { context, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '../../src/telemetry';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'shiftnote-trace-test', exporter });

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function run(): Promise<void> {
  // Required only now, so that express, pg and undici load patched.
  const pg = (await import('pg')).default;
  const { AuditWriter, llmAuditHooks } = await import('../../src/audit');
  const { createPrisma } = await import('../../src/db/client');
  const { createApp } = await import('../../src/http/app');
  const { appServices } = await import('../support/app');
  const { hs256Verifier } = await import('../../src/http/auth');
  const { createHttpServer } = await import('../../src/http/server');
  const { createLlmClient, parseLlmConfig } = await import('../../src/llm');
  const { createLogger } = await import('../../src/log');

  const databaseUrl = env('DATABASE_URL');
  const db = createPrisma(databaseUrl, 2);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const audit = new AuditWriter(pool);
  const llm = createLlmClient(parseLlmConfig(env('LLM_YAML'), {}), llmAuditHooks(audit));
  const app = createApp({
    services: appServices({ db, audit, auditPool: pool, completer: llm }),
    logger: createLogger('silent'),
    verifier: hs256Verifier(env('AUTH_JWT_SECRET')),
    defaultDays: 7,
    readiness: { check: async () => ({ ok: true, details: {} }) },
  });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const paths: string[] = process.env.PATHS ? JSON.parse(process.env.PATHS) : [`/v1/patients/${env('PATIENT_ID')}/summary?days=7`];
  const answers: { status: number; requestId: string | null; body: unknown }[] = [];
  for (const [i, p] of paths.entries()) {
    // The test's own call is not traced (the service never calls itself): only the service's spans are checked.
    const answer = await context.with(suppressTracing(context.active()), () =>
      fetch(`http://127.0.0.1:${port}${p}`, {
        headers: { authorization: `Bearer ${env('TOKEN')}`, 'x-request-id': `trace-test-${i + 1}` },
      }),
    );
    const text = await answer.text();
    answers.push({
      status: answer.status,
      requestId: answer.headers.get('x-request-id'),
      body: answer.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text,
    });
  }
  const [{ status, requestId, body }] = answers;

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await audit.close();
  await llm.close();
  await db.$disconnect();
  await pool.end();
  // Read before shutdown: shutting the in-memory exporter down empties it.
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as unknown as { forceFlush(): Promise<void> };
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    scope: s.instrumentationScope.name,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    attributes: s.attributes,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
  }));
  fs.writeFileSync(env('SPANS_OUT'), JSON.stringify({ status, requestId, body, answers, spans }));
  await telemetry.shutdown();
}

run().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`trace-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
