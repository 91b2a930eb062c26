import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from './crypto.js';

/**
 * Ticket URLs: the image download and the backup upload of the pull agent, and the image a router
 * upgraded over SSH downloads (`openwrt.image_transfer: pull`), are not form posts, so they carry no
 * token; their URL holds a capability for one operation of one device instead, an HMAC under the
 * installation's secret key, expiring with the operation's attempt. Format: `<expires>.<mac>`, expires
 * in Unix seconds. Each use signs under its own purpose, so a ticket of one is no ticket of the other.
 */
const PURPOSES = { agent: 'agent-ticket', 'image-pull': 'image-pull-ticket' } as const;
export type TicketPurpose = keyof typeof PURPOSES;

function payload(operationId: string, deviceId: string, expires: number): string {
  return `${operationId}:${deviceId}:${expires}`;
}

export function signTicket(
  secrets: SecretBox,
  operationId: string,
  deviceId: string,
  expiresAt: Date,
  purpose: TicketPurpose = 'agent',
): string {
  const expires = Math.ceil(expiresAt.getTime() / 1000);
  return `${expires}.${secrets.sign(PURPOSES[purpose], payload(operationId, deviceId, expires))}`;
}

/** Whether the ticket was signed for this operation, device and purpose and has not expired. */
export function ticketValid(
  secrets: SecretBox,
  ticket: string,
  operationId: string,
  deviceId: string,
  now = new Date(),
  purpose: TicketPurpose = 'agent',
): boolean {
  const match = /^(\d{1,12})\.([\w-]{43})$/.exec(ticket);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires * 1000 < now.getTime()) return false;
  const expected = Buffer.from(secrets.sign(PURPOSES[purpose], payload(operationId, deviceId, expires)));
  const given = Buffer.from(match[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
