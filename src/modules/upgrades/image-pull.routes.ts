import { pipeline, type Readable, Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.js';
import { sendStoredFile } from '../../http/send-stored-file.js';
import type { Db } from '../../database.js';
import { TRANSFER_PROGRESS, TRANSFER_STEP_INTERVAL_MS, TransferSteps } from '../upgraders/openwrt/transfer-progress.js';
import { findPulledImage } from './image-pull.js';
import { updatePullProgress } from './image-pull.repository.js';

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
      const { operationId, image } = await findPulledImage(
        db,
        secrets,
        request.params.operation,
        request.params.ticket,
      );
      const operation = { id: operationId, size: image.size };
      return sendStoredFile(request, reply, storage, image, {
        redirect: false,
        through: (body, start) => countPulledBytes(db, request, reply, operation, body, start),
      });
    },
  );
}

/**
 * The download's bytes, counted into the operation's progress (25 to 55 %, TransferSteps), so that a pull
 * advances in the progress view as a push does. Whether the operation still runs is read with each step, and
 * every TRANSFER_STEP_INTERVAL_MS between steps (a step-free stretch: past 55 %, a resumed download): a
 * download whose operation ended meanwhile (cancelled, timed out, failed: its worker may be gone) is cut off.
 */
function countPulledBytes(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  operation: { id: string; size: number },
  body: Readable,
  start: number,
): Readable {
  let position = start;
  // Below 60 %: the worker writes that once the device confirmed the checksum.
  const steps = new TransferSteps(operation.size, { below: TRANSFER_PROGRESS.to });
  let written: number = TRANSFER_PROGRESS.from;
  // findPulledImage has just found it running.
  let checkedAt = Date.now();
  let checking = false;
  const check = (): void => {
    if (checking) return;
    const progress = steps.next(position);
    if (progress === null && Date.now() - checkedAt < TRANSFER_STEP_INTERVAL_MS) return;
    checking = true;
    checkedAt = Date.now();
    // Without a new step, the last one again: the row is left as it is, and the answer says whether it runs.
    if (progress !== null) written = progress;
    updatePullProgress(db, operation.id, written).then(
      (running) => {
        checking = false;
        if (running) return;
        request.log.info({ operation: operation.id }, 'image download cut off: its operation has ended');
        reply.raw.destroy();
      },
      (error: unknown) => {
        // The progress is for the view: the download goes on without it.
        checking = false;
        request.log.warn({ err: error, operation: operation.id }, 'could not record an image download step');
      },
    );
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      position += chunk.length;
      check();
      done(null, chunk);
    },
  });
  return pipeline(body, counter, () => undefined);
}
