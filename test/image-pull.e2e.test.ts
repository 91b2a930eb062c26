import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../src/platform/log-redaction.js';
import { signTicket } from '../src/platform/tickets.js';
import { imagePullPath } from '../src/modules/upgrades/image-pull.js';
import { pullCommand, stopPullCommand } from '../src/modules/upgraders/openwrt/image-pull.js';
import { TRANSFER_STEP_INTERVAL_MS } from '../src/modules/upgraders/openwrt/transfer-progress.js';
import { addDropbearDevice, type DropbearRouter, startDropbearRouter } from './helpers/dropbear-router.js';
import { freePort } from './helpers/free-port.js';
import { BUSYBOX, DROPBEAR, skipWithout } from './helpers/system-tools.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { until } from './helpers/wait.js';

/**
 * `openwrt.image_transfer: pull`: a router upgraded over SSH downloads the image from the server with
 * `wget` and a ticket URL, instead of receiving it through the session. Simulated routers (the download,
 * the fallback to pushing when the router cannot reach the server), the ticket URL's refusals, and the
 * real busybox wget behind the real dropbear.
 */

let h: Harness;
let base: string;
let webDir: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // A web UI, so that a path the UI does not own must say so (a JSON 404, not the UI's page).
  webDir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-web-'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>fleetflash</title>');
  h = await createHarness({
    FLEETFLASH_OPENWRT_IMAGE_TRANSFER: 'pull',
    FLEETFLASH_PUBLIC_URL: base,
    FLEETFLASH_WEB_DIR: webDir,
  });
  await h.t.app.listen({ host: '127.0.0.1', port });
  await h.startWorker();
});

function pullTicket(operationId: string, deviceId: string, expiresAt: Date): string {
  return signTicket(h.t.secrets, operationId, deviceId, expiresAt, 'image-pull');
}

afterAll(async () => {
  await h?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('image pulls by simulated routers', () => {
  it('has the router download the image with its ticket, check it and flash it', async () => {
    // A download of a second or two: its first progress step is written well before the worker's 60 %.
    const { router, deviceId } = await h.addRouter({ faults: { slowLinkBytesPerSecond: 2_000_000 } });
    const { imageId, os } = await h.addImage({ size: 3 * 1024 * 1024 });
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId);
    expect(result.status, result.log).toBe('success');
    // The API node serving the download counted it into the progress, between the worker's 25 and 60 %, forward
    // only (the operation events, in order, carry every step).
    const progress = (
      await h.db
        .selectFrom('events')
        .select(sql<number>`(data->>'progress')::int`.as('progress'))
        .where('operationId', '=', operationId)
        .where('type', '=', 'operation')
        .orderBy('id')
        .execute()
    ).map((event) => event.progress);
    const downloadSteps = progress.filter((value) => value > 25 && value < 60);
    expect(downloadSteps.length, progress.join(' ')).toBeGreaterThan(0);
    expect(downloadSteps.every((value) => value % 5 === 0)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(result.log).toContain(`The device downloads the image (3.0 MiB) from ${base}/transfer/v1/images/`);
    expect(result.log).toMatch(/Image downloaded by the device in [\d.]+ s/);
    expect(result.log).toContain('The device confirmed the image checksum');
    expect(result.log).not.toContain('Sending the image');
    expect(result.log).toContain(`Verified: new boot, running ${os}`);
    // The ticket is a capability: it never reaches the log the organization reads.
    expect(result.log).not.toMatch(/images\/[0-9a-f-]{36}\/\d+\.[\w-]{43}/);
    expect(router.downloads).toBe(1);
    expect(router.uploads).toBe(0);
    expect(router.flashCount).toBe(1);
  });

  it('pushes the image through the session when the router cannot reach the server', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { pullBlocked: true } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain(
      "The device could not download the image (wget exited with 1: wget: can't connect to remote host " +
        '(127.0.0.1): Connection refused); sending it over SSH instead.',
    );
    expect(result.log).toContain('Image sent in');
    expect(router.downloads).toBe(1);
    expect(router.uploads).toBe(1);
    expect(router.flashCount).toBe(1);
  });

  it('pushes the image when what the router downloaded is not the image (a captive portal)', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { pullCaptive: true } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId));
    expect(result.status, result.log).toBe('success');
    expect(result.log).toMatch(
      /The device could not download the image \(what arrived is not the image: sha256 [0-9a-f]{64}, expected/,
    );
    expect(result.log).toContain('Image sent in');
    expect(result.log.match(/The device confirmed the image checksum/g)).toHaveLength(1);
    expect(router.uploads).toBe(1);
    expect(router.flashCount).toBe(1);
  });

  it('stops a download that hangs at the transfer timeout and pushes the image instead', async () => {
    const { router, deviceId } = await h.addRouter({ faults: { pullHangs: true } });
    // A small image: the timeout is the command timeout (5 s here) plus 20 ms per KB.
    const { imageId } = await h.addImage({ size: 64 * 1024 });
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId), 60_000);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toMatch(
      /The device could not download the image \(no answer within [\d.]+ s\); sending it over SSH/,
    );
    expect(router.uploads).toBe(1);
    expect(router.receiving).toBe(0);
    expect(router.flashCount).toBe(1);
  });

  it('answers a ticket URL only for a running upgrade, its device and before the ticket expires', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const operationId = await h.upgrade(deviceId, imageId);
    expect((await h.waitForEnd(operationId)).status).toBe('success');
    const hour = new Date(Date.now() + 3_600_000);
    const get = (path: string) => fetch(`${base}${path}`);

    // Signed right, but the operation has ended: nothing to download any more.
    const ended = await get(imagePullPath(operationId, pullTicket(operationId, deviceId, hour)));
    expect(ended.status).toBe(404);
    expect(((await ended.json()) as { code: string }).code).toBe('OperationNotFound');

    // A running upgrade (a row of a device no worker reaches: its address is a blackhole), with tickets
    // signed for another device, expired, forged, or an id that is no UUID.
    const { deviceId: other } = await h.addRouter();
    const image = await h.db
      .selectFrom('firmwareImages')
      .select('sha256')
      .where('id', '=', imageId)
      .executeTakeFirstOrThrow();
    const [running] = await h.db
      .insertInto('upgradeOperations')
      .values({
        deviceId: other,
        imageId,
        imageSha256: image.sha256,
        status: 'in-progress',
        leaseOwner: 'elsewhere',
        leaseExpiresAt: hour,
      })
      .returning('id')
      .execute();
    const id = running!.id;
    const good = pullTicket(id, other, hour);
    const ok = await get(imagePullPath(id, good));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await ok.arrayBuffer()).byteLength).toBe(Number(ok.headers.get('content-length')));
    const refused = [
      imagePullPath(id, pullTicket(id, deviceId, hour)),
      imagePullPath(id, pullTicket(id, other, new Date(Date.now() - 1000))),
      // The pull agent's ticket for the same operation and device: another purpose.
      imagePullPath(id, signTicket(h.t.secrets, id, other, hour)),
      imagePullPath(id, `${good.slice(0, -3)}abc`),
      imagePullPath('not-a-uuid', good),
    ];
    for (const path of refused) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      const body = (await response.json()) as { code: string; detail: string };
      expect(body.code, path).toBe('OperationNotFound');
      expect(body.detail, path).toMatch(/^upgrade operation \S+ not found$/);
    }
    // A ticket URL is a capability: the access log shows everything but the ticket.
    expect(redactUrl(imagePullPath(id, good))).toBe(`/transfer/v1/images/${id}/[redacted]`);
    // A path of the download's that is no download (no ticket) is a JSON 404, not the web UI's page.
    const partial = await get(`/transfer/v1/images/${id}`);
    expect(partial.status).toBe(404);
    expect(((await partial.json()) as { code: string }).code).toBe('RouteNotFound');
    await h.db
      .updateTable('upgradeOperations')
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where('id', '=', id)
      .execute();
    // Cancelled: the same ticket is no longer answered.
    expect((await get(imagePullPath(id, good))).status).toBe(404);
  });

  it('counts a download into its progress and cuts it off when the operation ends', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage({ size: 24 * 1024 * 1024 });
    const image = await h.db
      .selectFrom('firmwareImages')
      .select(['sha256', 'size'])
      .where('id', '=', imageId)
      .executeTakeFirstOrThrow();
    // A running upgrade no worker of this test holds (another node's), at the 25 % a transfer starts from.
    const hour = new Date(Date.now() + 3_600_000);
    const [running] = await h.db
      .insertInto('upgradeOperations')
      .values({
        deviceId,
        imageId,
        imageSha256: image.sha256,
        status: 'in-progress',
        progress: 25,
        leaseOwner: 'elsewhere',
        leaseExpiresAt: hour,
      })
      .returning('id')
      .execute();
    const id = running!.id;
    const progressOf = async () =>
      (await h.db.selectFrom('upgradeOperations').select('progress').where('id', '=', id).executeTakeFirstOrThrow())
        .progress;
    let resolve: (end: { received: number; complete: boolean }) => void = () => undefined;
    const ended = new Promise<{ received: number; complete: boolean }>((done) => {
      resolve = done;
    });
    let received = 0;
    let paused: http.IncomingMessage | null = null;
    const request = http.get(`${base}${imagePullPath(id, pullTicket(id, deviceId, hour))}`, (response) => {
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      response.on('close', () => resolve({ received, complete: response.complete }));
      // Read past the first step (1/7 of the image), then let the server's writes wait on the socket while the
      // operation is cancelled.
      const readPastFirstStep = () => {
        if (received < image.size / 7 + 512 * 1024) return;
        response.off('data', readPastFirstStep);
        response.pause();
        paused = response;
      };
      response.on('data', readPastFirstStep);
    });
    request.on('error', () => resolve({ received, complete: false }));
    // The server pushes what the socket buffers take before it waits: its first steps are written.
    expect(await until(progressOf, (progress) => progress >= 30 && paused !== null)).toBeGreaterThanOrEqual(30);
    expect(paused).not.toBeNull();
    await h.db
      .updateTable('upgradeOperations')
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where('id', '=', id)
      .execute();
    const before = await progressOf();
    // The operation is read again with the next step or after an interval: once the download goes on, one is due.
    // It goes on slowly (a pause per chunk), so that the answer arrives before the last byte would.
    await sleep(TRANSFER_STEP_INTERVAL_MS + 100);
    const response = paused as http.IncomingMessage | null;
    response?.on('data', () => {
      response.pause();
      setTimeout(() => response.resume(), 5);
    });
    response?.resume();
    // Cancelled elsewhere (the API, another node): the download's next step sees it and cuts the download off.
    const { received: bytes, complete } = await ended;
    expect(complete).toBe(false);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(image.size);
    // Cancelled rows are not stepped any more.
    expect(await progressOf()).toBe(before);
  });
});

const skipDropbear = skipWithout(
  import.meta.url,
  [DROPBEAR, BUSYBOX, { command: 'pkill', aptPackage: 'procps' }],
  process.getuid?.() === 0 ? null : 'needs root (it creates the system user dropbear logs in as)',
);

describe.skipIf(skipWithout(import.meta.url, [BUSYBOX], null))('the pull commands in the real busybox ash', () => {
  it('stops a download still running and removes what it wrote', async () => {
    // A server that answers the headers and then nothing: wget waits, as on a stalled link.
    const stalled = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-length': '1000000' });
      response.write('partial');
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetflash-pull-'));
    const file = path.join(dir, 'image.bin');
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/image`;
    try {
      const download = spawn(BUSYBOX.command, ['sh', '-c', pullCommand(file, url)], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => download.once('exit', resolve));
      // `echo $! > FILE` creates the file before it writes the pid: wait for the pid, not only the file.
      const readPid = () => (existsSync(`${file}.wget-pid`) ? readFileSync(`${file}.wget-pid`, 'utf8').trim() : '');
      for (let i = 0; i < 100 && readPid() === ''; i += 1) await sleep(20);
      const wgetPid = Number(readPid());
      expect(processAlive(wgetPid)).toBe(true);
      execFileSync(BUSYBOX.command, ['sh', '-c', stopPullCommand(file)]);
      // The download's shell sees wget end (killed: not 0) and the pid file and the partial image are gone.
      expect(await exited).not.toBe(0);
      expect(processAlive(wgetPid)).toBe(false);
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}.wget-pid`)).toBe(false);
      // With nothing running, the stop command still ends cleanly.
      execFileSync(BUSYBOX.command, ['sh', '-c', stopPullCommand(file)]);
    } finally {
      stalled.closeAllConnections();
      stalled.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe.skipIf(skipDropbear)('an image pull by the real busybox wget behind the real dropbear', () => {
  let router: DropbearRouter;
  afterAll(async () => router?.stop());

  it('downloads, confirms the checksum with the real sha256sum and flashes', async () => {
    router = await startDropbearRouter();
    // OpenWrt's wget is busybox's (or uclient-fetch): the fake root's bin has busybox's ahead of Debian's.
    symlinkSync(BUSYBOX.command, path.join(router.root, 'bin', 'wget'));
    const deviceId = await addDropbearDevice(h, router, '02:db:00:00:00:09');
    const { imageId, os: targetOs } = await h.addImage();
    router.setNextRelease(targetOs);
    const result = await h.waitForEnd(await h.upgrade(deviceId, imageId), 60_000);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toMatch(/Image downloaded by the device in [\d.]+ s/);
    expect(result.log).toContain('The device confirmed the image checksum');
    expect(result.log).toContain(`Verified: new boot, running ${targetOs}`);
  });
});
