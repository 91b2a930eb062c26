/**
 * A benchmark client process (forked by bench/event-streams.ts): holds many Server-Sent Events
 * connections open over raw HTTP (an Agent without a socket cap) and records when each connection
 * received each benchmark event (`"bench_seq":N` in its data), in wall-clock milliseconds
 * (performance.timeOrigin + now: comparable across the processes of one machine).
 *
 * Messages from the parent: { cmd: 'open', url, headers, count, concurrency } → { type: 'opened', ok, failed, error };
 * { cmd: 'count' } → { type: 'count', received, open };
 * { cmd: 'report' } → { type: 'receipts', bySeq, open }; { cmd: 'close' } → exits.
 */
import http from 'node:http';

interface OpenCommand {
  cmd: 'open';
  url: string;
  headers: Record<string, string>;
  count: number;
  concurrency: number;
}
type Command = OpenCommand | { cmd: 'count' } | { cmd: 'report' } | { cmd: 'close' };

const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const requests: http.ClientRequest[] = [];
let bySeq: Record<number, number[]> = {};
let open = 0;

const now = () => performance.timeOrigin + performance.now();

function openOne(url: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`status ${response.statusCode}`));
        return;
      }
      open += 1;
      response.setEncoding('utf8');
      let buffer = '';
      let resolved = false;
      response.on('data', (chunk: string) => {
        const at = now();
        buffer += chunk;
        const end = buffer.lastIndexOf('\n\n');
        if (end < 0) return;
        const blocks = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        // The first block (retry/id/": connected") says the stream is live.
        if (!resolved) {
          resolved = true;
          resolve();
        }
        for (const match of blocks.matchAll(/"bench_seq":(\d+)/g)) {
          const seq = Number(match[1]);
          bySeq[seq] ??= [];
          bySeq[seq].push(at);
        }
      });
      response.on('close', () => {
        open -= 1;
      });
    });
    request.on('error', reject);
    requests.push(request);
  });
}

async function openAll(command: OpenCommand): Promise<{
  ok: number;
  failed: number;
  retries: number;
  error: string | undefined;
}> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  let retries = 0;
  let error: string | undefined;
  const lane = async () => {
    while (next < command.count) {
      next += 1;
      // As a browser does, a refused stream (503 when the server is saturated) is retried.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await openOne(command.url, command.headers);
          ok += 1;
          break;
        } catch (cause) {
          if (attempt < 10) {
            retries += 1;
            await new Promise((resolve) => setTimeout(resolve, 500));
            continue;
          }
          failed += 1;
          error ??= (cause as Error).message;
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  return { ok, failed, retries, error };
}

// The parent gone, nothing is left to report to.
process.on('disconnect', () => process.exit(0));

process.on('message', (command: Command) => {
  if (command.cmd === 'open') {
    void openAll(command).then((result) => process.send!({ type: 'opened', ...result }));
  } else if (command.cmd === 'count') {
    const received = Object.values(bySeq).reduce((sum, times) => sum + times.length, 0);
    process.send!({ type: 'count', received, open });
  } else if (command.cmd === 'report') {
    process.send!({ type: 'receipts', bySeq, open });
    bySeq = {};
  } else {
    for (const request of requests) request.destroy();
    process.exit(0);
  }
});
