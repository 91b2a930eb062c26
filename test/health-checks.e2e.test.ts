import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/** Health checks after proof of boot (issue 16 §2), against simulated routers. */

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

const WAN_UP = {
  name: 'WAN up',
  command: `ubus call network.interface.wan status | grep -q '"up": true'`,
  timeout_seconds: 5,
};
const DNSMASQ = { name: 'dnsmasq runs', command: 'pidof dnsmasq', timeout_seconds: 5 };
const PING = { name: 'gateway answers', command: 'ping -c 1 -W 2 192.0.2.1', timeout_seconds: 5 };

async function createCheck(name: string, probes: object[]): Promise<string> {
  const response = await h.api.post('/api/v1/health-checks/', { organization: h.organizationId, name, probes });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function upgradeWith(deviceId: string, imageId: string, healthCheck: string | null | undefined) {
  const response = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
    image: imageId,
    ...(healthCheck === undefined ? {} : { health_check: healthCheck }),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().upgrade_operation.id as string;
}

describe('a health check after proof of boot', () => {
  it('passes when every probe exits 0, logging each probe briefly', async () => {
    const checkId = await createCheck('router works', [WAN_UP, DNSMASQ, PING]);
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const operationId = await upgradeWith(deviceId, imageId, checkId);
    const result = await h.waitForEnd(operationId);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toContain('health check: "router works"');
    expect(result.log).toMatch(/Probe "WAN up" passed \([\d.]+ s\)/);
    expect(result.log).toMatch(/Probe "dnsmasq runs" passed/);
    expect(result.log).toMatch(/Probe "gateway answers" passed/);
    expect(result.log).toContain('Health check "router works" passed.');
    // The probes ran after proof of boot, on the new release.
    expect(result.log.indexOf('Verified: new boot')).toBeLessThan(result.log.indexOf('Probe "WAN up" passed'));
    expect(router.flashCount).toBe(1);
    const operation = (await h.api.get(`/api/v1/firmware/upgrade-operation/${operationId}/`)).json();
    expect(operation.health_check).toMatchObject({ id: checkId, name: 'router works' });
    expect(operation.health_check.probes).toHaveLength(3);
  });

  it('fails with health-check-failed, naming the probe, its exit code and output, and does not retry', async () => {
    const checkId = await createCheck('wan check', [DNSMASQ, WAN_UP, PING]);
    const { router, deviceId } = await h.addRouter({ faults: { probeFails: 'network.interface.wan' } });
    const { imageId } = await h.addImage();
    const result = await h.waitForEnd(await upgradeWith(deviceId, imageId, checkId));
    expect(result.status).toBe('failed');
    expect(result.error_code).toBe('health-check-failed');
    expect(result.attempt).toBe(1);
    expect(result.log).toMatch(/Probe "dnsmasq runs" passed/);
    expect(result.log).toContain(
      'Health check "wan check": probe "WAN up" (ubus call network.interface.wan status | grep -q \'"up": true\') ' +
        'failed with exit code 1; output: simulated probe failure:',
    );
    expect(result.log).toContain('the upgrade is not retried');
    // The probes after the failing one do not run.
    expect(result.log).not.toContain('Probe "gateway answers"');
    expect(router.flashCount).toBe(1);
  });

  it('runs the check again on a retry, flashing nothing: failing while the fault lasts, then passing', async () => {
    const checkId = await createCheck('retry check', [WAN_UP]);
    const { router, deviceId } = await h.addRouter({ faults: { probeFails: 'network.interface.wan' } });
    const { imageId } = await h.addImage();
    const first = await upgradeWith(deviceId, imageId, checkId);
    expect((await h.waitForEnd(first)).error_code).toBe('health-check-failed');
    const again = await h.api.post(`/api/v1/firmware/upgrade-operation/${first}/retry/`);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().health_check).toMatchObject({ id: checkId });
    const stillBroken = await h.waitForEnd(again.json().id);
    expect(stillBroken.error_code).toBe('health-check-failed');
    router.faults.probeFails = undefined;
    const last = await h.api.post(`/api/v1/firmware/upgrade-operation/${again.json().id}/retry/`);
    const healthy = await h.waitForEnd(last.json().id);
    expect(healthy.status, healthy.log).toBe('success');
    expect(healthy.log).toContain('Health check "retry check" passed.');
    expect(router.flashCount).toBe(1);
  });

  it('fails a probe that hangs at its timeout', async () => {
    const hang = { name: 'slow service', command: 'sleep-forever-probe', timeout_seconds: 1 };
    const checkId = await createCheck('hangs', [hang]);
    const { deviceId } = await h.addRouter({ faults: { probeHangs: 'sleep-forever-probe' } });
    const { imageId } = await h.addImage();
    const started = Date.now();
    const result = await h.waitForEnd(await upgradeWith(deviceId, imageId, checkId));
    expect(result.status).toBe('failed');
    expect(result.error_code).toBe('health-check-failed');
    expect(result.log).toContain('probe "slow service" (sleep-forever-probe) timed out after 1 s; no output');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("runs the category's default unless the upgrade names none (null)", async () => {
    const checkId = await createCheck('category default', [WAN_UP]);
    const categoryId = await h.newCategory();
    const set = await h.api.patch(`/api/v1/firmware/category/${categoryId}/`, { health_check: checkId });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().health_check).toBe(checkId);

    const failing = { probeFails: 'network.interface.wan' };
    const first = await h.addRouter({ faults: failing });
    const { imageId } = await h.addImage();
    const byDefault = await h.waitForEnd(await upgradeWith(first.deviceId, imageId, undefined));
    expect(byDefault.error_code).toBe('health-check-failed');

    const second = await h.addRouter({ faults: failing });
    const withoutCheck = await h.waitForEnd(await upgradeWith(second.deviceId, imageId, null));
    expect(withoutCheck.status, withoutCheck.log).toBe('success');
    expect(withoutCheck.log).toContain('health check: none');
    expect(withoutCheck.log).not.toContain('Probe ');
  });

  it('counts a failed check in the mass upgrade like any failure', async () => {
    const checkId = await createCheck('batch check', [WAN_UP]);
    await h.newCategory();
    const healthy = await h.addRouter();
    const broken = await h.addRouter({ faults: { probeFails: 'network.interface.wan' } });
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices: [healthy.deviceId, broken.deviceId],
      health_check: checkId,
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;
    const deadline = Date.now() + 30_000;
    let batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    while (batch.counts.decided < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    }
    expect(batch.health_check).toMatchObject({ id: checkId, name: 'batch check' });
    expect(batch.counts).toMatchObject({ success: 1, failed: 1, decided: 2 });
    const operations = (await h.api.get(`/api/v1/firmware/device/${broken.deviceId}/upgrade-operation/`)).json();
    expect(operations.results[0]).toMatchObject({ status: 'failed', error_code: 'health-check-failed' });

    // Retrying the batch's failures keeps the check: the retry flashes nothing and checks again.
    const retried = await h.api.post(
      `/api/v1/firmware/batch-upgrade-operation/${batchId}/retry-failed/?error_code=health-check-failed`,
    );
    expect(retried.statusCode, retried.body).toBe(200);
    const again = (await h.api.get(`/api/v1/firmware/device/${broken.deviceId}/upgrade-operation/`)).json().results;
    expect(again[0].id).not.toBe(operations.results[0].id);
    expect(again[0].health_check).toMatchObject({ id: checkId, name: 'batch check' });
    expect((await h.waitForEnd(again[0].id)).error_code).toBe('health-check-failed');
    expect(broken.router.flashCount).toBe(1);
  });

  it("stops a rollout whose canary fails the check at the canary's gate", async () => {
    const checkId = await createCheck('canary check', [WAN_UP]);
    await h.newCategory();
    const failing = { probeFails: 'network.interface.wan' };
    const devices = [
      (await h.addRouter({ faults: failing })).deviceId,
      (await h.addRouter({ faults: failing })).deviceId,
    ];
    const { buildId } = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
      upgrade_all: true,
      devices,
      health_check: checkId,
      rollout: { canary_count: 1 },
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;
    const deadline = Date.now() + 30_000;
    let batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    while (batch.status !== 'paused' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    }
    expect(batch.status).toBe('paused');
    expect(['failure-threshold', 'stage-gate']).toContain(batch.pause_reason);
    expect(batch.counts).toMatchObject({ failed: 1, pending: 1 });
  });

  it('refuses a check of another organization or an unknown one (400 InvalidReference)', async () => {
    const { deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const response = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
      image: imageId,
      health_check: crypto.randomUUID(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'InvalidReference', fields: { health_check: expect.any(String) } });
  });
});
