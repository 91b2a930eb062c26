import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from './crypto.js';

/**
 * Ticket URLs: the image download and the backup upload of the pull agent, and the image a router
 * upgraded over SSH downloads (`openwrt.image_transfer: pull`), are not form posts, so they carry no
 * token; their URL holds a capability for one operation of one device instead, an HMAC under the
 * installation's secret key, expiring with the operation's attempt. Format: `<expires>.<mac>`, expires
 * in Unix seconds. (The purpose string keeps its first name: tickets already handed out stay valid.)
 */
const PURPOSE = 'agent-ticket';

function payload(operationId: string, deviceId: string, expires: number): string {
  return `${operationId}:${deviceId}:${expires}`;
}

export function signTicket(secrets: SecretBox, operationId: string, deviceId: string, expiresAt: Date): string {
  const expires = Math.ceil(expiresAt.getTime() / 1000);
  return `${expires}.${secrets.sign(PURPOSE, payload(operationId, deviceId, expires))}`;
}

/** Whether the ticket was signed for this operation and device and has not expired. */
export function ticketValid(
  secrets: SecretBox,
  ticket: string,
  operationId: string,
  deviceId: string,
  now = new Date(),
): boolean {
  const match = /^(\d{1,12})\.([\w-]{43})$/.exec(ticket);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires * 1000 < now.getTime()) return false;
  const expected = Buffer.from(secrets.sign(PURPOSE, payload(operationId, deviceId, expires)));
  const given = Buffer.from(match[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
