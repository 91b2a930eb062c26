import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { cpuSeconds } from './fleetflash-process.js';

/**
 * The baseline of image pulls: `count` downloads at once of `file` from a bare node:http server in a process
 * of its own (bench/lib/raw-http-server.ts), as the simulated routers' wget fetches them. Answers the wall
 * seconds and the server process's CPU seconds for the downloads (its start-up excluded): on loopback the
 * kernel's TCP work for both ends is charged to the sender, so this floor is higher here than on a network.
 */
export async function rawHttpDownloads(count: number, file: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'lib', 'raw-http-server.ts'), file],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        const line = output.split('\n').find((text) => text.startsWith('{"port"'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.once('close', (code) => reject(new Error(`the raw HTTP server exited with ${code}`)));
    });
    const cpuBefore = cpuSeconds(child.pid!);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, async () => {
        const response = await fetch(`http://127.0.0.1:${port}/image`);
        for await (const _chunk of response.body!) {
          // consumed and dropped, as the simulated router keeps only a hash
        }
      }),
    );
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds(child.pid!) - cpuBefore };
  } finally {
    child.kill('SIGTERM');
  }
}
