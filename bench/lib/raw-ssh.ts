import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import ssh2 from 'ssh2';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

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

export interface RawTarget {
  host: string;
  port: number;
}

/**
 * Wall seconds (and the clients' CPU seconds, start-up excluded) of one raw ssh2 transfer of `file`
 * into every target at once (handshake, `cat > file`, clean-up: what a server must do at the least to
 * put one image on each router), from a process of its own (bench/lib/raw-ssh-fleet.ts). A separate
 * process, because fleetflash's server is one: the clients must not share the single thread of the
 * benchmark process, which plays the simulated fleet.
 */
export function parallelRawTransfers(
  targets: RawTarget[],
  password: string,
  file: string,
): Promise<{ seconds: number; cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'lib', 'raw-ssh-fleet.ts')],
      {
        cwd: PROJECT_ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('{"seconds"'));
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`raw ssh2 transfers exited with ${code}: ${output.slice(0, 2000)}`));
    });
    child.stdin.end(JSON.stringify({ targets, password, file }));
  });
}
