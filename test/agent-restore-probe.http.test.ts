import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigArchive } from '../simulator/config-archive.js';
import { Fleet, SIMULATED_BOARDS } from '../simulator/fleet.js';
import type { SimulatedAgentRouter } from '../simulator/agent-router.js';
import { RawAgent } from './helpers/raw-agent.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Issue 16 in pull mode: health checks after proof of boot and configuration restores of devices managed by
 * their agent, against the real server and worker over real HTTP. Simulated agent routers (the same faults as
 * the SSH ones) run the jobs; a raw agent (test/helpers/raw-agent.ts) shows what the protocol answers.
 */

let h: Harness;
let base: string;
let secret: string;
let seed = 300;
let macCounter = 0;
const fleets: Fleet[] = [];

beforeAll(async () => {
  h = await createHarness({
    FLEETFLASH_AGENT_LONG_POLL: '2',
    FLEETFLASH_AGENT_POLL_INTERVAL: '5',
    FLEETFLASH_AGENT_PICKUP_TIMEOUT: '10',
    FLEETFLASH_AGENT_REPORT_TIMEOUT: '10',
    FLEETFLASH_RETRY_MAX_RETRIES: '0',
  });
  ({ base, secret } = await h.listenForAgents());
  await h.startWorker();
}, 60_000);

afterAll(async () => {
  await Promise.all(fleets.map((fleet) => fleet.stop()));
  await h?.close();
});

/** One simulated agent router, enrolled and polling. */
async function agentRouter(name: string): Promise<SimulatedAgentRouter> {
  seed += 1;
  const fleet = new Fleet({
    count: 1,
    seed,
    mode: 'agent',
    boards: [SIMULATED_BOARDS[0]!],
    namePrefix: name,
    rebootMs: 200,
    release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d' },
    register: { url: base, organization: h.organizationSlug, secret },
  });
  fleets.push(fleet);
  await fleet.start();
  return fleet.agents[0]!;
}

function rawAgent(version: string): Promise<RawAgent> {
  macCounter += 1;
  const mac = `02:ac:00:00:00:${macCounter.toString(16).padStart(2, '0')}`;
  return RawAgent.enroll({ base, organization: h.organizationSlug, secret, mac, version });
}

async function createCheck(name: string, probes: object[]): Promise<string> {
  const response = await h.api.post('/api/v1/health-checks/', { organization: h.organizationId, name, probes });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function upgradeWith(deviceId: string, imageId: string, healthCheck: string, backup = 'required') {
  const response = await h.api.put(`/api/v1/firmware/device/${deviceId}/firmware/`, {
    image: imageId,
    health_check: healthCheck,
    backup,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().upgrade_operation.id as string;
}

async function restoreLatestBackup(deviceId: string): Promise<string> {
  const backups = (await h.api.get(`/api/v1/devices/${deviceId}/backups/`)).json();
  const backupId = (backups.results ?? backups)[0].id as string;
  const response = await h.api.post(`/api/v1/devices/${deviceId}/backups/${backupId}/restore`, {});
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

const WAN_UP = {
  name: 'WAN up',
  command: `ubus call network.interface.wan status | grep -q '"up": true'`,
  timeout_seconds: 5,
};
const DNSMASQ = { name: 'dnsmasq runs', command: 'pidof dnsmasq', timeout_seconds: 5 };

describe('health checks through the pull agent', () => {
  it('runs each probe on the router after proof of boot and succeeds when all pass', async () => {
    const router = await agentRouter('probe-ok');
    const checkId = await createCheck('agent router works', [WAN_UP, DNSMASQ]);
    const { imageId } = await h.addImage({ size: 128 * 1024 });
    const result = await h.waitForEnd(await upgradeWith(router.deviceId!, imageId, checkId), 60_000);
    expect(result.status, result.log).toBe('success');
    expect(result.log).toMatch(/Probe "WAN up" passed \([\d.]+ s\)/);
    expect(result.log).toMatch(/Probe "dnsmasq runs" passed/);
    expect(result.log).toContain('Health check "agent router works" passed.');
    expect(result.log.indexOf('Verified: new boot')).toBeLessThan(result.log.indexOf('Probe "WAN up" passed'));
    expect(router.flashCount).toBe(1);
  }, 90_000);

  it('fails with health-check-failed and the probe output; the pre-upgrade backup is then restored', async () => {
    const router = await agentRouter('probe-fails');
    router.faults.probeFails = 'network.interface.wan';
    const checkId = await createCheck('wan check', [DNSMASQ, WAN_UP]);
    const { imageId, os } = await h.addImage({ size: 128 * 1024 });
    const deviceId = router.deviceId!;
    const failed = await h.waitForEnd(await upgradeWith(deviceId, imageId, checkId), 60_000);
    expect(failed.status, failed.log).toBe('failed');
    expect(failed.error_code).toBe('health-check-failed');
    expect(failed.log).toMatch(/Probe "dnsmasq runs" passed/);
    expect(failed.log).toContain('probe "WAN up"');
    expect(failed.log).toContain('failed with exit code 1; output: simulated probe failure: ubus call');
    expect(failed.attempt).toBe(1);
    // The device runs the new release all the same: the restore expects it.
    expect((await h.api.get(`/api/v1/devices/${deviceId}/`)).json().os).toBe(os);

    const restored = await h.waitForEnd(await restoreLatestBackup(deviceId), 60_000);
    expect(restored.status, restored.log).toBe('success');
    expect(restored.log).toContain('Restore job published');
    expect(restored.log).toContain('The agent verified the backup (sha256, size) and the board.');
    expect(restored.log).toContain('restoring the configuration (sysupgrade -r)');
    expect(restored.log).toContain('Verified: new boot, running 23.05.3');
    expect(router.state.restoreCount).toBe(1);
    expect(router.flashCount).toBe(1);
  }, 120_000);

  it('fails a probe that outlives its timeout as timed out', async () => {
    const router = await agentRouter('probe-hangs');
    router.faults.probeHangs = 'pidof dnsmasq';
    const checkId = await createCheck('hangs', [{ ...DNSMASQ, timeout_seconds: 1 }]);
    const { imageId } = await h.addImage({ size: 128 * 1024 });
    const result = await h.waitForEnd(await upgradeWith(router.deviceId!, imageId, checkId, 'off'), 60_000);
    expect(result.status, result.log).toBe('failed');
    expect(result.error_code).toBe('health-check-failed');
    expect(result.log).toContain('probe "dnsmasq runs" (pidof dnsmasq) timed out after 1 s');
  }, 90_000);

  it('hands a probe of several lines out as command= lines, and takes its result from the probe report', async () => {
    const agent = await rawAgent('1.1.0');
    const checkId = await createCheck('two lines', [
      { name: 'lines', command: 'echo one\nexit 4', timeout_seconds: 7 },
    ]);
    const { imageId } = await h.addImage({ size: 64 * 1024 });
    const operationId = await upgradeWith(agent.deviceId, imageId, checkId, 'off');
    expect(await agent.upgradeTo('23.05.3')).toBe(operationId);
    const probe = await agent.pollFor('probe');
    expect(probe.lines).toMatchObject({ operation: operationId, probe: '1', timeout: '7' });
    expect(probe.all.get('command')).toEqual(['echo one', 'exit 4']);
    // Handed out once: the next poll has nothing.
    expect((await agent.poll()).lines.action).toBe('none');
    const reported = await agent.report(operationId, 'probe', { index: '1', exit: '4', timed_out: '0', output: 'one' });
    expect(reported.lines.ok).toBe('1');
    const result = await h.waitForEnd(operationId, 30_000);
    expect(result.error_code, result.log).toBe('health-check-failed');
    expect(result.log).toContain('failed with exit code 4; output: one');
  }, 60_000);

  it('refuses a malformed probe report with a 400 naming the field', async () => {
    const agent = await rawAgent('1.1.0');
    const checkId = await createCheck('malformed', [{ name: 'x', command: 'true', timeout_seconds: 5 }]);
    const { imageId } = await h.addImage({ size: 64 * 1024 });
    const operationId = await upgradeWith(agent.deviceId, imageId, checkId, 'off');
    await agent.upgradeTo('23.05.3');
    await agent.pollFor('probe');
    const bad = await agent.report(operationId, 'probe', { index: 'one', exit: '0', timed_out: '0', output: '' });
    expect(bad.status).toBe(400);
    expect(bad.lines).toMatchObject({ code: 'ValidationFailed' });
    expect(bad.lines.detail).toContain('"index"');
    await agent.report(operationId, 'probe', { index: '1', exit: '0', timed_out: '0', output: '' });
    expect((await h.waitForEnd(operationId, 30_000)).status).toBe('success');
  }, 60_000);

  it('fails the check of an agent too old to run probes, saying how to update it', async () => {
    const agent = await rawAgent('1.0.2');
    const checkId = await createCheck('old agent', [DNSMASQ]);
    const { imageId, os } = await h.addImage({ size: 64 * 1024 });
    const operationId = await upgradeWith(agent.deviceId, imageId, checkId, 'off');
    await agent.upgradeTo('23.05.3');
    const result = await h.waitForEnd(operationId, 30_000);
    expect(result.error_code, result.log).toBe('health-check-failed');
    expect(result.log).toContain("The device's agent (version 1.0.2) cannot run health probes");
    expect(result.log).toContain('Update it with the install command');
    expect((await h.api.get(`/api/v1/devices/${agent.deviceId}/`)).json().os).toBe(os);
  }, 60_000);
});

describe('proof of boot through the pull agent', () => {
  it("compares the booted report's revision with the build's: another build of it is not-flashed", async () => {
    const { imageId, os } = await h.addImage({ size: 64 * 1024 });
    const revision = os.split(' ')[2]!;
    const right = await rawAgent('1.1.0');
    await h.api.put(`/api/v1/firmware/device/${right.deviceId}/firmware/`, { image: imageId, backup: 'off' });
    const ok = await h.waitForEnd(await right.upgradeTo('23.05.3', undefined, revision), 30_000);
    expect(ok.status, ok.log).toBe('success');
    expect(ok.log).toContain(`Verified: new boot, running 23.05.3 ${revision} (reported by the agent).`);
    const wrong = await rawAgent('1.1.0');
    await h.api.put(`/api/v1/firmware/device/${wrong.deviceId}/firmware/`, { image: imageId, backup: 'off' });
    const failed = await h.waitForEnd(await wrong.upgradeTo('23.05.3', undefined, 'r1-0badc0de'), 30_000);
    expect(failed.error_code, failed.log).toBe('not-flashed');
    expect(failed.log).toContain(`its revision is r1-0badc0de, not the build's ${revision}`);
  }, 60_000);
});

describe('configuration restores through the pull agent', () => {
  it('ends restore-failed when sysupgrade -r fails, the router not rebooted', async () => {
    const router = await agentRouter('restore-fails');
    const { imageId } = await h.addImage({ size: 128 * 1024 });
    const upgraded = await h.waitForEnd(await h.upgrade(router.deviceId!, imageId, {}), 60_000);
    expect(upgraded.status, upgraded.log).toBe('success');
    router.faults.restoreFails = true;
    const bootBefore = router.state.bootId;
    const result = await h.waitForEnd(await restoreLatestBackup(router.deviceId!), 60_000);
    expect(result.status, result.log).toBe('failed');
    expect(result.error_code).toBe('restore-failed');
    expect(result.log).toContain('sysupgrade -r exited with 1');
    expect(result.log).toContain('The configuration may be partly restored; the device was not rebooted.');
    expect(router.state.bootId).toBe(bootBefore);
  }, 90_000);

  it('hands the backup out by ticket URL and refuses it on another board', async () => {
    const router = await agentRouter('restore-board');
    const { imageId } = await h.addImage({ size: 128 * 1024 });
    expect((await h.waitForEnd(await h.upgrade(router.deviceId!, imageId, {}), 60_000)).status).toBe('success');
    router.state.reportedBoard = 'other,board';
    const result = await h.waitForEnd(await restoreLatestBackup(router.deviceId!), 60_000);
    expect(result.status, result.log).toBe('aborted');
    expect(result.error_code).toBe('board-mismatch');
    expect(router.state.restoreCount).toBe(0);
  }, 90_000);

  it('refuses a restore for an agent too old to restore, saying how to update it', async () => {
    const agent = await rawAgent('1.0.0');
    const { imageId } = await h.addImage({ size: 64 * 1024 });
    const response = await h.api.put(`/api/v1/firmware/device/${agent.deviceId}/firmware/`, {
      image: imageId,
      backup: 'required',
    });
    expect(response.statusCode, response.body).toBe(201);
    const operationId = response.json().upgrade_operation.id as string;
    const archive = writeConfigArchive(new Map([['etc/config/system', 'config system\n']]));
    await agent.upgradeTo('23.05.3', archive);
    expect((await h.waitForEnd(operationId, 30_000)).status).toBe('success');
    const backups = (await h.api.get(`/api/v1/devices/${agent.deviceId}/backups/`)).json();
    const backupId = (backups.results ?? backups)[0].id as string;
    const refused = await h.api.post(`/api/v1/devices/${agent.deviceId}/backups/${backupId}/restore`, {});
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().detail).toContain("The device's agent (version 1.0.0) cannot restore configuration backups");
  }, 60_000);
});
