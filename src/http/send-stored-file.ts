import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';
import { attachmentDisposition } from '../platform/content-disposition.js';
import { AppError } from '../platform/errors.js';
import type { Storage } from '../platform/storage.js';

/**
 * Streams a stored file with the headers download tools rely on: Content-Length, a strong ETag
 * (the content hash), conditional GET (304), and single byte ranges (206) so interrupted
 * downloads resume. Several ranges in one request are answered with the whole file, as RFC 9110 allows.
 *
 * When the storage hands out download URLs (an object store with presigned downloads on), a GET
 * that is not answered 304 is redirected (302) to a short-lived URL of the file in the store, which
 * answers Range requests itself; HEAD is still answered here, with the file's headers. A route whose
 * clients cannot follow such a redirect (LuCI fetches `/store` files from the browser, and a redirect to
 * another origin without CORS fails there) passes `redirect: false` and always streams.
 */
export async function sendStoredFile(
  request: FastifyRequest,
  reply: FastifyReply,
  storage: Storage,
  file: { sha256: string; size: number; fileName: string },
  options: {
    redirect?: boolean;
    /** Passes the file's bytes through a stream of the caller's (a progress count), given where they start. */
    through?: (body: Readable, start: number) => Readable;
  } = {},
): Promise<FastifyReply> {
  const etag = `"${file.sha256}"`;
  reply.header('etag', etag);
  reply.header('accept-ranges', 'bytes');
  reply.header('cache-control', 'private, max-age=0, must-revalidate');
  reply.header('content-type', 'application/octet-stream');
  reply.header('content-disposition', attachmentDisposition(file.fileName));

  if (matchesIfNoneMatch(request, etag)) return reply.code(304).send();

  if (request.method === 'GET' && options.redirect !== false) {
    const location = await storage.downloadUrl(file.sha256, file.fileName);
    if (location !== null) {
      // The URL expires soon: neither the redirect nor its target may be cached as the file's address.
      reply.header('cache-control', 'private, no-store');
      reply.removeHeader('content-disposition');
      reply.removeHeader('content-type');
      return reply.redirect(location, 302);
    }
  }

  let range: { start: number; end: number } | undefined;
  const rangeHeader = request.headers.range;
  const ifRange = request.headers['if-range'];
  // If-Range with another validator means "the file changed": send it whole.
  if (rangeHeader && (!ifRange || ifRange === etag)) {
    const ranges = parseRange(file.size, rangeHeader, { combine: true });
    if (ranges === -1) {
      reply.header('content-range', `bytes */${file.size}`);
      throw new AppError(
        'RangeNotSatisfiable',
        `The range "${rangeHeader}" lies outside the file (${file.size} bytes).`,
        undefined,
        {
          headers: { 'content-range': `bytes */${file.size}` },
        },
      );
    }
    // -2 is a malformed header: ignored, the whole file follows.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) range = ranges[0];
  }

  const length = range ? range.end - range.start + 1 : file.size;
  reply.header('content-length', String(length));
  if (range) {
    reply.code(206);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${file.size}`);
  }
  // HEAD: headers only. (Fastify's automatic HEAD route would read the whole file and drop it.)
  if (request.method === 'HEAD' || length === 0) return reply.send();
  const body = storage.open(file.sha256, range);
  return reply.send(options.through ? options.through(body, range?.start ?? 0) : body);
}

/** Whether the request's If-None-Match names `etag` (weakly compared, as RFC 9110 has it for GET) or is `*`. */
export function matchesIfNoneMatch(request: FastifyRequest, etag: string): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  return !!ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}
