/**
 * The baseline of bench/event-streams.ts: a bare Node http server that holds Server-Sent Events
 * sockets and, on each PostgreSQL notification of `bench_bare` (LISTEN on its own connection),
 * writes the notification's payload as one SSE frame, serialized once, to every socket. No
 * authentication, no filter, no row read: the floor for "commit → each client's receipt".
 *
 * argv: DATABASE_URL. Prints `listening on <port>` when ready.
 */
import http from 'node:http';
import type { ServerResponse } from 'node:http';
import pg from 'pg';

const sockets = new Set<ServerResponse>();
let lastId = 0;

const server = http.createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  response.write(`retry: 2000\nid: ${lastId}\n: connected\n\n`);
  sockets.add(response);
  request.on('close', () => sockets.delete(response));
});
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.headersTimeout = 0;

const client = new pg.Client({ connectionString: process.argv[2] });
await client.connect();
client.on('notification', (message) => {
  lastId += 1;
  const frame = `id: ${lastId}\nevent: operation\ndata: ${message.payload}\n\n`;
  for (const socket of sockets) socket.write(frame);
});
await client.query('LISTEN bench_bare');
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  for (const socket of sockets) socket.destroy();
  server.close();
  void client.end().then(() => process.exit(0));
});
