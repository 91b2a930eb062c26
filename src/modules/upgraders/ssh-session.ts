import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ssh2 from 'ssh2';
import type { AddressPolicy } from '../../platform/address-policy.js';
import type { SshCredentials } from './upgrader.js';
import { AddressNotAllowed, resolveAllowedAddress } from './resolve-address.js';

/**
 * A bounded SSH session to a device, for upgraders: connect with a deadline and host-key check,
 * run commands with a deadline, stream files in through a command's stdin (`cat > path`: OpenWrt
 * routers usually have no sftp-server). Every wait has a bound and honours an AbortSignal.
 */

/** OpenSSH-style fingerprint of a host key: "SHA256:" + unpadded base64 of its SHA-256. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export type ConnectFailure = 'unreachable' | 'auth-failed' | 'host-key-mismatch' | 'address-not-allowed';

/**
 * Why a connection failed. For `unreachable` the message is deliberately the same whatever happened
 * (refused, reset, timed out, not SSH, name not resolved): it reaches operation logs that tenants
 * read, and telling those apart would make fleetflash a port scanner of the networks it sits in.
 * The precise cause is `detail`, for the server log only.
 */
export class SshConnectError extends Error {
  constructor(
    readonly kind: ConnectFailure,
    message: string,
    readonly presentedHostKey?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The one message for every way a device can be unreachable. */
export const UNREACHABLE = 'the device is unreachable';

export function unreachable(detail: string): SshConnectError {
  return new SshConnectError('unreachable', UNREACHABLE, undefined, detail);
}

export class SshCommandError extends Error {
  constructor(
    readonly kind: 'timeout' | 'dropped' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectOptions {
  /** IP address or host name: a name is resolved once, every address checked, the checked one connected to. */
  host: string;
  port: number;
  /** The network rule (settings `devices.*`): a refused address is never contacted. */
  addressPolicy: AddressPolicy;
  credentials: SshCredentials;
  /** Pinned fingerprint to require; null accepts any key (and the caller pins it). */
  expectedHostKey: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** Exit code; null when the session dropped before the command ended. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The connection closed before the command reported an exit status. */
  dropped: boolean;
}

const MAX_OUTPUT = 1024 * 1024;

/** Native AES-GCM first: fast without ssh2's optional compiled addon. */
export const CIPHERS = [
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
  'aes128-ctr',
  'aes192-ctr',
  'aes256-ctr',
  'chacha20-poly1305@openssh.com',
] as ssh2.CipherAlgorithm[];

function describeConnectError(error: Error & { level?: string; code?: string }): SshConnectError {
  if (error.level === 'client-authentication')
    return new SshConnectError('auth-failed', 'the device refused the SSH credentials');
  return unreachable(`cannot connect: ${error.code ?? error.message}`);
}

/**
 * The address to connect to (the network rule checked, a name resolved once) and what is left of the
 * connect deadline: one deadline covers resolving and the handshake together. Throws SshConnectError
 * (`address-not-allowed`, `unreachable`) or, when aborted, SshCommandError.
 */
export async function resolveConnectAddress(
  options: Pick<ConnectOptions, 'host' | 'addressPolicy' | 'timeoutMs' | 'signal'>,
): Promise<{ address: string; remainingMs: number }> {
  const started = Date.now();
  try {
    const address = await resolveAllowedAddress(options.host, options.addressPolicy, {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    return { address, remainingMs: Math.max(1, options.timeoutMs - (Date.now() - started)) };
  } catch (error) {
    if (options.signal?.aborted) throw new SshCommandError('aborted', 'connection aborted');
    if (error instanceof AddressNotAllowed)
      throw new SshConnectError('address-not-allowed', error.message, undefined, error.detail);
    throw unreachable((error as Error).message);
  }
}

export class SshSession {
  private closed = false;

  private constructor(
    private readonly client: ssh2.Client,
    readonly hostKey: string,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
    // Errors after the handshake surface through the running command; keep them from crashing the process.
    client.on('error', () => {});
  }

  get isClosed(): boolean {
    return this.closed;
  }

  static async connect(options: ConnectOptions): Promise<SshSession> {
    const { address, remainingMs } = await resolveConnectAddress(options);
    return SshSession.handshake(options, address, remainingMs);
  }

  private static handshake(options: ConnectOptions, address: string, timeoutMs: number): Promise<SshSession> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let presented: string | undefined;
      let settled = false;
      const finish = (error: Error | null, session?: SshSession) => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        if (error) {
          client.end();
          reject(error);
        } else resolve(session!);
      };
      const onAbort = () => finish(new SshCommandError('aborted', 'connection aborted'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      client.on('ready', () => finish(null, new SshSession(client, presented!)));
      client.on('error', (error: Error & { level?: string }) => {
        if (presented && options.expectedHostKey && presented !== options.expectedHostKey) {
          finish(
            new SshConnectError(
              'host-key-mismatch',
              `the host key changed: pinned ${options.expectedHostKey}, presented ${presented}`,
              presented,
            ),
          );
        } else finish(describeConnectError(error));
      });
      client.on('close', () => finish(unreachable('the connection closed during the handshake')));
      client.connect({
        host: address,
        port: options.port,
        username: options.credentials.username,
        ...(options.credentials.password !== undefined ? { password: options.credentials.password } : {}),
        ...(options.credentials.privateKey !== undefined ? { privateKey: options.credentials.privateKey } : {}),
        ...(options.credentials.passphrase !== undefined ? { passphrase: options.credentials.passphrase } : {}),
        readyTimeout: timeoutMs,
        keepaliveInterval: 5000,
        keepaliveCountMax: 3,
        algorithms: { cipher: CIPHERS },
        hostVerifier: (key: Buffer) => {
          presented = hostKeyFingerprint(key);
          return options.expectedHostKey === null || presented === options.expectedHostKey;
        },
      });
    });
  }

  /**
   * Runs a command; resolves with its exit code and output (even non-zero), rejects on timeout or abort.
   * With `onStdout`, standard output goes to it as bytes (a file read back: a backup archive) instead
   * of into the result's text.
   */
  exec(
    command: string,
    options: {
      timeoutMs: number;
      signal?: AbortSignal;
      stdin?: Readable;
      onStdinBytes?: (bytes: number) => void;
      onStdout?: (chunk: Buffer) => void;
    },
  ): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve({ code: null, stdout: '', stderr: '', dropped: true });
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      let settled = false;
      let channel: ssh2.ClientChannel | undefined;
      const finish = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.client.removeListener('close', onClientClose);
        if (error) {
          channel?.destroy();
          reject(error);
        } else resolve({ code, stdout, stderr, dropped: code === null });
      };
      const onAbort = () => finish(new SshCommandError('aborted', `aborted: ${command.split(' ')[0]}`));
      const onClientClose = () => finish(null);
      const timer = setTimeout(
        () => finish(new SshCommandError('timeout', `no answer within ${options.timeoutMs / 1000} s`)),
        options.timeoutMs,
      );
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.client.once('close', onClientClose);
      this.client.exec(command, (error, opened) => {
        if (error) return finish(new SshCommandError('dropped', `cannot run the command: ${error.message}`));
        channel = opened;
        opened.on('data', (data: Buffer) => {
          if (options.onStdout) options.onStdout(data);
          else if (stdout.length < MAX_OUTPUT) stdout += data.toString();
        });
        opened.stderr.on('data', (data: Buffer) => {
          if (stderr.length < MAX_OUTPUT) stderr += data.toString();
        });
        opened.on('exit', (exitCode: number | null) => {
          code = exitCode;
        });
        opened.on('close', () => finish(null));
        if (options.stdin) {
          const meter = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              options.onStdinBytes?.(chunk.length);
              callback(null, chunk);
            },
          });
          pipeline(options.stdin, meter, opened).catch((pipeError: Error) => {
            finish(new SshCommandError('dropped', `the transfer broke off: ${pipeError.message}`));
          });
        } else {
          opened.end();
        }
      });
    });
  }

  close(): void {
    this.client.end();
  }
}
