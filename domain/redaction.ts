/**
 * Personal data and secrets that must never reach a log line. Paths in pino's
 * redact syntax; they cover an enquiry logged whole, nested one level, and the
 * request headers that carry credentials.
 */
export const LOG_REDACT_PATHS = [
  'contact',
  '*.contact',
  '*.*.contact',
  'company.name',
  '*.company.name',
  'email',
  'phone',
  'token',
  'secret',
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'headers.authorization',
  'headers["webhook-signature"]',
];
