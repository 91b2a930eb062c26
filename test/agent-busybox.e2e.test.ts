import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type AgentE2e, startAgentE2e } from './helpers/agent-e2e.js';
import type { AgentProxy } from './helpers/agent-proxy.js';
import { AGENT_SCRIPT, skipWithoutBusyboxRouter } from './helpers/busybox-router.js';
import { OPENWRT_FIRST_OS } from './helpers/openwrt-root.js';
import type { Harness } from './helpers/upgrade-harness.js';
import { until } from './helpers/wait.js';

/**
 * A router behind NAT: the agent script (agent/fleetflash-agent.sh) under real busybox ash in a chroot
 * (test/helpers/busybox-router.ts), against the real server and worker. The server has no route to the
 * router; the agent reaches the server only through a proxy on 127.0.0.1 (test/helpers/agent-proxy.ts)
 * that can cut or corrupt a download. Each test has its own router (its own MAC, so its own device).
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let e: AgentE2e;
let h: Harness;
let proxy: AgentProxy;
let secret: string;

beforeAll(async () => {
  if (skip) return;
  e = await startAgentE2e(
    {
      FLEETFLASH_AGENT_POLL_INTERVAL: '5',
      FLEETFLASH_AGENT_LONG_POLL: '2',
      FLEETFLASH_AGENT_PICKUP_TIMEOUT: '20',
      FLEETFLASH_AGENT_REPORT_TIMEOUT: '20',
      // The reboot wait after the order to flash (reconnect delay + upgrade timeout + retries × delay).
      FLEETFLASH_OPENWRT_UPGRADE_TIMEOUT: '8',
      FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '0',
    },
    '02:bb:00:00:01',
  );
  ({ h, proxy, secret } = e);
});

afterEach(async () => {
  await e?.stopRouters();
});

afterAll(async () => {
  await e?.close();
});

/** A new router, enrolled through the proxy, its service running; resolves with its device id. */
const enrolledRouter = () => e.enrolledRouter();

async function operationLog(operationId: string): Promise<string> {
  return (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json().log;
}

describe.skipIf(skip)('a router behind NAT running the agent', () => {
  it('enrolls: the device is created, managed by its agent, with what the router said of itself', async () => {
    const { router: enrolled, deviceId } = await enrolledRouter();
    const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
    expect(device).toMatchObject({
      organization: h.organizationId,
      board_name: 'tplink,archer-c7-v2',
      model: 'TP-Link Archer C7 v2',
      os: expect.stringContaining('23.05.2'),
    });
    expect(device.mac_address.toLowerCase()).toBe('02:bb:00:00:01:01');
    expect(device).toMatchObject({ management: 'agent', agent_release: '23.05.2' });
    expect(device.agent_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(enrolled.readRootFile('etc/config/fleetflash')).toContain(`option device '${deviceId}'`);
    // Its service polls: the server sees it.
    const polled = await until(
      async () => (await h.api.get(`/api/v1/devices/${deviceId}/`)).json().agent_last_poll_at,
      (at) => at !== null,
    );
    expect(polled).not.toBeNull();
  });

  it('installs from the server with the one command: script, service, keep list, enrollment', async () => {
    const router = e.newRouter();
    rmSync(path.join(router.root, 'usr/sbin/fleetflash-agent'));
    const result = await router.shell(
      `wget -qO- ${proxy.url}/agent/install.sh | sh -s -- ${proxy.url} ${h.organizationSlug} ${secret}`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(router.readRootFile('usr/sbin/fleetflash-agent')).toBe(readFileSync(AGENT_SCRIPT, 'utf8'));
    expect(router.readRootFile('lib/upgrade/keep.d/fleetflash')).toContain('/etc/fleetflash/');
    expect(router.readRootFile('service.log')).toContain('command /usr/sbin/fleetflash-agent run');
    const deviceId = /device '([0-9a-f-]{36})'/.exec(router.readRootFile('etc/config/fleetflash')!)![1]!;
    const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
    expect(device).toMatchObject({ organization: h.organizationId, management: 'agent' });
  });

  it('is upgraded: job, backup, download, checks, flash with the options, proof of boot', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId, os } = await h.addImage({ size: 256 * 1024 });
    target.setNextRelease(os);
    const bootBefore = target.bootId();
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status, `${result.log}\n${target.serviceLog()}`).toBe('success');
    expect(target.flashes()).toEqual(['flashed -c /tmp/fleetflash-image.bin']);
    expect(target.bootId()).not.toBe(bootBefore);
    expect(result.log).toContain('Configuration backup kept');
    const device = (await h.api.get(`/api/v1/devices/${deviceId}/`)).json();
    expect(device.os).toBe(os);
    // The agent forgets the job once its boot report is taken.
    await until(
      async () => target.state().operation,
      (value) => value === undefined,
    );
    expect(target.state().operation).toBeUndefined();
  });

  it('resumes a download cut mid-way with Range, and the upgrade succeeds', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId, os } = await h.addImage({ size: 512 * 1024 });
    target.setNextRelease(os);
    const before = proxy.imageRequests().length;
    proxy.cutNextImageAfter(100_000);
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status, `${result.log}\n${target.serviceLog()}`).toBe('success');
    const downloads = proxy.imageRequests().slice(before);
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    expect(downloads[0]!.range).toBeUndefined();
    expect(downloads[1]!.range).toMatch(/^bytes=\d{5,}-$/);
    expect(target.flashes()).toHaveLength(1);
  });

  it('refuses an image whose checksum does not match: every attempt fails, nothing is flashed', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId, os } = await h.addImage();
    target.setNextRelease(os);
    proxy.corruptImages(true);
    try {
      const operationId = await h.upgrade(deviceId, imageId);
      const result = await h.waitForEnd(operationId, 60_000);
      expect(result.status, result.log).toBe('failed');
      // A corrupt download is retried like a cut one (the next may arrive whole) until the retries run out;
      // the agent refused the image every time.
      expect(result.error_code, result.log).toBe('max-retries-exceeded');
      expect(result.attempt).toBe(5);
      expect(result.log.match(/The device's agent gave up: the image has sha256 [0-9a-f]{64}/g)).toHaveLength(5);
    } finally {
      proxy.corruptImages(false);
    }
    expect(target.flashes()).toEqual([]);
    expect(target.readRootFile('tmp/fleetflash-image.bin')).toBeNull();
  });

  it('flashes after a corrupt download when the retry arrives whole', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId, os } = await h.addImage();
    target.setNextRelease(os);
    proxy.corruptImages(true);
    const operationId = await h.upgrade(deviceId, imageId);
    await until(
      async () => operationLog(operationId),
      (log) => log.includes('the image has sha256'),
      30_000,
    );
    proxy.corruptImages(false);
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status, result.log).toBe('success');
    expect(target.flashes()).toHaveLength(1);
  });

  it('fails with not-flashed when the router reboots into the old release', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId } = await h.addImage();
    target.setNextRelease(OPENWRT_FIRST_OS);
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status).toBe('failed');
    expect(result.error_code, result.log).toBe('not-flashed');
    expect(target.flashes()).toHaveLength(1);
  });

  it('fails at the deadline when the router never comes back after the flash', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId, os } = await h.addImage();
    target.setNextRelease(os);
    target.setComesBack(false);
    const operationId = await h.upgrade(deviceId, imageId);
    const result = await h.waitForEnd(operationId, 60_000);
    expect(result.status).toBe('failed');
    expect(result.error_code, result.log).toBe('unreachable-after-flash');
    expect(target.flashes()).toHaveLength(1);
  });

  it('stops before the download when the operation is cancelled: nothing downloaded, nothing flashed', async () => {
    const { router: target, deviceId } = await enrolledRouter();
    const { imageId } = await h.addImage();
    const held = proxy.holdReport('checked');
    const before = proxy.imageRequests().length;
    const operationId = await h.upgrade(deviceId, imageId);
    await held.arrived;
    const cancel = await h.api.post(`/api/v1/firmware/upgrade-operation/${operationId}/cancel/`);
    expect(cancel.statusCode, cancel.body).toBeLessThan(300);
    const result = await h.waitForEnd(operationId, 30_000);
    expect(result.status).toBe('cancelled');
    held.release();
    await until(
      async () => target.state().operation,
      (operation) => operation === undefined,
    );
    expect(target.state().operation, target.serviceLog()).toBeUndefined();
    expect(target.serviceLog()).toContain(`operation ${operationId} cancelled by the server`);
    expect(proxy.imageRequests().slice(before)).toEqual([]);
    expect(target.flashes()).toEqual([]);
    expect(await operationLog(operationId)).not.toContain('downloaded the image');
  });
});
