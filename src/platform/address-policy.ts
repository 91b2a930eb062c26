import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * Which network addresses fleetflash may open connections to on behalf of a device (settings
 * `devices.allowed_networks`, `devices.denied_networks`, `devices.allow_loopback`) or of a webhook
 * (the same three under `webhooks.`).
 *
 * A device's address is chosen by a tenant, so without a rule a tenant could make the server
 * connect to itself (loopback), to the cloud's metadata service or to any internal host, and read
 * from the upgrade log which ports answer. The rule, for every address connected to:
 *   1. IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are checked as the IPv4 address they carry;
 *      brackets and zone ids (`[fe80::1%eth0]`) are dropped.
 *   2. An address in `denied_networks` is refused (deny wins over everything).
 *   3. A loopback or unspecified address (127.0.0.0/8, 0.0.0.0/8, ::1, ::) is refused unless
 *      `allow_loopback` is true (connecting to 0.0.0.0 or :: reaches the server itself).
 *   4. With `allowedInternalNetworks` given (webhooks: their receivers are on the internet, so an
 *      internal address is a tenant probing the server's network), a private or special-purpose
 *      address (INTERNAL_NETWORKS; a NAT64 address by the IPv4 address it carries) is refused unless
 *      that list holds it. Devices give none: they live in private networks.
 *   5. Anything else must be in `allowed_networks`.
 * IPv4 rules match IPv4 addresses only and IPv6 rules IPv6 addresses only (Node's BlockList alone
 * would let `::/0` match every IPv4 address too, which nobody writing `::/0` means).
 */

export interface AddressPolicySettings {
  allowedNetworks: readonly string[];
  deniedNetworks: readonly string[];
  allowLoopback: boolean;
  /** Given: INTERNAL_NETWORKS are refused unless in this list (which also allows loopback). */
  allowedInternalNetworks?: readonly string[];
}

export type AddressVerdict = { allowed: true; address: string } | { allowed: false; address: string; reason: string };

export interface AddressPolicy {
  /**
   * Whether fleetflash may connect to this IP address (not a host name: resolve it first).
   * `subject` names the address in the reason instead of the address itself (e.g. "an address of
   * hooks.example.com"), for reasons shown to people who should not learn what a name resolves to.
   */
  check(ip: string, subject?: string): AddressVerdict;
}

type Family = 'ipv4' | 'ipv6';

interface Network {
  cidr: string;
  family: Family;
  list: BlockList;
}

const LOOPBACK = ['127.0.0.0/8', '0.0.0.0/8', '::1/128', '::/128'];

/** Drops brackets and a zone id; null when what is left is not an IP address. */
export function literalIp(host: string): string | null {
  const unbracketed = host.trim().replace(/^\[(.*)\]$/, '$1');
  const address = unbracketed.includes(':') ? unbracketed.replace(/%.*$/, '') : unbracketed;
  return isIP(address) === 0 ? null : address;
}

/** `::ffff:a.b.c.d` and `::ffff:xxxx:yyyy` become `a.b.c.d`; other addresses are returned lower-cased. */
export function normaliseIp(ip: string): string {
  const lowered = ip.toLowerCase();
  if (isIPv4(lowered) || !isMappedPrefix(lowered)) return lowered;
  const tail = lowered.slice(lowered.lastIndexOf(':') + 1);
  if (isIPv4(tail)) return tail;
  const [high, low] = lowered
    .split(':')
    .slice(-2)
    .map((group) => parseInt(group, 16)) as [number, number];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True when the address lies in ::ffff:0:0/96 (BlockList knows the IPv6 arithmetic). */
function isMappedPrefix(ip: string): boolean {
  return isIP(ip) === 6 && MAPPED.check(ip, 'ipv6');
}

const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Parses `a.b.c.d/n`, `x:y::/n` or a bare address (one host); throws an Error naming the problem. */
export function parseNetwork(cidr: string): Network {
  const [rawAddress = '', prefixText, ...rest] = cidr.trim().split('/');
  const address = rawAddress.toLowerCase();
  const version = isIP(address);
  if (version === 0 || rest.length > 0)
    throw new Error(`"${cidr}" is not a network: write it as 10.0.0.0/8 or fd00::/8`);
  const family: Family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))
    throw new Error(`"${cidr}": the prefix length must be a number from 0 to ${bits}`);
  if (prefix > bits) throw new Error(`"${cidr}": the prefix length must be a number from 0 to ${bits}`);
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { cidr: `${address}/${prefix}`, family, list };
}

function firstMatch(networks: readonly Network[], ip: string): Network | undefined {
  const family: Family = isIPv4(ip) ? 'ipv4' : 'ipv6';
  return networks.find((network) => network.family === family && network.list.check(ip, family));
}

/**
 * Private and special-purpose networks, refused for webhooks unless allowed (rule 4): nothing a
 * receiver on the internet has. Loopback and unspecified addresses are in it too, for the IPv4
 * address a NAT64 address carries.
 */
export const INTERNAL_NETWORKS = [
  ...LOOPBACK,
  '10.0.0.0/8', // RFC 1918
  '172.16.0.0/12', // RFC 1918
  '192.168.0.0/16', // RFC 1918
  '100.64.0.0/10', // carrier-grade NAT (RFC 6598)
  '169.254.0.0/16', // link-local
  '192.0.0.0/24', // IETF protocol assignments
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the broadcast address
  'fc00::/7', // unique local
  'fec0::/10', // site-local (deprecated, still routed inside some networks)
  'fe80::/10', // link-local
  'ff00::/8', // multicast
  '::/96', // IPv4-compatible (deprecated)
];

/** NAT64 prefixes (RFC 6052, RFC 8215): a packet to one of them goes to the IPv4 address it carries. */
const NAT64_WELL_KNOWN = parseNetwork('64:ff9b::/96');
const NAT64_LOCAL = parseNetwork('64:ff9b:1::/48');

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const dotted = text.match(/:(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const ipv4Of = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join('.');

/**
 * The IPv4 addresses a NAT64 address may carry: the last 32 bits under 64:ff9b::/96; under the local-use
 * 64:ff9b:1::/48, whose translator chooses its prefix length, both the /96 and the /48 places (RFC 6052).
 */
function nat64Ipv4(ip: string): string[] {
  if (isIPv4(ip)) return [];
  const groups = ipv6Groups(ip);
  const last = ipv4Of(groups[6]!, groups[7]!);
  if (NAT64_WELL_KNOWN.list.check(ip, 'ipv6')) return [last];
  if (!NAT64_LOCAL.list.check(ip, 'ipv6')) return [];
  // /48 layout: bits 48–63 (group 3) and, after the zero "u" octet, bits 72–87 (group 4's low byte, group 5's high).
  const high = groups[3]!;
  const low = ((groups[4]! & 255) << 8) | (groups[5]! >> 8);
  return [last, ipv4Of(high, low)];
}

/**
 * Builds the policy from the settings (their CIDR lists were checked when the config was read).
 * `settingGroup` names the settings in the reasons given ("devices", "webhooks").
 */
export function createAddressPolicy(settings: AddressPolicySettings, settingGroup = 'devices'): AddressPolicy {
  const allowed = settings.allowedNetworks.map(parseNetwork);
  const denied = settings.deniedNetworks.map(parseNetwork);
  const loopback = LOOPBACK.map(parseNetwork);
  const internal = INTERNAL_NETWORKS.map(parseNetwork);
  const internalAllowed = settings.allowedInternalNetworks?.map(parseNetwork);
  return {
    check(input, subject) {
      const ip = normaliseIp(literalIp(input) ?? input);
      if (isIP(ip) === 0) return { allowed: false, address: input, reason: `"${input}" is not an IP address` };
      const named = subject ?? ip;
      // The address itself and, for NAT64, the IPv4 address the packet really goes to.
      const reached = [ip, ...nat64Ipv4(ip)];
      const matchAny = (networks: readonly Network[]) =>
        reached.map((address) => firstMatch(networks, address)).find((network) => network !== undefined);
      const deniedBy = matchAny(denied);
      if (deniedBy)
        return {
          allowed: false,
          address: ip,
          reason: `${named} is in ${deniedBy.cidr}, which the setting ${settingGroup}.denied_networks refuses`,
        };
      const listedInternal = internalAllowed !== undefined && matchAny(internalAllowed) !== undefined;
      const loopbackBy = firstMatch(loopback, ip);
      if (loopbackBy && !settings.allowLoopback && !listedInternal) {
        return {
          allowed: false,
          address: ip,
          reason:
            `${named} is a loopback address (the server itself), refused unless the setting ` +
            `${settingGroup}.allow_loopback is true`,
        };
      }
      const internalBy = internalAllowed && !loopbackBy ? matchAny(internal) : undefined;
      if (internalBy && !listedInternal)
        return {
          allowed: false,
          address: ip,
          reason:
            `${named} is a private or special-purpose address (${internalBy.cidr}), refused unless the setting ` +
            `${settingGroup}.allowed_internal_networks lists it`,
        };
      if (!firstMatch(allowed, ip))
        return {
          allowed: false,
          address: ip,
          reason: `${named} is not in any network of the setting ${settingGroup}.allowed_networks`,
        };
      return { allowed: true, address: ip };
    },
  };
}

/** The default `devices.denied_networks`: link-local addresses and the clouds' metadata services. */
export const DEFAULT_DENIED_NETWORKS = [
  '169.254.0.0/16', // IPv4 link-local, including 169.254.169.254 (AWS, GCP, Azure, OCI, DigitalOcean metadata)
  'fe80::/10', // IPv6 link-local
  'fd00:ec2::254/128', // AWS metadata over IPv6
  '100.100.100.200/32', // Alibaba Cloud metadata
];
