import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { parseOrdering } from '../../http/ordering.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { withImageUsage } from '../../use-cases/firmware-usage.js';
import { AppError, invalid } from '../../platform/errors.js';
import { FileTooLargeError, type ReceivedFile, type Storage } from '../../platform/storage.js';
import { toAppError } from '../../http/error-handler.js';
import { deleteImage } from '../../use-cases/delete-image.js';
import { uploadImage } from '../../use-cases/upload-image.js';
import type { ImageRow } from './firmware.table.js';
import { ImageDto, ImageParams, ImageType, ListImagesQuery, toImageDto, UploadImageBody } from './firmware.schema.js';
import * as imageService from './image.service.js';

const tags = ['firmware images'];

export function downloadUrl(request: FastifyRequest, publicUrl: string | null, image: ImageRow): string {
  const origin = publicUrl ?? `${request.protocol}://${request.host}`;
  return `${origin}/api/v1/firmware/build/${image.buildId}/image/${image.id}/download/`;
}

interface ParsedUpload {
  file: ReceivedFile;
  fileName: string;
  type: string | undefined;
  force: boolean;
}

/**
 * Reads the multipart body part by part: the file streams straight into storage (hashing and
 * counting, stopping at the size limit), text fields are kept. The `type` field may come before
 * or after the file.
 */
async function readUpload(
  request: FastifyRequest,
  storage: Storage,
  maxFileSize: number | null,
): Promise<ParsedUpload> {
  if (!request.isMultipart()) {
    throw new AppError(
      'UnsupportedMediaType',
      'Upload the image as multipart/form-data with the file in a part named "file", e.g. curl -F ' +
        'file=@openwrt-…-sysupgrade.bin',
    );
  }
  let file: ReceivedFile | undefined;
  let fileName = '';
  const fields: Record<string, string> = {};
  try {
    const parts = request.parts({
      limits: { fileSize: maxFileSize ?? Infinity, files: 1, fields: 10, parts: 11, fieldSize: 4096 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw new AppError('InvalidMultipart', `The file must be in a part named "file", not "${part.fieldname}".`, {
            file: 'required',
          });
        }
        fileName = part.filename.trim();
        file = await storage.receive(part.file, maxFileSize);
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (file) await storage.discard(file).catch(() => {});
    throw asUploadError(error, maxFileSize);
  }
  if (!file)
    throw new AppError('InvalidMultipart', 'The upload has no file: send it in a part named "file".', {
      file: 'required',
    });
  const type = fields.type?.trim() || undefined;
  const problems: Record<string, string> = {};
  if (type !== undefined && !Value.Check(ImageType, type))
    problems.type = 'Must be an image type such as "ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin".';
  if (fileName === '' || fileName.length > 255) problems.file = 'The file needs a name of 1 to 255 characters.';
  const force = fields.force?.trim().toLowerCase();
  if (force !== undefined && force !== 'true' && force !== 'false') problems.force = 'Must be "true" or "false".';
  if (Object.keys(problems).length > 0) {
    await storage.discard(file);
    throw invalid(`Invalid upload. ${Object.values(problems).join(' ')}`, problems);
  }
  return { file, fileName, type, force: force === 'true' };
}

/**
 * Errors while reading the body: our own and file-system errors as they are; the size limit as
 * busboy reports it becomes our FileTooLarge (which names the limit); whatever else the multipart
 * parser throws ("Unexpected end of multipart data", …) is a malformed body, a client error.
 */
function asUploadError(error: unknown, maxFileSize: number | null): unknown {
  if (error instanceof AppError) return error;
  const { code, syscall } = error as { code?: string; syscall?: string };
  if (code === 'FST_REQ_FILE_TOO_LARGE' && maxFileSize !== null) return new FileTooLargeError(maxFileSize);
  if (syscall !== undefined || (code && toAppError(error) === null)) return error;
  return (
    toAppError(error) ??
    new AppError('InvalidMultipart', `Malformed multipart body: ${(error as Error).message}`, undefined, {
      cause: error,
    })
  );
}

/** Multipart framing and the small fields around the file: what a body may hold beyond the file itself. */
const MULTIPART_OVERHEAD = 1024 * 1024;
/** With no max_file_size, a refused upload is still read only this far before the connection is cut. */
const UNLIMITED_DRAIN_BOUND = 64 * 1024 * 1024;
/**
 * A refused upload is read for at most this long: a client that trickles its body (or stops
 * sending without closing) must not hold the request and its connection open forever.
 */
const DRAIN_DEADLINE_MS = 30_000;

/**
 * Reads and throws away a request body nobody will use, up to `bound` bytes, so the answer reaches
 * the client: a server that answers and closes while the client still sends makes the client's TCP
 * stack receive a reset, and most clients then lose the answer with the connection. Past the bound
 * (or a Content-Length beyond it), or past the deadline, the body is not worth reading; the answer
 * goes out and the connection is closed, and the client may only see the reset.
 */
function discardBody(request: FastifyRequest, bound: number): Promise<void> {
  const raw = request.raw;
  const declared = Number(raw.headers['content-length']);
  if (raw.readableEnded || raw.destroyed || (Number.isFinite(declared) && declared > bound)) return Promise.resolve();
  return new Promise((resolve) => {
    let received = 0;
    // Past the deadline the answer goes out as past the bound; the connection is closed after it.
    const deadline = setTimeout(() => {
      raw.pause();
      done();
    }, DRAIN_DEADLINE_MS);
    deadline.unref();
    const done = () => {
      clearTimeout(deadline);
      raw.off('data', count);
      raw.off('end', done);
      raw.off('error', done);
      raw.off('close', done);
      resolve();
    };
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > bound) {
        raw.pause();
        done();
      }
    };
    raw.on('data', count);
    raw.once('end', done);
    raw.once('error', done);
    raw.once('close', done);
    raw.resume();
  });
}

/**
 * An upload refused before its body was read (no permission, unknown build): read what the client
 * sends (up to the size an upload may have) and discard it, then answer and close the connection.
 * Errors while the body is being read leave it to the multipart parser, which keeps reading.
 */
async function answeringOnRefusal<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  maxFileSize: number | null,
  check: () => Promise<unknown>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    await check();
  } catch (error) {
    reply.header('connection', 'close');
    await discardBody(request, (maxFileSize ?? UNLIMITED_DRAIN_BOUND) + MULTIPART_OVERHEAD);
    throw error;
  }
  try {
    return await work();
  } catch (error) {
    reply.header('connection', 'close');
    throw error;
  }
}

export const imageRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, storage, hardwareTable }) => {
  const { publicUrl } = config.server;

  app.get(
    '/api/v1/firmware/build/:id/image/',
    {
      schema: {
        tags,
        summary: 'List the images of a build',
        params: IdParams,
        querystring: ListImagesQuery,
        response: { 200: Paginated(ImageDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const ordering = parseOrdering(
        request.query.ordering,
        imageService.IMAGE_ORDERING_FIELDS,
        imageService.DEFAULT_IMAGE_ORDERING,
      );
      const actor = actorOf(request);
      const { rows, count } = await imageService.listImages(
        db,
        actor,
        request.params.id,
        { type: request.query.type, organization: request.query.organization },
        ordering,
        page,
      );
      return pageResponse(
        request,
        publicUrl,
        page,
        count,
        (await withImageUsage(db, actor, rows)).map((row) => toImageDto(row, downloadUrl(request, publicUrl, row))),
      );
    },
  );

  app.post(
    '/api/v1/firmware/build/:id/image/',
    {
      schema: {
        tags,
        summary: 'Upload a firmware image to a build',
        description:
          'multipart/form-data with the image in "file" and optionally its "type" (derived from the file name ' +
          'otherwise). ' +
          'The file streams to storage; over the max_file_size setting the upload is refused with 413 and nothing ' +
          'is kept. ' +
          'OpenWrt metadata embedded in the image (supported_devices, version) is parsed and shown. ' +
          'A file without metadata must be in the format its type implies (e.g. uImage/TRX/FIT/squashfs/tar for ' +
          '.bin, gzip for .img.gz) and at least 64 KiB, ' +
          'else it is refused with 400 NotAnImage unless "force" is "true".',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: ImageDto, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      // The body is a stream read by the handler; this schema only documents it (see openapi.ts).
      config: { multipartBody: UploadImageBody },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return answeringOnRefusal(
        request,
        reply,
        config.firmware.maxFileSize,
        () => imageService.assertCanAddImage(db, actor, request.params.id),
        async () => {
          const upload = await readUpload(request, storage, config.firmware.maxFileSize);
          const row = await uploadImage(db, storage, hardwareTable, actor, request.params.id, upload);
          // The upload may have recorded devices that already run it (their OS string says so).
          const [image] = await withImageUsage(db, actor, [row]);
          return reply.code(201).send(toImageDto(image!, downloadUrl(request, publicUrl, row)));
        },
      );
    },
  );

  app.get(
    '/api/v1/firmware/build/:build_pk/image/:id/',
    {
      schema: {
        tags,
        summary: 'Get a firmware image',
        params: ImageParams,
        response: { 200: ImageDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const row = await imageService.getImage(db, actor, request.params.build_pk, request.params.id);
      const [image] = await withImageUsage(db, actor, [row]);
      return toImageDto(image!, downloadUrl(request, publicUrl, row));
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/firmware/build/:build_pk/image/:id/',
      {
        schema: {
          tags,
          summary: 'Not allowed: images are immutable',
          description: 'To replace an image, delete it and upload the new file.',
          params: ImageParams,
          response: errorResponses(405),
        },
      },
      async (_request, reply) => {
        reply.header('allow', 'GET, HEAD, DELETE');
        throw new AppError(
          'MethodNotAllowed',
          'Images are immutable: delete this image and upload the new file instead.',
        );
      },
    );
  }

  app.delete(
    '/api/v1/firmware/build/:build_pk/image/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a firmware image',
        params: ImageParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteImage(db, storage, actorOf(request), request.params.build_pk, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.route({
    method: ['GET', 'HEAD'],
    url: '/api/v1/firmware/build/:build_pk/image/:id/download/',
    exposeHeadRoute: false,
    schema: {
      tags,
      summary: 'Download a firmware image',
      description:
        'Streams the file with Content-Length, ETag (its sha256) and byte ranges (resumable). Members of the ' +
        "image's organization and superusers may download; shared images, any user. With the object store's " +
        'presigned downloads on (setting storage.s3.presigned_downloads), GET answers 302 to a short-lived URL ' +
        'of the file in the store, which serves the ranges. 503 StorageUnavailable: the store cannot be reached.',
      params: ImageParams,
      response: {
        200: { type: 'string', format: 'binary', description: 'The image file.' },
        206: { type: 'string', format: 'binary', description: 'The requested byte range.' },
        302: { type: 'null', description: 'Presigned downloads: fetch the file at Location (valid briefly).' },
        304: { type: 'null', description: 'Not modified (If-None-Match).' },
        ...errorResponses(400, 401, 404, 416, 503),
      },
    },
    handler: async (request, reply) => {
      const row = await imageService.getImage(db, actorOf(request), request.params.build_pk, request.params.id);
      return sendStoredFile(request, reply, storage, { sha256: row.sha256, size: row.size, fileName: row.fileName });
    },
  });
};
