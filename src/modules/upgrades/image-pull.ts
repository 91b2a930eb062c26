import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import type { Db } from '../../database.js';
import { notFound } from '../../platform/errors.js';
import { signTicket, ticketValid } from '../../platform/tickets.js';
import { UUID_PATTERN } from '../../platform/uuid.js';
import { findImage, type ImageWithBuild } from '../firmware/image.service.js';
import { findOperationById } from './operation.repository.js';

/** The path of the image download a router upgraded over SSH is given (`openwrt.image_transfer: pull`). */
export function imagePullPath(operationId: string, ticket: string): string {
  return `/transfer/v1/images/${operationId}/${ticket}`;
}

/**
 * The URL a device downloads an upgrade's image from when the setting `openwrt.image_transfer` is `pull`
 * (null otherwise, and for restores: a backup archive is small and goes through the session). The ticket
 * lives as long as the attempt may, with an hour to spare for a slow clock, as the agent's do.
 */
export function imageDownloadUrl(
  deps: { config: Config; secrets: SecretBox },
  operation: { id: string; deviceId: string; kind: 'upgrade' | 'restore' },
  taskTimeoutSeconds: number,
  now = Date.now(),
): string | null {
  const { publicUrl } = deps.config.server;
  if (operation.kind !== 'upgrade' || deps.config.upgrades.openwrt.imageTransfer !== 'pull' || !publicUrl) return null;
  const expiresAt = new Date(now + (taskTimeoutSeconds + 3600) * 1000);
  const ticket = signTicket(deps.secrets, operation.id, operation.deviceId, expiresAt, 'image-pull');
  return `${publicUrl}${imagePullPath(operation.id, ticket)}`;
}

/**
 * The image a ticket URL serves, and its operation's id: that of a running upgrade whose ticket was signed
 * for it, its device and image pulls. Anything else is the same 404 (a wrong ticket proves nothing about
 * the operation).
 */
export async function findPulledImage(
  db: Db,
  secrets: SecretBox,
  operationId: string,
  ticket: string,
): Promise<{ operationId: string; image: ImageWithBuild }> {
  const id = operationId.toLowerCase();
  if (!UUID_PATTERN.test(id)) throw notFound('operation', operationId.slice(0, 40));
  const operation = await findOperationById(db, id);
  if (
    operation?.kind !== 'upgrade' ||
    operation.status !== 'in-progress' ||
    !ticketValid(secrets, ticket, operation.id, operation.deviceId, new Date(), 'image-pull')
  )
    throw notFound('operation', id);
  const image = operation.imageId ? await findImage(db, operation.imageId) : undefined;
  if (!image) throw notFound('image');
  return { operationId: id, image };
}
