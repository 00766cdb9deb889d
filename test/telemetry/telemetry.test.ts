// startTelemetry without an exporter configured: nothing starts, nothing is patched, shutdown is a no-op.
import { startTelemetry } from '../../src/telemetry';

test.each([
  ['no OTEL variables', {}],
  ['the SDK disabled', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }],
  ['the traces exporter set to none', { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }],
])('%s → tracing stays off', async (_name, env) => {
  const telemetry = startTelemetry({ serviceName: 'shiftnote', env });
  expect(telemetry.enabled).toBe(false);
  await expect(telemetry.shutdown()).resolves.toBeUndefined();
});
