/**
 * Child process of `parallelRawTransfers` (raw-ssh.ts): reads `{targets, password, file}` as JSON on
 * stdin, streams the file into every target at once with a plain ssh2 client each, and prints
 * `{"seconds": …}`, the wall time from the first connection to the last transfer's end.
 */
import { type RawTarget, rawTransfer } from './raw-ssh.js';

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { targets, password, file } = JSON.parse(input) as { targets: RawTarget[]; password: string; file: string };
  const started = performance.now();
  await Promise.all(targets.map((target) => rawTransfer(target.host, target.port, password, file)));
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
