import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import ssh2 from 'ssh2';

/** Shared by the benchmarks: the plain-ssh2 baseline they are judged against. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function connect(host: string, port: number, password: string): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    // The same cipher preference as fleetflash's client (native AES-GCM first).
    client.connect({
      host,
      port,
      username: 'root',
      password,
      // A thousand handshakes at once on two cores take longer than ssh2's default 20 s.
      readyTimeout: 300_000,
      algorithms: { cipher: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr'] },
    });
  });
}

/** Seconds to stream the file into `cat > path` with a plain ssh2 client. */
export async function rawTransfer(host: string, port: number, password: string, file: string): Promise<number> {
  const client = await connect(host, port, password);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    client.exec('cat > /tmp/raw.bin', (error, channel) => {
      if (error) return reject(error);
      channel.on('close', () => resolve());
      // Consume the (empty) output too: the channel only closes once both directions ended.
      channel.resume();
      pipeline(createReadStream(file), channel).catch(reject);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  // Free the router's /tmp for the upgrade that follows.
  await new Promise<void>((resolve) =>
    client.exec('rm -f /tmp/raw.bin', (_error, channel) =>
      channel
        ? channel
            .on('close', () => resolve())
            .resume()
            .end()
        : resolve(),
    ),
  );
  client.end();
  return seconds;
}
