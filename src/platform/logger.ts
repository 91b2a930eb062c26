import { pino, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';
import { serializeRequest } from './log-redaction.js';

export type { Logger };

/**
 * Paths that may carry secrets. pino replaces them before a line is written, so neither a token,
 * a password nor a session cookie reaches the log whatever a caller passes in.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function loggerOptions(level: Config['log']['level']): LoggerOptions {
  // The req serializer redacts the URL: Fastify's own lines (errors, refused requests) log the request with it.
  return { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { req: serializeRequest } };
}

export function createLogger(level: Config['log']['level']): Logger {
  return pino(loggerOptions(level));
}
