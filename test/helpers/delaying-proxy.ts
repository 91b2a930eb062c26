import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy to a PostgreSQL server that holds back what the server sends by `delayMs` (order kept):
 * a slow network path for one kind of connection, such as the live events' LISTEN connection.
 */
export interface DelayingProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  url: string;
  delayMs: number;
  close(): Promise<void>;
}

export async function startDelayingProxy(databaseUrl: string): Promise<DelayingProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const proxy: DelayingProxy = { url: '', delayMs: 0, close: async () => {} };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const queue: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      while (queue.length > 0 && queue[0]!.at <= Date.now()) client.write(queue.shift()!.chunk);
      if (queue.length > 0) timer = setTimeout(flush, queue[0]!.at - Date.now());
    };
    upstream.on('data', (chunk) => {
      queue.push({ at: Date.now() + proxy.delayMs, chunk });
      timer ??= setTimeout(flush, Math.max(0, queue[0]!.at - Date.now()));
    });
    client.on('data', (chunk) => upstream.write(chunk));
    const end = () => {
      if (timer) clearTimeout(timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  proxy.url = url.toString();
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
