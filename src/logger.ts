import pino from 'pino';
import type { Logger } from './ports/logger';

/** Paths whose values never reach a log line, whatever object they are nested in (up to two levels). */
const REDACTED_PATHS = [
  'password',
  'appPassword',
  'MicrosoftAppPassword',
  'token',
  'accessToken',
  'authorization',
  'secret',
  'clientSecret',
  '*.password',
  '*.appPassword',
  '*.MicrosoftAppPassword',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.Authorization',
  '*.secret',
  '*.clientSecret',
  '*.*.password',
  '*.*.token',
  '*.*.authorization',
  '*.*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'adminUser.password',
  '*.adminUser.password',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Where JSON lines go; defaults to stdout. Tests pass a buffer. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { app: 'lab-gallery-bot' },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.format === 'pretty') {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(base);
}
