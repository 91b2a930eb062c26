import { Resolver } from 'node:dns/promises';
import { type AddressPolicy, literalIp } from '../../platform/address-policy.js';
import { AppError } from '../../platform/errors.js';

/**
 * Where a webhook may post. A tenant chooses the URL, so without a rule a tenant could make the
 * server post to itself, to the cloud's metadata service or to internal hosts, and read from the
 * delivery log which answer. The URL is checked when it is saved (scheme, no credentials, a literal
 * address against the policy of settings `webhooks.*`) and, since a name can resolve anywhere
 * later, every attempt resolves the name and connects only to an address the policy allows.
 *
 * Names are resolved by DNS queries with a timeout (a c-ares `Resolver`), not `dns.lookup`: that one
 * runs getaddrinfo on libuv's small thread pool with no bound, where a slow resolver would block file
 * and crypto work of the whole process too. /etc/hosts is therefore not read; `localhost` (and names
 * under `.localhost`, RFC 6761) mean the loopback addresses.
 */

/** Seconds one DNS query may take, and how many times it is sent: at most about 1.5 + 3 s in all. */
const DNS_TIMEOUT_MS = 1500;
const DNS_TRIES = 2;

/** What resolving needs from a resolver (a `dns.promises.Resolver`; tests pass their own). */
export interface HostResolver {
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
}

/**
 * A resolver of the system's DNS servers whose queries give up after `timeoutMs` (per try). One is
 * made per delivery worker and shared by its attempts (a c-ares channel each, not one per attempt);
 * `cancel()` ends its queries when the worker stops.
 */
export function createHostResolver(timeoutMs = DNS_TIMEOUT_MS, tries = DNS_TRIES): Resolver {
  return new Resolver({ timeout: timeoutMs, tries });
}

/** Answers meaning "this name has no address of that family" rather than "DNS failed". */
const NO_ADDRESS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

function isLocalhost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Every IPv4 and IPv6 address of a name, IPv4 first; throws when DNS fails (timeout, no server). */
async function resolveAll(host: string, resolver: HostResolver): Promise<{ address: string; family: 4 | 6 }[]> {
  if (isLocalhost(host))
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
  ];
  const failure = [v4, v6]
    .map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as NodeJS.ErrnoException) : null))
    .find((error) => error !== null && !NO_ADDRESS.has(error.code ?? ''));
  // One family failing (a server that drops AAAA queries) while the other answered is fine: only
  // checked addresses are ever connected to.
  if (failure && addresses.length === 0) throw new Error(`cannot resolve ${host} (${failure.code ?? failure.message})`);
  return addresses;
}

const MAX_URL_LENGTH = 2000;

function refuse(reason: string): AppError {
  return new AppError('WebhookUrlNotAllowed', `The webhook URL cannot be used: ${reason}`, { url: reason });
}

/**
 * A webhook URL as people who may not change the webhook see it, and as the audit log keeps it:
 * `https://receiver.example.com/…`. Receivers often take their credential in the path or query (chat
 * services' incoming-webhook URLs are the secret themselves), so only the scheme and host are shown.
 */
export function redactWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '…';
  }
}

/** Checks a URL given by a user; returns it normalised, or throws WebhookUrlNotAllowed. */
export function checkWebhookUrl(raw: string, policy: AddressPolicy): string {
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) throw refuse(`it is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('it is not a URL; write it as https://receiver.example.com/path.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse(`only http:// and https:// are posted to, not ${url.protocol}//.`);
  if (url.username || url.password)
    throw refuse('it holds a user name or password; receivers check the signature header instead.');
  if (url.hash) throw refuse('it has a #fragment, which is never sent.');
  const host = url.hostname;
  const ip = literalIp(host) ?? (host.toLowerCase() === 'localhost' ? '127.0.0.1' : null);
  if (ip !== null) {
    const verdict = policy.check(ip);
    if (!verdict.allowed) throw refuse(`${verdict.reason}.`);
  }
  return url.toString();
}

/**
 * Resolves a receiver's host name; every address it resolves to must pass the policy (as for
 * devices: a name that also points inside is refused whole), and the first is connected to (the
 * caller connects to this address, never resolving again: a second answer could point elsewhere).
 * `refused`: our rule refused it; a name that cannot be resolved, or has no address, throws.
 */
export async function resolveWebhookHost(
  host: string,
  policy: AddressPolicy,
  resolver: HostResolver,
): Promise<{ address: string; family: 4 | 6 } | { refused: string }> {
  const literal = literalIp(host);
  const addresses = literal
    ? [{ address: literal, family: literal.includes(':') ? (6 as const) : (4 as const) }]
    : await resolveAll(host, resolver);
  const first = addresses[0];
  if (!first) throw new Error(`${host} has no address`);
  // The reason is stored in the delivery log, which every member reads: it names the host, never
  // the internal address a name resolved to.
  const subject = literal ? undefined : `an address of ${host}`;
  for (const entry of addresses) {
    const verdict = policy.check(entry.address, subject);
    if (!verdict.allowed) return { refused: verdict.reason };
  }
  return first;
}
