// Preload: starts tracing before any instrumented module loads. Import it first in main.ts (or `node --require`).
import { startTelemetry } from './telemetry';

export const telemetry = startTelemetry({ serviceName: 'shiftnote' });
