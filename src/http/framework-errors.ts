import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../platform/errors.js';
import { sendError } from './error-handler.js';
import { STATIC_SECURITY_HEADERS } from './security-headers.js';

/**
 * Answers for what Fastify and Node's HTTP parser refuse before any route runs (a malformed URL,
 * an over-long path segment, oversized headers): in the API's `{detail, code}` shape, or in ASU's
 * `{status, detail, code}` on the ASU paths, whose clients read that shape.
 */

/** The Attended SysUpgrade paths (see asu.routes.ts): their errors keep ASU's shape. */
const ASU_API_PATHS = 'build|build-errors|builds-per-day|stats|revision|profiles|top-packages|latest|overview';
const ASU_PATHS = new RegExp(String.raw`^\/(api\/v1\/(${ASU_API_PATHS})|api\/overview|overview|json|store)(\/|$|\?)`);

export function isAsuPath(url: string): boolean {
  return ASU_PATHS.test(url);
}

const ROUTER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_BAD_URL: {
    code: 'InvalidUrl',
    message: 'The URL is malformed: a "%" must be followed by two hexadecimal digits (write "%25" for a literal "%").',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'UriTooLong',
    message: 'A path segment is longer than 100 characters: no id or name in a fleetflash URL is that long.',
  },
};

function asuBody(error: AppError): Record<string, unknown> {
  return { status: error.status, detail: error.message, code: error.code };
}

/** Fastify's `frameworkErrors` option: router errors that happen before a route is chosen. */
export function onFrameworkError(asuEnabled: boolean) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const known = ROUTER_ERRORS[error.code];
    const appError = known
      ? new AppError(known.code, known.message, undefined, { cause: error })
      : new AppError('MalformedRequest', `The request could not be routed: ${error.message}`, undefined, {
          cause: error,
        });
    request.log.info({ code: appError.code, detail: appError.message }, 'request refused');
    // No onRequest hook ran (helmet's included), nor will onSend: the headers every answer carries are set here.
    void reply.headers(STATIC_SECURITY_HEADERS);
    if (request.id) void reply.header('x-request-id', request.id);
    if (asuEnabled && isAsuPath(request.url)) {
      void reply.code(appError.status).type('application/json; charset=utf-8').send(asuBody(appError));
      return;
    }
    void sendError(reply, appError);
  };
}

const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: 'HeadersTooLarge',
    message: 'The request headers are larger than 16 KiB: send fewer or shorter headers (a cookie jar grown too big?).',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'RequestTimeout', message: 'The request was not received in time: send it again.' },
};

/**
 * Node's HTTP server parser errors (`clientError`): no request object exists, so the answer is
 * written on the socket by hand, in the same shapes, and the connection closed (its state is unknown).
 * Only the bytes received so far tell which API the client spoke to.
 */
export function onClientError(asuEnabled: boolean) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A response already in flight on this socket (its headers sent): a second status line would corrupt
    // it, so the connection is only cut, as Node's own default handler does.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    const appError = new AppError(
      known?.code ?? 'MalformedRequest',
      known?.message ?? 'The HTTP request could not be parsed.',
    );
    const raw = (error as { rawPacket?: unknown }).rawPacket;
    const requestLine = /^[A-Z]+ (\S+) HTTP\//.exec(Buffer.isBuffer(raw) ? raw.toString('latin1', 0, 2048) : '');
    const asu = asuEnabled && requestLine !== null && isAsuPath(requestLine[1]!);
    const body = JSON.stringify(asu ? asuBody(appError) : { detail: appError.message, code: appError.code });
    socket.end(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        Object.entries(STATIC_SECURITY_HEADERS)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('') +
        'Connection: close\r\n\r\n' +
        body,
    );
  };
}
