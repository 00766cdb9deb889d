// OpenTelemetry tracing: HTTP server, Express, undici (LLM calls) and Prisma spans, exported per the OTEL_* variables.
// Start it before express, pg or undici are first required: instrumentation patches modules as they load.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { PrismaInstrumentation } from '@prisma/instrumentation';

export interface Telemetry {
  /** Whether spans are recorded at all (an exporter is configured). */
  enabled: boolean;
  /** Flushes pending spans and stops, giving up after `timeoutMs` (an unreachable collector must not block exit). */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface TelemetryOptions {
  serviceName: string;
  /** Tests pass an in-memory exporter; otherwise the OTEL_* variables decide. */
  exporter?: SpanExporter;
  env?: NodeJS.ProcessEnv;
}

// Probes and scrapes every few seconds would drown the traces that matter.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The documented route pattern the app recorded for this response (`/v1/patients/{patientId}/summary`), or `unmatched`. */
function routeTemplate(res: ServerResponse): string {
  const route = (res as ServerResponse & { locals?: { route?: unknown } }).locals?.route;
  return typeof route === 'string' ? route : 'unmatched';
}

function exporterConfigured(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER);
}

export function startTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  // No endpoint → no SDK at all: nothing patched, nothing sent to a default localhost collector.
  if (!options.exporter && !exporterConfigured(env)) return { enabled: false, shutdown: async () => undefined };

  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? options.serviceName,
    // With an explicit exporter, export each span as it ends (tests read them at once); otherwise the SDK
    // builds batch processors from OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_* itself.
    ...(options.exporter ? { spanProcessors: [new SimpleSpanProcessor(options.exporter)] } : {}),
    // Traces only: metrics are prom-client's job (/metrics), and logs are pino lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
        // The raw path names patients and the query carries audit filters: neither becomes an attribute. The
        // server span's url.path is its route template instead, set once the route is known (at the end).
        startIncomingSpanHook: () => ({ 'url.path': undefined, 'url.query': undefined }),
        applyCustomAttributesOnSpan: (span, _req, res) => {
          if (!(res as ServerResponse & { locals?: unknown }).locals) return; // an outgoing call: its URL is the provider's
          span.setAttribute('url.path', routeTemplate(res as ServerResponse));
        },
      }),
      // Middleware spans (helmet, json, auth...) add noise, not insight; routers and handlers stay.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new UndiciInstrumentation(),
      new PrismaInstrumentation(),
    ],
  });
  sdk.start();
  return {
    enabled: true,
    async shutdown(timeoutMs = 3000) {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref()));
      await Promise.race([sdk.shutdown().catch(() => undefined), giveUp]);
      clearTimeout(timer);
    },
  };
}
