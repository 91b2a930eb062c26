import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mapDatabaseError } from '../platform/db/pg-errors.js';
import { AppError, type ErrorCode } from '../platform/errors.js';

/**
 * The one error handler: AppErrors as they are; schema failures as 400 with the field paths;
 * Fastify's own and the multipart plugin's errors by their code; PostgreSQL errors by SQLSTATE;
 * anything else a logged 500 with a generic message and the request id.
 */

interface ValidationIssue {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword: string;
}

function fieldName(context: string | undefined, issue: ValidationIssue): string {
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.keyword === 'required' ? String(issue.params?.missingProperty ?? '') : '';
  const name = [path, missing].filter(Boolean).join('.');
  return name || (context ?? 'body');
}

function describe(issue: ValidationIssue): string {
  if (issue.keyword === 'required') return 'This field is required.';
  if (issue.keyword === 'format' && issue.params?.format === 'uuid') return 'Must be a UUID.';
  if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues))
    return `Must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}.`;
  return `${(issue.message ?? 'is invalid').replace(/^must/, 'Must')}.`;
}

function fromValidation(error: FastifyError & { validation: ValidationIssue[] }): AppError {
  const context = (error as { validationContext?: string }).validationContext;
  const fields: Record<string, string> = {};
  for (const issue of error.validation) {
    const name = fieldName(context, issue);
    fields[name] ??= describe(issue);
  }
  const where =
    context === 'querystring'
      ? 'query parameters'
      : context === 'params'
        ? 'path'
        : context === 'headers'
          ? 'headers'
          : 'request body';
  const summary = Object.entries(fields)
    .map(([name, message]) => `${name}: ${message}`)
    .join(' ');
  return new AppError('ValidationFailed', `Invalid ${where}. ${summary}`, fields);
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'InvalidJson',
    message: 'The body is empty but Content-Type says JSON: send a JSON object, or no Content-Type.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'InvalidJson', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UnsupportedMediaType',
    message: 'Unsupported Content-Type: send application/json (or multipart/form-data for uploads).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'ValidationFailed',
    message: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PayloadTooLarge', message: 'The request body is too large for this endpoint.' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'UnsupportedMediaType',
    message: 'Uploads must be sent as multipart/form-data with the file in a part named "file".',
  },
  FST_MP_PREMATURE_CLOSE: {
    code: 'InvalidMultipart',
    message: 'The upload ended before the multipart body was complete.',
  },
  FST_PARTS_LIMIT: {
    code: 'InvalidMultipart',
    message: 'Too many parts in the multipart body: send one "file" part and at most a few fields.',
  },
  FST_FILES_LIMIT: { code: 'InvalidMultipart', message: 'Send exactly one file per upload, in the part named "file".' },
  FST_FIELDS_LIMIT: { code: 'InvalidMultipart', message: 'Too many fields in the multipart body.' },
  FST_PROTO_VIOLATION: { code: 'InvalidMultipart', message: 'A multipart field name is not allowed.' },
  FST_REQ_FILE_TOO_LARGE: {
    code: 'FileTooLarge',
    message: 'The file is larger than the max_file_size setting allows.',
  },
};

export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & { validation?: ValidationIssue[] };
  if (Array.isArray(fastifyError?.validation))
    return fromValidation(fastifyError as FastifyError & { validation: ValidationIssue[] });
  const known = typeof fastifyError?.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return new AppError(known.code, known.message, undefined, { cause: error });
  // SyntaxError from the JSON body parser carries statusCode 400 and no code of ours.
  if (fastifyError instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('InvalidJson', `The body is not valid JSON: ${fastifyError.message}`, undefined, {
      cause: error,
    });
  }
  return mapDatabaseError(error);
}

/** Headers a file download sets before its body starts: they must not describe an error's body. */
const DOWNLOAD_HEADERS = ['content-disposition', 'etag', 'accept-ranges', 'content-range'] as const;

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  // A download whose file could not be read (a file store that failed before the first byte).
  for (const name of DOWNLOAD_HEADERS) reply.removeHeader(name);
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send({
      detail: error.message,
      code: error.code,
      ...(error.fields ? { fields: error.fields } : {}),
    });
}

/**
 * Paths that belong to the API and its relatives, and the UI's own files (a missing script or a
 * source map must not be answered with index.html): a miss there is a JSON 404, never the web UI.
 */
const NON_UI_PATHS = /^\/(api|agent|transfer|json|store|metrics|healthz|overview|assets)(\/|$|\?)|\.map($|\?)/;

/** `webIndex`: the web UI's index.html, answered for any other GET so the UI's own routes load. */
export function registerErrorHandling(app: FastifyInstance, webIndex: string | null = null): void {
  app.setErrorHandler((error, request: FastifyRequest, reply) => {
    const appError = toAppError(error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, appError.message);
      else request.log.info({ code: appError.code, detail: appError.message }, 'request refused');
      return sendError(reply, appError);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(
      reply,
      new AppError('InternalError', `Internal error: the server log holds the details under request id ${request.id}.`),
    );
  });

  app.setNotFoundHandler((request, reply) => {
    if (
      webIndex !== null &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !NON_UI_PATHS.test(request.url)
    ) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(webIndex);
    }
    return sendError(
      reply,
      new AppError(
        'RouteNotFound',
        `No endpoint ${request.method} ${request.url.split('?')[0]}: see /api/v1/docs/ for the API.`,
      ),
    );
  });
}
