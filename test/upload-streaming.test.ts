import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeToken, makeUser } from './helpers/factories.js';

/**
 * Over real HTTP: a 200 MiB upload against the default 30 MiB limit is refused while it streams,
 * nothing stays on disk, and the server's memory does not grow with the upload.
 */

const MiB = 1024 * 1024;
let t: TestApp;
let port: number;
let authorization: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  authorization = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
});
afterAll(async () => {
  await t.close();
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/** Multipart body generated on the fly: `size` bytes of file content in 1 MiB chunks, never whole in memory. */
function streamingMultipart(size: number): { body: Readable; boundary: string; length: number } {
  const boundary = 'fleetflashStreamingBoundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
      `filename="openwrt-23.05.3-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin"\r\nContent-Type: ` +
      `application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = randomBytes(MiB);
  // A uImage header first: a file without metadata must look like an image of its type.
  chunk.writeUInt32BE(0x27051956, 0);
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent === 0) this.push(head);
      if (sent < size) {
        const piece = Math.min(MiB, size - sent);
        sent += piece;
        this.push(piece === MiB ? chunk : chunk.subarray(0, piece));
        return;
      }
      this.push(tail);
      this.push(null);
    },
  });
  return { body, boundary, length: head.length + size + tail.length };
}

interface UploadResult {
  status: number;
  body: string;
  bytesSent: number;
}

function upload(buildId: string, size: number): Promise<UploadResult> {
  const { body, boundary, length } = streamingMultipart(size);
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    body.on('data', (data: Buffer) => {
      bytesSent += data.length;
    });
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/firmware/build/${buildId}/image/`,
        headers: {
          authorization,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(length),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (data: Buffer) => chunks.push(data));
        response.on('end', () => {
          body.destroy();
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), bytesSent });
        });
      },
    );
    // The server answers and closes while we still send: the write side may fail with EPIPE/ECONNRESET.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    body.pipe(request);
  });
}

describe('streaming uploads', () => {
  it(
    'refuses a 200 MiB upload over the 30 MiB limit while it streams, keeping memory flat and the disk ' + 'clean',
    async () => {
      const build = await makeBuild(t.db);
      // Warm up (JIT, pools, buffers) with a small accepted upload, then measure.
      expect((await upload(build.id, MiB)).status).toBe(201);
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);

      const result = await upload((await makeBuild(t.db)).id, 200 * MiB);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);

      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({
        code: 'FileTooLarge',
        detail: expect.stringContaining('30 MiB'),
      });
      // Refused while streaming: the client did not get to send the whole 200 MiB.
      expect(result.bytesSent).toBeLessThan(200 * MiB);
      // Buffering would cost 30–200 MiB; the bound leaves room for V8's young generation, which alone
      // may grow by 32 MiB (two 16 MiB semi-spaces) under allocation pressure whatever the upload's size.
      expect(peak - before).toBeLessThan(40 * MiB);
      const stored = filesUnder(t.storageDir);
      expect(stored.filter((file) => file.includes('incoming'))).toEqual([]);
      expect(stored).toHaveLength(1); // only the warm-up image
    },
  );

  it('accepts a 25 MiB upload streamed over HTTP and stores it whole', async () => {
    const build = await makeBuild(t.db);
    const result = await upload(build.id, 25 * MiB);
    expect(result.status).toBe(201);
    expect(JSON.parse(result.body).size).toBe(25 * MiB);
  });
});
