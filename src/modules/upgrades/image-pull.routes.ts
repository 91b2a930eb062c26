import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import { notFound } from '../../platform/errors.js';
import { ticketValid } from '../../platform/tickets.js';
import { findImage } from '../firmware/image.service.js';
import { findOperationById } from './operation.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The image of a running SSH upgrade, for the router to download itself (`openwrt.image_transfer: pull`):
 * `wget` on the router has no token, so the URL holds a ticket signed for the operation and its device
 * (platform/tickets.ts). Answered only while the operation runs; anything else is a 404 that tells nothing
 * (a wrong ticket proves nothing about the operation). Streamed, never redirected to an object store: the
 * router's `wget` may not speak HTTPS. Not in the OpenAPI document: no client but a router calls it.
 */
export async function imagePullRoutes(app: FastifyInstance, { db, secrets, storage }: AppDeps): Promise<void> {
  const route = { config: { public: true }, schema: { hide: true } };
  app.get<{ Params: { operation: string; ticket: string } }>(
    '/transfer/v1/images/:operation/:ticket',
    route,
    async (request, reply) => {
      const id = request.params.operation.toLowerCase();
      if (!UUID.test(id)) throw notFound('operation', request.params.operation.slice(0, 40));
      const operation = await findOperationById(db, id);
      if (
        operation?.kind !== 'upgrade' ||
        operation.status !== 'in-progress' ||
        !ticketValid(secrets, request.params.ticket, operation.id, operation.deviceId, new Date(), 'image-pull')
      )
        throw notFound('operation', id);
      const image = operation.imageId ? await findImage(db, operation.imageId) : undefined;
      if (!image) throw notFound('image');
      return sendStoredFile(request, reply, storage, image, { redirect: false });
    },
  );
}
