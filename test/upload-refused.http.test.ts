import { randomBytes } from 'node:crypto';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { multipart } from './helpers/http.js';

/**
 * Over real HTTP, with multi-MiB bodies: an upload refused before its body is read (no
 * permission, unknown build) still reaches the client as status + JSON, not a reset connection.
 */

const MiB = 1024 * 1024;
const C7_FILE = 'openwrt-23.05.3-ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin';
let t: TestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t.close();
});

async function operatorAndBuild(): Promise<{ authorization: string; buildId: string }> {
  const organization = await makeOrganization(t.db);
  const build = await makeBuild(t.db, {
    categoryId: (await makeCategory(t.db, { organizationId: organization.id })).id,
  });
  const operator = await makeUser(t.db, { memberships: [{ organization, role: 'operator' }] });
  return { authorization: await makeToken(t.db, operator), buildId: build.id };
}

/**
 * Sends a multipart upload of `size` bytes the way simple HTTP/1.1 clients do: the whole request
 * first (a write per MiB, waiting for the socket to drain), then reads the answer. The answer
 * waits in the kernel meanwhile; a reset from the server discards it. Resolves with the answer,
 * or with the error the client saw.
 */
function sendThenRead(
  path: string,
  authorization: string,
  size: number,
): Promise<{ status: number; body: string } | { error: string }> {
  const { port } = t.app.server.address() as AddressInfo;
  const boundary = 'fleetflashRefusedUpload';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${C7_FILE}"\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const requestHead =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${authorization}\r\n` +
    `Content-Type: multipart/form-data; ` +
    `boundary=${boundary}\r\nContent-Length: ${head.length + size + tail.length}\r\n\r\n`;
  const chunk = randomBytes(MiB);
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let failed: string | null = null;
    socket.pause();
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('error', (error) => {
      failed = error.message;
    });
    socket.on('close', () => {
      const answer = Buffer.concat(received).toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(answer);
      resolve(
        match
          ? { status: Number(match[1]), body: match[2]! }
          : { error: failed ?? `no answer (${answer.length} bytes)` },
      );
    });
    const write = (data: Buffer | string) =>
      new Promise<void>((done) => {
        if (socket.destroyed || socket.write(data)) done();
        else socket.once('drain', done).once('close', done);
      });
    void (async () => {
      await write(requestHead);
      await write(head);
      for (let sent = 0; sent < size && !socket.destroyed; sent += MiB) await write(chunk);
      await write(tail);
      socket.resume();
    })();
  });
}

describe('uploads refused before their body is read', () => {
  it('answers an operator without permission with 403 JSON through fetch, after an 8 MiB body', async () => {
    const { authorization, buildId } = await operatorAndBuild();
    const body = multipart([{ name: 'file', fileName: C7_FILE, content: randomBytes(8 * MiB) }]);
    const response = await fetch(`${baseUrl}/api/v1/firmware/build/${buildId}/image/`, {
      method: 'POST',
      headers: { authorization, ...body.headers },
      body: body.payload,
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'PermissionDenied', detail: expect.any(String) });
  });

  it(
    'answers an unknown build with 404 JSON to a client that sends its 28 MiB body (under max_file_size) before ' +
      'reading',
    async () => {
      const authorization = await makeToken(t.db, await makeUser(t.db, { isSuperuser: true }));
      const answer = await sendThenRead(
        '/api/v1/firmware/build/00000000-0000-4000-8000-000000000000/image/',
        authorization,
        28 * MiB,
      );
      expect(answer).toMatchObject({ status: 404 });
      expect(JSON.parse('body' in answer ? answer.body : '{}')).toMatchObject({ code: 'BuildNotFound' });
    },
  );

  it('answers an operator without permission with 403 JSON to such a client too', async () => {
    const { authorization, buildId } = await operatorAndBuild();
    const answer = await sendThenRead(`/api/v1/firmware/build/${buildId}/image/`, authorization, 24 * MiB);
    expect(answer).toMatchObject({ status: 403 });
    expect(JSON.parse('body' in answer ? answer.body : '{}')).toMatchObject({ code: 'PermissionDenied' });
  });
});
