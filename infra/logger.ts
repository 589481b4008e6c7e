import pino, { type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../domain/redaction.js';

export type { Logger };

/** The one logger: JSON lines, personal data and credentials redacted. */
export function createLogger(level: string, name = 'lotse'): Logger {
  return pino({ name, level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } });
}
