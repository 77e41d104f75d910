import { pino, type Logger } from 'pino';
import { prettyTransport } from './pretty-transport.js';
import { REDACT_PATHS } from './redact-paths.js';

export interface LogSettings {
  env: string;
  level: string;
}

/** The application's one pino logger: Nest's logs (through nestjs-pino) and the access log write to it. */
export function createAppLogger(settings: LogSettings): Logger {
  return pino({
    level: settings.level,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    transport: prettyTransport(settings.env),
  });
}
