import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AgentE2e, startAgentE2e } from './helpers/agent-e2e.js';
import { until } from './helpers/wait.js';
import { skipWithoutBusyboxRouter } from './helpers/busybox-router.js';

/**
 * Health probes and configuration restores run by the real agent script under real busybox ash (a chroot:
 * test/helpers/busybox-router.ts), against the real server and worker, reached only through a proxy.
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let e: AgentE2e;

beforeAll(async () => {
  if (skip) return;
  e = await startAgentE2e(
    {
      FLEETFLASH_AGENT_POLL_INTERVAL: '5',
      FLEETFLASH_AGENT_LONG_POLL: '2',
      FLEETFLASH_AGENT_PICKUP_TIMEOUT: '20',
      FLEETFLASH_AGENT_REPORT_TIMEOUT: '20',
      FLEETFLASH_OPENWRT_UPGRADE_TIMEOUT: '8',
      FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES: '0',
      FLEETFLASH_RETRY_MAX_RETRIES: '0',
    },
    '02:bb:00:00:03',
  );
});

afterEach(async () => {
  await e?.stopRouters();
});

afterAll(async () => {
  await e?.close();
});

async function createCheck(name: string, probes: object[]): Promise<string> {
  const response = await e.h.api.post('/api/v1/health-checks/', { organization: e.h.organizationId, name, probes });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function upgradeWith(deviceId: string, imageId: string, healthCheck: string) {
  const response = await e.h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
    image: imageId,
    health_check: healthCheck,
    backup: 'required',
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().upgrade_operation.id as string;
}

describe.skipIf(skip)('the agent script runs health probes and restores', () => {
  it('runs the probes after the boot: a pass, a multi-line probe, a failure with its output', async () => {
    const { router, deviceId } = await e.enrolledRouter();
    const { imageId, os } = await e.h.addImage({ size: 128 * 1024 });
    router.setNextRelease(os);
    const checkId = await createCheck('router works', [
      { name: 'board file', command: 'test -s /etc/board.json', timeout_seconds: 5 },
      {
        name: 'two lines',
        command: 'x=$(cat /etc/board.json)\ncase "$x" in *23.05.3*) exit 0 ;; esac\nexit 9',
        timeout_seconds: 5,
      },
      { name: 'wan', command: 'echo "wan is down" >&2; exit 3', timeout_seconds: 5 },
    ]);
    const result = await e.h.waitForEnd(await upgradeWith(deviceId, imageId, checkId), 90_000);
    expect(result.status, `${result.log}\n${router.serviceLog()}`).toBe('failed');
    expect(result.error_code).toBe('health-check-failed');
    expect(result.log).toMatch(/Probe "board file" passed/);
    expect(result.log).toMatch(/Probe "two lines" passed/);
    expect(result.log).toContain(
      'probe "wan" (echo "wan is down" >&2; exit 3) failed with exit code 3; output: wan is down',
    );
    expect(router.flashes()).toHaveLength(1);
    // The agent forgot the probe: nothing is left in its state but the numbering.
    await until(
      async () => router.state().operation,
      (value) => value === undefined,
    );
    expect(router.state().last_operation).toBeDefined();
  }, 120_000);

  it('kills a probe at its timeout and reports it timed out', async () => {
    const { router, deviceId } = await e.enrolledRouter();
    const { imageId, os } = await e.h.addImage({ size: 128 * 1024 });
    router.setNextRelease(os);
    const checkId = await createCheck('slow', [{ name: 'hangs', command: 'sleep 30', timeout_seconds: 2 }]);
    const started = Date.now();
    const result = await e.h.waitForEnd(await upgradeWith(deviceId, imageId, checkId), 90_000);
    expect(result.error_code, `${result.log}\n${router.serviceLog()}`).toBe('health-check-failed');
    expect(result.log).toContain('probe "hangs" (sleep 30) timed out after 2 s');
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 120_000);

  it('restores the pre-upgrade backup: sysupgrade -r, reboot, proof of boot; its own files stay current', async () => {
    const { router, deviceId } = await e.enrolledRouter();
    router.writeRootFile('etc/config/network', "config interface 'wan'\n\toption proto 'dhcp'\n");
    const { imageId, os } = await e.h.addImage({ size: 128 * 1024 });
    router.setNextRelease(os);
    const upgraded = await e.h.waitForEnd(await e.h.upgrade(deviceId, imageId, {}), 90_000);
    expect(upgraded.status, `${upgraded.log}\n${router.serviceLog()}`).toBe('success');
    // The token changes after the backup: the backup holds the old one, which the server no longer takes.
    const rotated = await e.h.api.post(`/api/v1/devices/${deviceId}/agent-token/rotate/`, {});
    expect(rotated.statusCode, rotated.body).toBe(200);
    const tokenBefore = router.readRootFile('etc/config/fleetflash');
    await until(
      async () => router.readRootFile('etc/config/fleetflash'),
      (config) => config !== tokenBefore,
    );
    const currentConfig = router.readRootFile('etc/config/fleetflash')!;
    router.writeRootFile('etc/config/network', "config interface 'wan'\n\toption proto 'pppoe'\n");

    const backups = (await e.h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json();
    const backupId = (backups.results ?? backups)[0].id as string;
    const bootBefore = router.bootId();
    const response = await e.h.api.post(`/api/v1/devices/${deviceId}/backups/${backupId}/restore`, {});
    expect(response.statusCode, response.body).toBe(201);
    const result = await e.h.waitForEnd(response.json().id, 90_000);
    expect(result.status, `${result.log}\n${router.serviceLog()}`).toBe('success');
    expect(result.log).toContain('restoring the configuration (sysupgrade -r)');
    expect(router.bootId()).not.toBe(bootBefore);
    // What was restored is the stored backup, byte for byte; the network settings are the backup's again.
    const download = await e.h.api.get(`/api/v1/devices/${deviceId}/backups/${backupId}/download`);
    expect(readFileSync(path.join(router.root, 'restored.tar.gz')).equals(download.rawPayload)).toBe(true);
    expect(router.readRootFile('etc/config/network')).toContain("option proto 'dhcp'");
    // The agent kept its current token (the backup's is revoked): it still polls.
    expect(router.readRootFile('etc/config/fleetflash')).toBe(currentConfig);
    expect(router.flashes()).toHaveLength(1);
    const polled = (await e.h.api.get(`/api/v1/devices/${deviceId}/`)).json().agent_last_poll_at;
    const later = await until(
      async () => (await e.h.api.get(`/api/v1/devices/${deviceId}/`)).json().agent_last_poll_at,
      (at) => at !== polled,
    );
    expect(later).not.toBe(polled);
  }, 180_000);
});
