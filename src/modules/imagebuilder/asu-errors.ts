import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { BuildRequestRefused } from './build.service.js';
import { UpstreamUnavailable } from './upstream.js';

/**
 * How the ASU routes present errors. It is the one place that differs from the app's error handler
 * (src/http/error-handler.ts), and on purpose: ASU clients (LuCI, owut, auc, the firmware
 * selector) parse ASU's own shapes — `{status, detail}` with upper-case codes, and FastAPI's 422
 * with a list of `{type, loc, msg, input, ctx}` in pydantic's words where the app answers 400
 * `{detail, code, fields}`. Everything
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

/** One item of a FastAPI 422 `detail`, as pydantic words it. */
interface ValidationItem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/**
 * The body as the client sent it: the validator fills in defaults (`distro`, `diff_packages`, …) in place, and a
 * 422 echoes the input as sent. Only the top-level object is changed by the validator, so a shallow copy is enough.
 */
const sentBodies = new WeakMap<FastifyRequest, unknown>();

export function rememberSentBody(request: FastifyRequest): void {
  const body = request.body;
  sentBodies.set(request, body && typeof body === 'object' && !Array.isArray(body) ? { ...body } : body);
}

/** A first-boot script may hold Wi-Fi or VPN secrets: a 422 never sends it back, only its length. */
function withheldDefaults(value: unknown): string {
  return `[defaults withheld: ${typeof value === 'string' ? value.length : 0} characters]`;
}

function inputAt(body: unknown, loc: (string | number)[]): unknown {
  let value = body;
  for (const part of loc.slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  if (loc[1] === 'defaults' && loc.length === 2) return withheldDefaults(value);
  if (value && typeof value === 'object' && !Array.isArray(value) && loc.length === 1 && 'defaults' in value) {
    const record = value as Record<string, unknown>;
    return { ...record, defaults: record.defaults == null ? record.defaults : withheldDefaults(record.defaults) };
  }
  return value;
}

/** pydantic's list of choices: `'a', 'b' or 'c'`. */
function choices(values: unknown[]): string {
  const quoted = values.map((value) => `'${String(value)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
}

/** What pydantic says of a value of the wrong JSON type (`expected` is the JSON Schema type). */
function typeIssue(expected: string, input: unknown, root: boolean): Omit<ValidationItem, 'loc' | 'input'> {
  switch (expected) {
    case 'string':
      return { type: 'string_type', msg: 'Input should be a valid string' };
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list' };
    case 'object':
      return root
        ? { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' }
        : { type: 'dict_type', msg: 'Input should be a valid dictionary' };
    case 'integer':
    case 'number':
      if (typeof input === 'string')
        return { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' };
      if (typeof input === 'number')
        return { type: 'int_from_float', msg: 'Input should be a valid integer, got a number with a fractional part' };
      return { type: 'int_type', msg: 'Input should be a valid integer' };
    case 'boolean':
      if (typeof input === 'string' || typeof input === 'number')
        return { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' };
      return { type: 'bool_type', msg: 'Input should be a valid boolean' };
    default:
      return { type: `${expected}_type`, msg: `Input should be a valid ${expected}` };
  }
}

/**
 * FastAPI's 422 details (what ASU clients print) in pydantic's words: `{type, loc, msg, input, ctx?}`, one per
 * offending field (JSON Schema reports each branch of a union; pydantic one error per field).
 */
function validationDetails(issues: AjvIssue[], body: unknown): ValidationItem[] {
  const byLoc = new Map<string, ValidationItem>();
  const literals = new Map<string, unknown[]>();
  for (const issue of issues) {
    const loc: (string | number)[] = [
      'body',
      ...issue.instancePath
        .split('/')
        .filter(Boolean)
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
    ];
    const params = issue.params ?? {};
    // The `null` branch of a nullable field, and the union's own summary, add nothing to the branch errors.
    if ((issue.keyword === 'type' && params.type === 'null') || issue.keyword === 'anyOf') continue;
    if (issue.keyword === 'propertyNames') continue;
    const key = JSON.stringify(loc);
    if (issue.keyword === 'const' || issue.keyword === 'enum') {
      const allowed = issue.keyword === 'const' ? [params.allowedValue] : ((params.allowedValues as unknown[]) ?? []);
      literals.set(key, [...(literals.get(key) ?? []), ...allowed]);
      const expected = choices(literals.get(key)!);
      byLoc.set(key, {
        type: 'literal_error',
        loc,
        msg: `Input should be ${expected}`,
        input: inputAt(body, loc),
        ctx: { expected },
      });
      continue;
    }
    if (issue.keyword === 'required') {
      const field = String(params.missingProperty);
      const item = { type: 'missing', loc: [...loc, field], msg: 'Field required', input: inputAt(body, loc) };
      byLoc.set(JSON.stringify(item.loc), item);
      continue;
    }
    if (byLoc.has(key)) continue;
    const input = inputAt(body, loc);
    const limit = params.limit as number;
    let item: Omit<ValidationItem, 'loc' | 'input'>;
    switch (issue.keyword) {
      case 'type':
        item = typeIssue(String(params.type), input, loc.length === 1);
        break;
      case 'pattern': {
        // A dictionary key (packages_versions, repositories): pydantic's loc ends in the key and `[key]`.
        const propertyName = (issue as { propertyName?: string }).propertyName;
        if (propertyName !== undefined) {
          const keyLoc = [...loc, propertyName, '[key]'];
          byLoc.set(JSON.stringify(keyLoc), {
            type: 'string_pattern_mismatch',
            loc: keyLoc,
            msg: `String should match pattern '${String(params.pattern)}'`,
            input: propertyName,
            ctx: { pattern: params.pattern },
          });
          continue;
        }
        item = {
          type: 'string_pattern_mismatch',
          msg: `String should match pattern '${String(params.pattern)}'`,
          ctx: { pattern: params.pattern },
        };
        break;
      }
      case 'maxLength':
        item = {
          type: 'string_too_long',
          msg: `String should have at most ${limit} character${limit === 1 ? '' : 's'}`,
          ctx: { max_length: limit },
        };
        break;
      case 'minLength':
        item = {
          type: 'string_too_short',
          msg: `String should have at least ${limit} character${limit === 1 ? '' : 's'}`,
          ctx: { min_length: limit },
        };
        break;
      case 'minimum':
        item = {
          type: 'greater_than_equal',
          msg: `Input should be greater than or equal to ${limit}`,
          ctx: { ge: limit },
        };
        break;
      case 'maximum':
        item = { type: 'less_than_equal', msg: `Input should be less than or equal to ${limit}`, ctx: { le: limit } };
        break;
      case 'maxItems':
      case 'maxProperties': {
        const kind = issue.keyword === 'maxItems' ? 'List' : 'Dictionary';
        const actual = Array.isArray(input) ? input.length : Object.keys((input as object) ?? {}).length;
        item = {
          type: 'too_long',
          msg: `${kind} should have at most ${limit} item${limit === 1 ? '' : 's'} after validation, not ${actual}`,
          ctx: { field_type: kind, max_length: limit, actual_length: actual },
        };
        break;
      }
      default:
        item = { type: 'value_error', msg: (issue.message ?? 'is invalid').replace(/^must/, 'Input should') };
    }
    byLoc.set(key, { type: item.type, loc, msg: item.msg, input, ...(item.ctx ? { ctx: item.ctx } : {}) });
  }
  return [...byLoc.values()];
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
  const missingBody = [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }];
  if (Array.isArray(error.validation)) {
    const body = sentBodies.has(request) ? sentBodies.get(request) : request.body;
    // No body (or JSON null): FastAPI's one "Field required" for the whole body.
    if (body === undefined || body === null) return invalidRequest(reply, missingBody);
    return invalidRequest(reply, validationDetails(error.validation, body));
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return invalidRequest(reply, missingBody);
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
    const position = Number(/position (\d+)/.exec(error.message)?.[1] ?? 0);
    return invalidRequest(reply, [
      {
        type: 'json_invalid',
        loc: ['body', position],
        msg: 'JSON decode error',
        input: {},
        // Only where it failed: the parser's message quotes the body, which may hold `defaults` (never echoed).
        ctx: { error: `Invalid JSON at position ${position}` },
      },
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
