import { describe, expect, it } from 'vitest';
import { temporalLevel } from '../../worker/runtime.js';

describe("the Temporal SDK's logs", () => {
  it('are built from the level pino logs at, not below it', () => {
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map(temporalLevel)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARN',
      'ERROR',
      'ERROR',
      'ERROR',
    ]);
  });
});
