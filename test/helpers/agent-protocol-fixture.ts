import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { AGENT_INSTALLER, AGENT_SCRIPT } from './busybox-router.js';

/**
 * A scripted peer of the pull agent, speaking docs/agent-protocol.md on 127.0.0.1, for the shell-level
 * tests of the agent script: what it parses, refuses, sends and in which order, including answers the
 * real server never gives (malformed jobs). The end-to-end tests run the agent against the real server.
 * Poll answers come from a queue the test fills (`action=none` when it is empty).
 */

export interface ReceivedRequest {
  method: string;
  path: string;
  form: Record<string, string>;
  range?: string;
  bodyBytes: number;
}

export interface FixtureJob {
  operation: string;
  image: Buffer;
  /** Defaults to the image's real sha256. */
  sha256?: string;
  size?: number;
  flags?: string;
  backup?: string;
  release?: string;
}

export interface AgentProtocolFixture {
  readonly url: string;
  readonly secret: string;
  readonly token: string;
  readonly deviceId: string;
  requests: ReceivedRequest[];
  /** Reports received (form fields), in order. */
  reports(): Record<string, string>[];
  /** Queues a raw poll answer (lines of key=value). */
  answerPoll(body: string): void;
  /** Queues `action=upgrade` for a job; its image is served at its ticket URL. */
  offerJob(job: FixtureJob, overrides?: Record<string, string>): void;
  /** The next `count` reports are answered 503, or `status` (and not recorded as taken). */
  failNextReports(count: number, status?: number): void;
  /** Answers with `token=` make the agent switch to a new token: later requests must carry it. */
  rotateToken(): string;
  /** The next report answer is `action=cancel`. */
  cancelOnNextReport(): void;
  /** The next image request is cut after this many bytes. */
  cutNextDownloadAfter(bytes: number): void;
  /** GET /agent/fleetflash-agent.sh and /agent/install.sh (the repository's files) answer this instead. */
  serveInsteadOfScripts(body: string): void;
  /** Status of every later poll (e.g. 401 for a revoked token). */
  pollStatus(status: number): void;
  /** Backups uploaded, as received. */
  backups: Buffer[];
  close(): Promise<void>;
}

function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

export async function startAgentProtocolFixture(): Promise<AgentProtocolFixture> {
  const secret = 'fixture-secret-9f8e7d';
  const token = `ffa_${randomUUID().replaceAll('-', '')}`;
  const deviceId = randomUUID();
  const requests: ReceivedRequest[] = [];
  const pollQueue: string[] = [];
  const images = new Map<string, Buffer>();
  const backups: Buffer[] = [];
  let cancelNext = false;
  let failingReports = 0;
  let failingStatus = 503;
  let currentToken = token;
  let rotatedFrom: string | null = null;
  let cutAfter: number | null = null;
  let pollStatusCode = 200;
  let scriptOverride: string | null = null;
  const sockets = new Set<net.Socket>();

  function answer(response: http.ServerResponse, status: number, body: string): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(body);
  }

  function serveImage(request: http.IncomingMessage, response: http.ServerResponse, image: Buffer): void {
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= image.length) {
      answer(response, 416, 'detail=range\n');
      return;
    }
    const headers = { 'content-type': 'application/octet-stream', 'content-length': image.length - start };
    response.writeHead(range ? 206 : 200, {
      ...headers,
      ...(range ? { 'content-range': `bytes ${start}-${image.length - 1}/${image.length}` } : {}),
    });
    if (cutAfter !== null) {
      const cut = cutAfter;
      cutAfter = null;
      response.write(image.subarray(start, start + cut), () => response.socket?.destroy());
      return;
    }
    response.end(image.subarray(start));
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = request.url ?? '';
      const form = request.method === 'POST' && !url.includes('/backups/') ? parseForm(body.toString()) : {};
      requests.push({
        method: request.method ?? '',
        path: url,
        form,
        bodyBytes: body.length,
        ...(request.headers.range ? { range: request.headers.range } : {}),
      });
      if (url === '/agent/v1/enroll') {
        if (form.secret !== secret) return answer(response, 401, 'detail=wrong organization or secret\n');
        return answer(response, 200, `device=${deviceId}\ntoken=${token}\npoll_interval=1\nlong_poll=2\n`);
      }
      if (url === '/agent/v1/poll') {
        if (pollStatusCode !== 200) return answer(response, pollStatusCode, 'detail=refused\n');
        // The old token still works until the agent used the new one once (as a real rotation allows).
        if (form.token === currentToken) rotatedFrom = null;
        else if (form.token !== rotatedFrom) return answer(response, 401, 'detail=token\n');
        const rotation = rotatedFrom ? `token=${currentToken}\n` : '';
        return answer(response, 200, `${pollQueue.shift() ?? 'action=none\npoll_interval=1\n'}${rotation}`);
      }
      if (url === '/agent/v1/report') {
        if (form.token !== currentToken) return answer(response, 401, 'detail=token\n');
        if (failingReports > 0) {
          failingReports -= 1;
          const retry = failingStatus === 429 ? 'retry_after=1\n' : '';
          return answer(response, failingStatus, `detail=unavailable\n${retry}`);
        }
        const cancel = cancelNext;
        cancelNext = false;
        return answer(response, 200, cancel ? 'action=cancel\n' : 'ok=1\n');
      }
      const image = /^\/agent\/v1\/images\/([0-9a-f-]+)\/ticket$/.exec(url);
      if (image && images.has(image[1]!)) return serveImage(request, response, images.get(image[1]!)!);
      if (/^\/agent\/v1\/backups\/[0-9a-f-]+\/ticket$/.test(url)) {
        backups.push(body);
        return answer(response, 200, 'ok=1\n');
      }
      const served = { '/agent/fleetflash-agent.sh': AGENT_SCRIPT, '/agent/install.sh': AGENT_INSTALLER }[url];
      if (request.method === 'GET' && served)
        return answer(response, 200, scriptOverride ?? readFileSync(served, 'utf8'));
      answer(response, 404, 'detail=not found\n');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    secret,
    token,
    deviceId,
    requests,
    backups,
    reports: () => requests.filter((r) => r.path === '/agent/v1/report').map((r) => r.form),
    answerPoll: (body) => pollQueue.push(body),
    offerJob(job, overrides = {}) {
      images.set(job.operation, job.image);
      const fields: Record<string, string> = {
        action: 'upgrade',
        operation: job.operation,
        image_url: `${url}/agent/v1/images/${job.operation}/ticket`,
        sha256: job.sha256 ?? createHash('sha256').update(job.image).digest('hex'),
        size: String(job.size ?? job.image.length),
        flags: job.flags ?? '-c',
        backup: job.backup ?? 'off',
        backup_url: `${url}/agent/v1/backups/${job.operation}/ticket`,
        release: job.release ?? '23.05.3',
        ...overrides,
      };
      pollQueue.push(
        `${Object.entries(fields)
          .map(([key, value]) => `${key}=${value}`)
          .join('\n')}\n`,
      );
    },
    failNextReports(count, status = 503) {
      failingReports = count;
      failingStatus = status;
    },
    rotateToken() {
      rotatedFrom = currentToken;
      currentToken = `ffa_${randomUUID().replaceAll('-', '')}`;
      return currentToken;
    },
    cancelOnNextReport() {
      cancelNext = true;
    },
    cutNextDownloadAfter(bytes) {
      cutAfter = bytes;
    },
    serveInsteadOfScripts(body) {
      scriptOverride = body;
    },
    pollStatus(status) {
      pollStatusCode = status;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
