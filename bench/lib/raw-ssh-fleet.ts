/**
 * Child process of `parallelRawTransfers` (raw-ssh.ts): reads `{targets, password, file}` as JSON on
 * stdin, streams the file into every target at once with a plain ssh2 client each, and prints
 * `{"seconds": …, "cpuSeconds": …}`: the wall time from the first connection to the last transfer's end,
 * and the CPU time of this process.
 */
import { type RawTarget, rawTransfer } from './raw-ssh.js';

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { targets, password, file } = JSON.parse(input) as { targets: RawTarget[]; password: string; file: string };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(targets.map((target) => rawTransfer(target.host, target.port, password, file)));
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (user + system) / 1e6 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
