import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../infra/logger.js';

let installed = false;

/** Pino's level for each of the Temporal SDK's; the one table both directions read. */
const TO_PINO: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the Temporal runtime's logs (SDK, workflow `log`, activity `log` and the
 * native core) into our pino logger. Must run before the first native connection.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const log = logger.child({ component: 'temporal' });
  // Below the configured level the SDK's records are dropped before they are built and handed on.
  Runtime.install({
    logger: new DefaultLogger(temporalLevel(logger.level), ({ level, message, meta }) =>
      log[TO_PINO[level]]({ ...meta }, message),
    ),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}

/** The Temporal SDK's level for pino's: what pino would drop, the SDK does not pass on. */
export function temporalLevel(pinoLevel: string): LogLevel {
  const found = (Object.keys(TO_PINO) as LogLevel[]).find((level) => TO_PINO[level] === pinoLevel);
  return found ?? 'ERROR';
}
