import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import { signTicket } from '../../platform/tickets.js';

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
