import { UUID_PATTERN } from '../../platform/uuid.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { toAppError } from '../../http/error-handler.js';
import { AppError, invalid } from '../../platform/errors.js';

/**
 * The pull agent's side of HTTP: form bodies in, `key=value` lines out (docs/agent-protocol.md), since
 * a stock OpenWrt has no JSON parser for shell scripts. Errors keep their status and code, written as
 * lines too (`detail=`, `code=`, `retry_after=` on 429).
 */

/** Form bodies of the agent's POSTs (a small limit: the fields are short). */
const FORM_BODY_LIMIT = 64 * 1024;

/** The values of an answer: a list is sent as one line per item, with the same key, in order. */
export type AnswerValues = Record<string, string | number | readonly string[]>;

/** One `key=value` per line; a value never holds a newline (cut at the first one). */
export function keyValueLines(values: AnswerValues): string {
  return Object.entries(values)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map((item) => `${key}=${String(item).split(/[\r\n]/)[0]}`),
    )
    .join('\n')
    .concat('\n');
}

export function sendLines(reply: FastifyReply, values: AnswerValues, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(keyValueLines(values));
}

/**
 * Registers, for the routes of the plugin it is called in only, the form-urlencoded body parser and
 * the error answer in lines.
 */
export function registerAgentHttp(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (!appError || appError.status >= 500) request.log.error({ err: error }, 'agent request failed');
    else request.log.info({ code: appError.code, detail: appError.message }, 'agent request refused');
    const answer =
      appError ?? new AppError('InternalError', `Internal error: the server log holds request id ${request.id}.`);
    for (const name of ['content-disposition', 'etag', 'accept-ranges', 'content-range']) reply.removeHeader(name);
    if (answer.headers) reply.headers(answer.headers);
    const retryAfter = answer.headers?.['retry-after'];
    return sendLines(
      reply,
      { detail: answer.message, code: answer.code, ...(retryAfter ? { retry_after: retryAfter } : {}) },
      answer.status,
    );
  });
}

/** Reads the agent's form fields, each checked against a rule; a failing one is a 400 naming it. */
export class FormFields {
  constructor(private readonly body: unknown) {
    if (typeof body !== 'object' || body === null)
      throw invalid('Send the fields as an application/x-www-form-urlencoded body.', { body: 'missing' });
  }

  private raw(name: string): string | undefined {
    const value = (this.body as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A field that must be present and match `pattern`. */
  required(name: string, pattern: RegExp, what: string): string {
    const value = this.raw(name)?.trim();
    if (!value)
      throw invalid(`The field "${name}" is missing: it must be ${what}.`, { [name]: 'This field is required.' });
    if (!pattern.test(value))
      throw invalid(`The field "${name}" is malformed: it must be ${what}.`, { [name]: `Must be ${what}.` });
    return value;
  }

  /** A field that may be absent or empty (""), else must match `pattern`. */
  optional(name: string, pattern: RegExp, what: string): string {
    const value = this.raw(name)?.trim() ?? '';
    if (value !== '' && !pattern.test(value))
      throw invalid(`The field "${name}" is malformed: it must be ${what}.`, { [name]: `Must be ${what}.` });
    return value;
  }

  /** Free text, cut at `max` characters, one line. */
  text(name: string, max: number): string {
    return (this.raw(name) ?? '').replace(/[\r\n]+/g, ' ').slice(0, max);
  }
}

/** Field rules shared by the endpoints. */
export const RULES = {
  token: { pattern: /^ffa_[\w-]{20,100}$/, what: 'the device token the enrollment gave (ffa_…)' },
  uuid: {
    pattern: UUID_PATTERN,
    what: 'an operation id (a UUID)',
  },
  bootId: { pattern: /^[\w-]{1,64}$/, what: 'the boot id of /proc/sys/kernel/random/boot_id' },
  release: { pattern: /^[\w.+~-]{1,64}$/, what: 'a release version such as 23.05.2' },
  revision: { pattern: /^[\w.+~-]{1,64}$/, what: 'a revision such as r23630-842932a63d' },
  version: { pattern: /^[\w.+~-]{1,32}$/, what: 'the agent version, such as 1.0' },
  phase: { pattern: /^[a-z]{1,20}$/, what: "the agent's phase of the operation, such as ready" },
  seconds: { pattern: /^\d{1,5}$/, what: 'a number of seconds' },
  word: { pattern: /^[^\r\n]{1,200}$/, what: 'one line of at most 200 characters' },
} as const;
