import http from 'node:http';
import type net from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 between the pull agent and the real server: the agent's only way to the
 * server in the busybox tests. It forwards everything and records what passed; on request it plays the
 * faults of a bad link: cuts an image download part-way, flips a byte of images, or holds a report until
 * the test lets it through.
 */

export interface ProxiedRequest {
  method: string;
  path: string;
  range?: string;
  /** The form's `step` (reports) and `operation`, when the body is a form. */
  step?: string;
  operation?: string;
}

export interface HeldReport {
  /** Resolves when the report reached the proxy (it is not forwarded yet). */
  arrived: Promise<void>;
  /** Forwards it. */
  release(): void;
}

export interface AgentProxy {
  readonly url: string;
  requests: ProxiedRequest[];
  imageRequests(): ProxiedRequest[];
  /** The next image response is cut (the connection closed) after this many bytes of body. */
  cutNextImageAfter(bytes: number): void;
  /** Image responses have their first byte changed (the server's checksum no longer matches) until turned off. */
  corruptImages(on: boolean): void;
  /** The next report of this step is held until released. */
  holdReport(step: string): HeldReport;
  close(): Promise<void>;
}

export async function startAgentProxy(upstream: () => string): Promise<AgentProxy> {
  const requests: ProxiedRequest[] = [];
  let cutAfter: number | null = null;
  let corrupt = false;
  const holds = new Map<string, { arrive: () => void; released: Promise<void> }>();
  const sockets = new Set<net.Socket>();

  function forward(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
    const isImage = request.method === 'GET' && (request.url ?? '').startsWith('/agent/v1/images/');
    const target = new URL(request.url ?? '/', upstream());
    const outgoing = http.request(
      target,
      { method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!isImage || (cutAfter === null && !corrupt)) {
          answer.pipe(response);
          return;
        }
        const cut = cutAfter;
        const flip = corrupt;
        cutAfter = null;
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          let data = chunk;
          if (flip && sent === 0 && data.length > 0) {
            data = Buffer.from(chunk);
            data[0] = data[0]! ^ 0xff;
          }
          if (cut !== null && sent + data.length >= cut) {
            response.write(data.subarray(0, cut - sent), () => response.socket?.destroy());
            answer.destroy();
            sent = cut;
            return;
          }
          sent += data.length;
          response.write(data);
        });
        answer.on('end', () => response.end());
      },
    );
    outgoing.on('error', () => response.socket?.destroy());
    outgoing.end(body);
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const form = isForm && !(request.url ?? '').includes('/backups/') ? new URLSearchParams(body.toString()) : null;
      const step = form?.get('step') ?? undefined;
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        ...(request.headers.range ? { range: request.headers.range } : {}),
        ...(step ? { step } : {}),
        ...(form?.get('operation') ? { operation: form.get('operation')! } : {}),
      });
      const hold = step && request.url === '/agent/v1/report' ? holds.get(step) : undefined;
      if (hold) {
        holds.delete(step!);
        hold.arrive();
        void hold.released.then(() => forward(request, body, response));
        return;
      }
      forward(request, body, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    imageRequests: () => requests.filter((request) => request.path.startsWith('/agent/v1/images/')),
    cutNextImageAfter(bytes) {
      cutAfter = bytes;
    },
    corruptImages(on) {
      corrupt = on;
    },
    holdReport(step) {
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(step, { arrive, released });
      return { arrived, release };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
