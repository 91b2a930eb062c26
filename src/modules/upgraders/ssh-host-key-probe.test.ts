import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAddressPolicy, DEFAULT_DENIED_NETWORKS } from '../../platform/address-policy.js';
import { probeHostKey } from './ssh-host-key-probe.js';
import { SshCommandError, SshConnectError } from './ssh-session.js';

/**
 * The probe against a server that takes the connection and never says a word: it gives up within its
 * timeout, or at once when aborted, and the server sees the socket closed either way.
 */
const policy = createAddressPolicy({
  allowLoopback: true,
  allowedNetworks: ['127.0.0.0/8'],
  deniedNetworks: [...DEFAULT_DENIED_NETWORKS],
});
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A TCP server that accepts and stays silent; resolves with its port and the closes it saw. */
async function silentServer(): Promise<{ port: number; closed: Promise<void> }> {
  let sawClose: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    sawClose = resolve;
  });
  server = createServer((socket: Socket) => {
    socket.on('error', () => {});
    socket.resume(); // reads (and drops) what comes, so the end of the connection is seen
    socket.on('close', () => sawClose());
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, closed };
}

const PIN = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('the host-key probe', () => {
  it('gives up on a silent server within its timeout, as unreachable, and closes the socket', async () => {
    const { port, closed } = await silentServer();
    const started = Date.now();
    const error = await probeHostKey({
      host: '127.0.0.1',
      port,
      addressPolicy: policy,
      pinnedHostKey: PIN,
      timeoutMs: 400,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SshConnectError);
    expect((error as SshConnectError).kind).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(3000);
    await closed;
  });

  it('stops at once when aborted, long before its timeout, and closes the socket', async () => {
    const { port, closed } = await silentServer();
    const controller = new AbortController();
    const started = Date.now();
    const probing = probeHostKey({
      host: '127.0.0.1',
      port,
      addressPolicy: policy,
      pinnedHostKey: PIN,
      timeoutMs: 30_000,
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    setTimeout(() => controller.abort(), 200);
    const error = await probing;
    expect(error).toBeInstanceOf(SshCommandError);
    expect(Date.now() - started).toBeLessThan(5000);
    await closed;
  });
});
