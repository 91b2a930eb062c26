import { describe, expect, it } from 'vitest';
import { createSecretBox } from './crypto.js';
import { signTicket, ticketValid } from './tickets.js';

const secrets = createSecretBox('test-secret-key-of-at-least-32-characters');
const OPERATION = '11111111-1111-4111-8111-111111111111';
const DEVICE = '22222222-2222-4222-8222-222222222222';

describe('ticket URLs', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const ticket = signTicket(secrets, OPERATION, DEVICE, new Date(now.getTime() + 60_000));

  it('accepts the ticket of its operation and device until it expires', () => {
    expect(ticketValid(secrets, ticket, OPERATION, DEVICE, now)).toBe(true);
    expect(ticketValid(secrets, ticket, OPERATION, DEVICE, new Date(now.getTime() + 61_000))).toBe(false);
  });

  it("refuses another operation's, another device's, another server's, a changed or a malformed ticket", () => {
    expect(ticketValid(secrets, ticket, DEVICE, DEVICE, now)).toBe(false);
    expect(ticketValid(secrets, ticket, OPERATION, OPERATION, now)).toBe(false);
    const other = createSecretBox('another-secret-key-of-at-least-32-characters');
    expect(ticketValid(other, ticket, OPERATION, DEVICE, now)).toBe(false);
    const [expires, mac] = ticket.split('.');
    expect(ticketValid(secrets, `${Number(expires) + 1000}.${mac}`, OPERATION, DEVICE, now)).toBe(false);
    expect(ticketValid(secrets, 'nonsense', OPERATION, DEVICE, now)).toBe(false);
  });

  it('signs with a key of its own purpose', () => {
    expect(secrets.sign('agent-ticket', 'x')).not.toBe(secrets.sign('another-purpose', 'x'));
  });
});
