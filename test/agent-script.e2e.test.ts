import { randomBytes, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentProtocolFixture, startAgentProtocolFixture } from './helpers/agent-protocol-fixture.js';
import { type BusyboxRouter, startBusyboxRouter, skipWithoutBusyboxRouter } from './helpers/busybox-router.js';
import { until } from './helpers/wait.js';

/**
 * The agent script (agent/fleetflash-agent.sh) running jobs under real busybox ash in a chroot, against a
 * scripted peer of the protocol (test/helpers/agent-protocol-fixture.ts): what it reports, parses and
 * refuses, including answers the real server never gives. Enrollment and the installer:
 * test/agent-install.e2e.test.ts; against the real server: test/agent-busybox.e2e.test.ts.
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let server: AgentProtocolFixture;
let router: BusyboxRouter;

beforeEach(async () => {
  if (skip) return;
  server = await startAgentProtocolFixture();
  router = startBusyboxRouter();
});

afterEach(async () => {
  await router?.stop();
  await server?.close();
});

async function enroll(): Promise<void> {
  const result = await router.agent(['enroll', server.url, 'acme', server.secret]);
  expect(result.code, result.stderr).toBe(0);
}

function steps(): string[] {
  return server.reports().map((report) => (report.code ? `${report.step}:${report.code}` : report.step!));
}

async function untilStep(step: string, timeoutMs = 20_000): Promise<string[]> {
  const seen = await until(
    async () => steps(),
    (list) => list.includes(step),
    timeoutMs,
  );
  expect(seen, router.serviceLog()).toContain(step);
  return seen;
}

describe.skipIf(skip)('a job', () => {
  it('goes through every step, flashes with the flags on action=flash and reports the boot after', async () => {
    await enroll();
    const operation = randomUUID();
    const image = randomBytes(300_000);
    router.setNextRelease('OpenWrt 23.05.3 r23809-234f1a2efa');
    server.offerJob({ operation, image, flags: '-c -F', backup: 'required' });
    router.startService();
    await untilStep('ready');
    expect(router.flashes()).toEqual([]);
    const bootBefore = router.bootId();
    server.answerPoll(`action=flash\noperation=${operation}\n`);
    const seen = await untilStep('booted');
    expect(seen.filter((step) => step !== 'downloading' && step !== 'log')).toEqual([
      'checked',
      'backup',
      'downloaded',
      'verified',
      'ready',
      'flashing',
      'booted',
    ]);
    expect(router.flashes()).toEqual(['flashed -c -F /tmp/fleetflash-image.bin']);
    const reports = server.reports();
    expect(reports.map((report) => Number(report.seq))).toEqual(reports.map((_, index) => index + 1));
    expect(reports.every((report) => report.operation === operation && report.token === server.token)).toBe(true);
    const booted = reports.at(-1)!;
    expect(booted.release).toBe('23.05.3');
    expect(booted.boot_id).not.toBe(bootBefore);
    expect(booted.boot_id).toBe(router.bootId());
    // The backup is the real gzip tar `sysupgrade -b` wrote.
    expect(gunzipSync(server.backups[0]!).subarray(0, 512).toString()).toContain('etc/');
    // Polls name the operation until the job is over; the state is forgotten after the boot report.
    const polls = server.requests.filter((request) => request.path === '/agent/v1/poll');
    expect(polls.some((poll) => poll.form.operation === operation)).toBe(true);
    await until(
      async () => router.state(),
      (state) => !state.operation,
    );
    expect(router.state().operation).toBeUndefined();
  });

  it('resumes a cut download with Range and verifies the whole image', async () => {
    await enroll();
    const operation = randomUUID();
    server.cutNextDownloadAfter(100_000);
    server.offerJob({ operation, image: randomBytes(400_000) });
    router.startService();
    await untilStep('ready');
    const downloads = server.requests.filter((request) => request.path.includes('/images/'));
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    expect(downloads[0]!.range).toBeUndefined();
    expect(downloads[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it('refuses an image whose checksum does not match and flashes nothing', async () => {
    await enroll();
    const operation = randomUUID();
    server.offerJob({ operation, image: randomBytes(50_000), sha256: 'a'.repeat(64) });
    router.startService();
    const seen = await untilStep('failed:checksum-mismatch');
    expect(seen).not.toContain('verified');
    expect(router.readRootFile('tmp/fleetflash-image.bin')).toBeNull();
    server.answerPoll(`action=flash\noperation=${operation}\n`);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(router.flashes()).toEqual([]);
  });

  it('reports the output of sysupgrade -T when it rejects the image', async () => {
    await enroll();
    router.refuseImages('Image check failed: device not supported');
    server.offerJob({ operation: randomUUID(), image: randomBytes(20_000) });
    router.startService();
    await untilStep('failed:image-rejected');
    const failed = server.reports().at(-1)!;
    expect(failed.message).toContain('device not supported');
    expect(router.flashes()).toEqual([]);
  });

  it('reports flash-refused with the output when sysupgrade fails the flash, and keeps no job', async () => {
    await enroll();
    const operation = randomUUID();
    router.refuseFlash('Image metadata not present');
    server.offerJob({ operation, image: randomBytes(20_000), flags: '-n' });
    router.startService();
    await untilStep('ready');
    server.answerPoll(`action=flash\noperation=${operation}\n`);
    const seen = await untilStep('failed:flash-refused');
    expect(seen.slice(-2)).toEqual(['flashing', 'failed:flash-refused']);
    expect(server.reports().at(-1)!.message).toContain('Image metadata not present');
    expect(router.flashes()).toEqual([]);
    await until(
      async () => router.state().operation,
      (value) => value === undefined,
    );
    expect(router.state().operation).toBeUndefined();
  });

  it('refuses a job with malformed flags, size or checksum before running anything', async () => {
    await enroll();
    for (const [field, value] of [
      ['flags', '-c; reboot'],
      ['flags', '--force'],
      ['size', '12ab'],
      ['sha256', 'ABC'],
      ['image_url', 'http://x/$(reboot)'],
    ] as const) {
      server.offerJob({ operation: randomUUID(), image: randomBytes(1000) }, { [field]: value });
    }
    router.startService();
    await until(
      async () => steps().filter((step) => step === 'failed:image-rejected').length,
      (count) => count === 5,
    );
    expect(steps()).toEqual(Array(5).fill('failed:image-rejected'));
    expect(server.reports()[0]!.message).toContain('flags');
    expect(server.requests.filter((request) => request.path.includes('/images/'))).toEqual([]);
  });

  it('ignores an upgrade whose operation id is not a uuid', async () => {
    await enroll();
    server.offerJob({ operation: 'not-a-uuid', image: randomBytes(1000) });
    router.startService();
    await until(
      async () => server.requests.filter((request) => request.path === '/agent/v1/poll').length,
      (count) => count >= 3,
    );
    expect(server.reports()).toEqual([]);
  });

  it('says when memory is short, before downloading', async () => {
    await enroll();
    router.setMemAvailable(1000);
    server.offerJob({ operation: randomUUID(), image: randomBytes(600_000) });
    router.startService();
    await untilStep('failed:insufficient-memory');
    expect(server.requests.filter((request) => request.path.includes('/images/'))).toEqual([]);
  });

  it('drops the image and reports nothing more when a report is answered action=cancel', async () => {
    await enroll();
    server.offerJob({ operation: randomUUID(), image: randomBytes(50_000) });
    server.cancelOnNextReport();
    router.startService();
    await untilStep('checked');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(steps()).toEqual(['checked']);
    expect(server.requests.filter((request) => request.path.includes('/images/'))).toEqual([]);
    expect(router.state().operation).toBeUndefined();
  });

  it('resends a report the server failed (5xx) with the same number', async () => {
    await enroll();
    server.failNextReports(2);
    server.offerJob({ operation: randomUUID(), image: randomBytes(20_000) });
    router.startService();
    await untilStep('ready');
    const checked = server.requests.filter((request) => request.form.step === 'checked');
    expect(checked.map((request) => request.form.seq)).toEqual(['1', '1', '1']);
    expect(server.reports().find((report) => report.step === 'downloading')!.seq).toBe('2');
  });

  it('switches to a rotated token from the next request on and stores it', async () => {
    await enroll();
    router.startService();
    await until(
      async () => server.requests.length,
      (count) => count >= 2,
    );
    const rotated = server.rotateToken();
    await until(
      async () => server.requests.at(-1)!.form.token,
      (token) => token === rotated,
    );
    expect(server.requests.at(-1)!.form.token).toBe(rotated);
    expect(router.readRootFile('etc/config/fleetflash')).toContain(`option token '${rotated}'`);
  });

  it('refuses a second run while the service runs', async () => {
    await enroll();
    router.startService();
    await until(
      async () => server.requests.length,
      (count) => count >= 2,
    );
    const second = await router.agent(['run']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already running \(pid \d+\)/);
  });

  it('stops polling when the server refuses its token', async () => {
    await enroll();
    server.pollStatus(401);
    router.startService();
    await until(
      async () => server.requests.length,
      (count) => count >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(server.requests.filter((request) => request.path === '/agent/v1/poll')).toHaveLength(1);
  });
});
