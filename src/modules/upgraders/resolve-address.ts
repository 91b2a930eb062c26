import { lookup } from 'node:dns/promises';
import { literalIp, type AddressPolicy } from '../../platform/address-policy.js';

/**
 * Turns a device's host (IP address or name) into the one IP address to connect to, after checking
 * it against the network rule (settings `devices.*`). Names are resolved here, once, and the
 * connection goes to the checked address: letting the SSH library resolve the name again would
 * let a DNS answer that changes between the check and the connect (DNS rebinding) slip through.
 */

/**
 * The address is refused. For a host name, `message` (shown in operation logs that tenants read)
 * does not say what the name resolved to: that would hand a tenant the answers of the server's own
 * DNS. The resolved address and the rule that refused it are `detail`, for the server log only.
 */
export class AddressNotAllowed extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export class AddressUnresolved extends Error {}

/** Every address the name resolves to must be allowed (a name that also points at loopback is refused). */
export async function resolveAllowedAddress(
  host: string,
  policy: AddressPolicy,
  options: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<string> {
  const literal = literalIp(host);
  const addresses = literal !== null ? [literal] : await resolveName(host, options);
  let chosen: string | undefined;
  for (const address of addresses) {
    const verdict = policy.check(address);
    if (!verdict.allowed) {
      if (literal !== null) throw new AddressNotAllowed(verdict.reason);
      throw new AddressNotAllowed(
        `${host} resolves to an address that is not in a network devices may be reached at (settings devices.*)`,
        `${host} resolves to ${verdict.address}, and ${verdict.reason}`,
      );
    }
    chosen ??= verdict.address;
  }
  if (chosen === undefined) throw new AddressUnresolved(`${host} resolves to no address`);
  return chosen;
}

async function resolveName(
  host: string,
  options: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<string[]> {
  if (options.signal?.aborted) throw new AddressUnresolved(`resolving ${host} was aborted`);
  // getaddrinfo has no deadline of its own: bound it by the connect timeout and the abort signal.
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new AddressUnresolved(`resolving ${host} took longer than ${options.timeoutMs / 1000} s`)),
      options.timeoutMs,
    );
    onAbort = () => reject(new AddressUnresolved(`resolving ${host} was aborted`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const answer = lookup(host, { all: true, verbatim: true });
    answer.catch(() => {}); // a lookup that fails after the deadline must not become an unhandled rejection
    const answers = await Promise.race([answer, bound]);
    return answers.map((answer) => answer.address);
  } catch (error) {
    if (error instanceof AddressUnresolved) throw error;
    throw new AddressUnresolved(
      `cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}
