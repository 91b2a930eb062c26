import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { findPulledImage } from './image-pull.js';

/**
 * The image of a running SSH upgrade, for the router to download itself (`openwrt.image_transfer: pull`):
 * `wget` on the router has no token, so the URL holds a ticket signed for the operation and its device
 * (platform/tickets.ts), answered only while the operation runs (findPulledImage). Streamed, never
 * redirected to an object store: the router's `wget` may not speak HTTPS. Not in the OpenAPI document: no
 * client but a router calls it.
 */
export async function imagePullRoutes(app: FastifyInstance, { db, secrets, storage }: AppDeps): Promise<void> {
  const route = { config: { public: true }, schema: { hide: true } };
  app.get<{ Params: { operation: string; ticket: string } }>(
    '/transfer/v1/images/:operation/:ticket',
    route,
    async (request, reply) => {
      const image = await findPulledImage(db, secrets, request.params.operation, request.params.ticket);
      return sendStoredFile(request, reply, storage, image, { redirect: false });
    },
  );
}
