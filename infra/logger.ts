import pino, { type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../domain/redaction.js';

export type { Logger };

/** The one logger: JSON lines on stdout (or into a file), personal data and credentials redacted. */
export function createLogger(level: string, name = 'lotse', file?: string): Logger {
  const options = { name, level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
  return file ? pino(options, pino.destination({ dest: file, sync: true })) : pino(options);
}
