import { lookup } from 'node:dns/promises';
import { type AddressPolicy, literalIp } from '../../platform/address-policy.js';
import { AppError } from '../../platform/errors.js';

/**
 * Where a webhook may post. A tenant chooses the URL, so without a rule a tenant could make the
 * server post to itself, to the cloud's metadata service or to internal hosts, and read from the
 * delivery log which answer. The URL is checked when it is saved (scheme, no credentials, a literal
 * address against the policy of settings `webhooks.*`) and, since a name can resolve anywhere
 * later, every attempt resolves the name and connects only to an address the policy allows.
 */

const MAX_URL_LENGTH = 2000;

function refuse(reason: string): AppError {
  return new AppError('WebhookUrlNotAllowed', `The webhook URL cannot be used: ${reason}`, { url: reason });
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
 * devices: a name that also points inside is refused whole), and the first is connected to.
 */
export async function resolveWebhookHost(
  host: string,
  policy: AddressPolicy,
): Promise<{ address: string; family: 4 | 6 } | { refused: string }> {
  const literal = literalIp(host);
  const addresses = literal
    ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
    : await lookup(host, { all: true }).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`cannot resolve ${host} (${error.code ?? error.message})`);
      });
  const first = addresses[0];
  if (!first) return { refused: `${host} has no address` };
  for (const entry of addresses) {
    const verdict = policy.check(entry.address);
    if (!verdict.allowed) return { refused: verdict.reason };
  }
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
