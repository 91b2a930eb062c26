/**
 * Child process of `rawHttpDownloads` (raw-http.ts): a bare node:http server that answers every GET with
 * the file given as its argument (streamed in 1 MiB reads, as fleetflash's local storage does), and prints
 * `{"port": …}` once it listens. The floor of what serving an image pull costs a server.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const file = process.argv[2]!;
const size = statSync(file).size;
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
  createReadStream(file, { highWaterMark: 1 << 20 }).pipe(response);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
