import { isIP } from 'node:net';
import { literalIp, normaliseIp } from '../../platform/address-policy.js';

/**
 * Which client addresses share a login-throttle budget. An IPv4 address is one client. An IPv6
 * client, though, is normally given a whole /64 (SLAAC, privacy addresses, any home router), so it
 * can send every guess from a new address: the per-address budget is kept per /64 instead.
 * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, what a dual-stack socket reports) count as the IPv4
 * address they carry. The (address, username) budget keeps the full address (`throttleClientAddress`):
 * it only stops guessing one password, which a new address per guess would not help with anyway
 * once the /64 budget is spent.
 */

/** The client's own address, normalised (mapped IPv4 → IPv4, lower case); anything else unchanged. */
export function throttleClientAddress(ip: string): string {
  const literal = literalIp(ip);
  return literal === null ? ip : normaliseIp(literal);
}

/** The key of the per-address budget: the IPv4 address, or the IPv6 /64 written as `x:x:x:x::/64`. */
export function throttleAddressKey(ip: string): string {
  const address = throttleClientAddress(ip);
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` expanded and a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
