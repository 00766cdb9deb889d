// The service logger: pino JSON lines. Never log PHI: ids and counts only.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'shiftnote' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Belt and braces: these keys must never carry secrets or PHI into a log line.
      redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'apiKey', '*.apiKey', 'token'], censor: '[redacted]' },
    },
    destination,
  );
}
