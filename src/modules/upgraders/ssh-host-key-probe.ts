import ssh2 from 'ssh2';
import type { AddressPolicy } from '../../platform/address-policy.js';
import {
  CIPHERS,
  hostKeyFingerprint,
  resolveConnectAddress,
  SshCommandError,
  SshConnectError,
  unreachable,
} from './ssh-session.js';

/**
 * Whether the device at an address still holds its pinned host key, learnt from the SSH transport
 * handshake alone: the key exchange runs to its end (so the server has signed it with the private key
 * of the key it presented, which ssh2 verifies before the handshake completes), and the connection is
 * closed before the client asks for the authentication service. No user name, password or key is ever
 * sent, so a server at that address, whoever runs it, learns nothing it could log in with elsewhere.
 */

export interface HostKeyProbeOptions {
  /** IP address or host name: resolved and checked against the network rule as an upgrade's connect is. */
  host: string;
  port: number;
  addressPolicy: AddressPolicy;
  /** The pinned fingerprint ("SHA256:…"). There is no probe without one: a first key is never trusted here. */
  pinnedHostKey: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Ends when the server proved the pinned host key. Throws SshConnectError: `host-key-mismatch` (with the
 * presented key), `unreachable`, `address-not-allowed`; SshCommandError when aborted.
 */
export async function probeHostKey(options: HostKeyProbeOptions): Promise<void> {
  const { address, remainingMs } = await resolveConnectAddress(options);
  return handshakeOnly(options, address, remainingMs);
}

/**
 * ssh2 asks for the `ssh-userauth` service right after emitting 'handshake', in the same tick: ending the
 * connection in that listener closes the socket first, so the request (and any login after it) is never
 * written. The authHandler refusing every method is the second lock: were a login ever started, it would
 * send nothing but end the connection.
 */
function handshakeOnly(options: HostKeyProbeOptions, address: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: string | undefined;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // After the handshake a polite close; otherwise (timeout, abort, wrong key) the socket goes at once.
      if (error) client.destroy();
      else client.end();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(new SshCommandError('aborted', 'connection aborted'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    client.on('handshake', () => finish(null));
    client.on('error', (error: Error & { code?: string }) => {
      if (presented !== undefined && presented !== options.pinnedHostKey) {
        finish(
          new SshConnectError(
            'host-key-mismatch',
            `the host key changed: pinned ${options.pinnedHostKey}, presented ${presented}`,
            presented,
          ),
        );
      } else finish(unreachable(`no SSH handshake: ${error.code ?? error.message}`));
    });
    client.on('close', () => finish(unreachable('the connection closed during the handshake')));
    client.connect({
      host: address,
      port: options.port,
      // ssh2 requires a user name; it would only be sent in an authentication request, which never goes out.
      username: '',
      authHandler: () => false,
      readyTimeout: timeoutMs,
      algorithms: { cipher: CIPHERS },
      hostVerifier: (key: Buffer) => {
        presented = hostKeyFingerprint(key);
        return presented === options.pinnedHostKey;
      },
    });
  });
}
