import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { BuildRequestRefused } from './build.service.js';
import { UpstreamUnavailable } from './upstream.js';

/**
 * How the ASU routes present errors. It is the one place that differs from the app's error handler
 * (src/http/error-handler.ts), and on purpose: ASU clients (LuCI, owut, auc, the firmware
 * selector) parse ASU's own shapes — `{status, detail}` with upper-case codes, and FastAPI's 422
 * with a list of `{type, loc, msg}` where the app answers 400 `{detail, code, fields}`. Everything
 * that is not an ASU refusal, a schema failure, a body failure or an AppError is logged and
 * answered as the app does, in ASU's shape.
 */

export const BODY_LIMIT = 256 * 1024;

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const ISSUE_TYPES: Record<string, string> = {
  required: 'missing',
  pattern: 'string_pattern_mismatch',
  maxLength: 'string_too_long',
  minLength: 'string_too_short',
  minimum: 'greater_than_equal',
  maximum: 'less_than_equal',
  maxItems: 'too_long',
  maxProperties: 'too_long',
  enum: 'literal_error',
  const: 'literal_error',
  anyOf: 'literal_error',
  propertyNames: 'string_pattern_mismatch',
};

/**
 * FastAPI-style 422 details (what ASU clients print): `{type, loc, msg}`, never echoing the input
 * (it may hold secrets).
 */
function validationDetails(issues: AjvIssue[]): { type: string; loc: (string | number)[]; msg: string }[] {
  const seen = new Set<string>();
  const details: { type: string; loc: (string | number)[]; msg: string }[] = [];
  for (const issue of issues) {
    const loc: (string | number)[] = [
      'body',
      ...issue.instancePath
        .split('/')
        .filter(Boolean)
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
    ];
    if (issue.keyword === 'required') loc.push(String(issue.params?.missingProperty));
    if (issue.keyword === 'propertyNames' && issue.params?.propertyName) loc.push(String(issue.params.propertyName));
    // A failed union reports each branch; the `null` branch of nullable fields is noise.
    if (issue.keyword === 'type' && issue.params?.type === 'null') continue;
    const key = loc.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    const msg =
      issue.keyword === 'required'
        ? 'Field required'
        : issue.keyword === 'pattern'
          ? `String should match pattern '${String(issue.params?.pattern)}' ` +
            '(ASCII letters, digits, _ . , - only; no spaces, quotes, $, ( or leading -)'
          : `${(issue.message ?? 'is invalid').replace(/^must/, 'Input should')}`;
    details.push({
      type: ISSUE_TYPES[issue.keyword] ?? `${String(issue.params?.type ?? issue.keyword)}_type`,
      loc,
      msg,
    });
  }
  return details;
}

/** An answer in ASU's error shape: `{status, detail, ...extra}`. */
export function sendRefused(
  reply: FastifyReply,
  status: number,
  detail: unknown,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return reply
    .code(status)
    .headers(headers)
    .type('application/json; charset=utf-8')
    .send({ status, detail, ...extra });
}

const invalidRequest = (reply: FastifyReply, detail: unknown) =>
  sendRefused(reply, 422, detail, { code: 'INVALID_REQUEST' });

export function presentAsuError(
  error: FastifyError & { validation?: AjvIssue[] },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof BuildRequestRefused)
    return sendRefused(reply, error.status, error.message, { code: error.code, ...error.extra }, error.headers);
  if (Array.isArray(error.validation)) return invalidRequest(reply, validationDetails(error.validation));
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return invalidRequest(reply, [{ type: 'missing', loc: ['body'], msg: 'Field required' }]);
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
    return invalidRequest(reply, [
      { type: 'json_invalid', loc: ['body'], msg: 'JSON decode error: the body is not valid JSON' },
    ]);
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendRefused(reply, 413, `The request body is larger than ${BODY_LIMIT} bytes.`, {
      code: 'PAYLOAD_TOO_LARGE',
    });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendRefused(reply, 415, 'Send the build request as application/json.', { code: 'UNSUPPORTED_MEDIA_TYPE' });
  }
  if (error instanceof UpstreamUnavailable) {
    return sendRefused(
      reply,
      503,
      `The OpenWrt download server cannot be reached (${error.message}). Try again later.`,
      { code: 'UPSTREAM_UNAVAILABLE' },
      { 'retry-after': '60' },
    );
  }
  if (error instanceof AppError)
    return sendRefused(reply, error.status, error.message, { code: error.code }, error.headers ?? {});
  request.log.error({ err: error }, 'unexpected error');
  return sendRefused(reply, 500, `Internal error: the server log holds the details under request id ${request.id}.`, {
    code: 'InternalError',
  });
}
