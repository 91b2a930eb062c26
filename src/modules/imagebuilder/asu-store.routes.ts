import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendStoredFile } from '../../http/send-stored-file.js';
import type { AsuDeps } from './asu-deps.js';
import { AsuErrorDto } from './asu.schema.js';
import * as asuService from './asu.service.js';
import { REQUEST_HASH_PATTERN } from './build-request.js';

/**
 * Downloads of built files: `/store/<bin_dir>/<name>`, as every ASU client forms the URL. Always streamed,
 * never redirected to a presigned object-store URL: LuCI's attended sysupgrade fetches the file from the
 * browser, where a redirect to the bucket's origin fails without CORS on the bucket.
 */
export const asuStoreRoutes: FastifyPluginAsyncTypebox<AsuDeps> = async (app, { db, storage }) => {
  // GET and HEAD in one route: Fastify's automatic HEAD route would answer Content-Length: 0 when the
  // handler sends no body, and HEAD must carry the file's length like GET.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/store/:bin_dir/:file',
    exposeHeadRoute: false,
    config: { public: true },
    schema: {
      tags: ['image builds (ASU)'],
      summary: 'Download a built file',
      params: Type.Object({ bin_dir: Type.String({ maxLength: 128 }), file: Type.String({ maxLength: 255 }) }),
      response: { 200: Type.String({ description: 'The file (application/octet-stream)' }), 404: AsuErrorDto },
    },
    handler: async (request, reply) => {
      const { bin_dir: binDir, file } = request.params;
      const missing = () => reply.code(404).send({ status: 404, detail: 'Not found' });
      if (!REQUEST_HASH_PATTERN.test(binDir) || !/^[A-Za-z0-9._+-]+$/.test(file) || file === '.' || file === '..')
        return missing();
      const stored = await asuService.findStoredFile(db, binDir, file);
      if (!stored) return missing();
      reply.header('x-content-type-options', 'nosniff');
      return sendStoredFile(
        request,
        reply,
        storage,
        {
          sha256: stored.sha256,
          size: stored.size,
          fileName: stored.name,
        },
        { redirect: false },
      );
    },
  });
};
