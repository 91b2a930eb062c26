import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentE2e, startAgentE2e } from './helpers/agent-e2e.js';
import type { Harness } from './helpers/upgrade-harness.js';
import { until } from './helpers/wait.js';
import { skipWithoutBusyboxRouter } from './helpers/busybox-router.js';

/**
 * Issue 15's "done when", end to end: a router behind NAT — the real shell agent under busybox ash in a
 * chroot (test/helpers/busybox-router.ts), which runs no server of any kind, so the server has no way in —
 * enrolls through the only path it has (router → proxy on 127.0.0.1 → server), then is upgraded in a staged
 * mass upgrade together with three SSH routers (simulated, reached by the server), and verified.
 */

const skip = skipWithoutBusyboxRouter(import.meta.url);

let e: AgentE2e;
let h: Harness;

beforeAll(async () => {
  if (skip) return;
  e = await startAgentE2e(
    {
      FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05',
      FLEETFLASH_AGENT_POLL_INTERVAL: '5',
      FLEETFLASH_AGENT_LONG_POLL: '2',
      FLEETFLASH_AGENT_PICKUP_TIMEOUT: '20',
      FLEETFLASH_AGENT_REPORT_TIMEOUT: '20',
      // The agent router's reboot wait after the order to flash (reconnect delay + upgrade timeout + retries).
      FLEETFLASH_OPENWRT_UPGRADE_TIMEOUT: '15',
    },
    '02:bb:00:00:0a',
  );
  h = e.h;
});

afterAll(async () => {
  await e?.stopRouters();
  await e?.close();
});

describe.skipIf(skip)('a router behind NAT in a staged rollout with SSH routers', () => {
  it('enrolls, is upgraded in the same batch as three SSH routers, stage by stage, and each is verified', async () => {
    // Enrollment: the router calls the server (through the proxy); nothing was registered for it by hand.
    const { router, deviceId: agentDeviceId } = await e.enrolledRouter();

    // The server has no route to it: no management address, and it is managed by its agent.
    const agentDevice = (await h.api.get(`/api/v1/devices/${agentDeviceId}/`)).json();
    expect(agentDevice).toMatchObject({ management: 'agent', management_ip: null, board_name: 'tplink,archer-c7-v2' });
    await until(
      async () => (await h.api.get(`/api/v1/devices/${agentDeviceId}/`)).json().agent_last_poll_at,
      (at) => at !== null,
    );

    // Three SSH routers, all four on the old build; a new build for the board.
    const old = await h.addImage({ os: null });
    const ssh = [];
    for (let index = 0; index < 3; index += 1) ssh.push(await h.addRouter({ group: 'mixed' }));
    await h.api.patch(`/api/v1/devices/${agentDeviceId}/`, { group: 'mixed' });
    for (const device of [...ssh.map((added) => added.deviceId), agentDeviceId])
      await h.markInstalled(device, old.imageId);
    const target = await h.addImage({ size: 256 * 1024 });
    router.setNextRelease(target.os);
    const bootBefore = router.bootId();

    const launched = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      group: 'mixed',
      upgrade_options: { c: true, k: true },
      rollout: { canary_count: 1, stage_factor: 2 },
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;

    const batch = await until(
      async () => (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json(),
      (body) => ['success', 'failed', 'cancelled'].includes(body.status) || body.status === 'paused',
      50_000,
    );
    const operations = (
      await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/operations/?page_size=100`)
    ).json().results as Record<string, any>[];
    const logs = new Map<string, string>();
    for (const operation of operations)
      logs.set(
        operation.device,
        (await h.api.get(`/api/v1/firmware/upgrade-operation/${operation.id}/`)).json().log as string,
      );
    const story = `${JSON.stringify(batch)}\n${[...logs.values()].join('\n---\n')}\n${router.serviceLog()}`;

    // Staged: a canary of one, then stages twice as large (1, 2, 1).
    expect(batch.status, story).toBe('success');
    expect(batch.stages.map((stage: { size: number }) => stage.size)).toEqual([1, 2, 1]);
    expect(batch.counts).toMatchObject({ success: 4 });
    expect(new Set(operations.map((operation) => operation.device))).toEqual(
      new Set([...ssh.map((added) => added.deviceId), agentDeviceId]),
    );
    // Each stage was released only once the one before it was decided.
    for (let stage = 1; stage < batch.stages.length; stage += 1) {
      const previousEnd = Math.max(
        ...operations.filter((o) => o.stage === stage - 1).map((o) => Date.parse(o.finished_at)),
      );
      for (const operation of operations.filter((o) => o.stage === stage))
        expect(Date.parse(operation.started_at)).toBeGreaterThanOrEqual(previousEnd);
    }

    // Every operation succeeded with proof of boot: a new boot running the new release.
    for (const operation of operations) {
      expect(operation.status, story).toBe('success');
      expect(logs.get(operation.device), story).toMatch(/Verified: new boot, running (OpenWrt )?23\.05\.3/);
    }

    // The agent router: run by the agent upgrader from the router's own requests, flashed once with the options.
    const agentLog = logs.get(agentDeviceId)!;
    expect(agentLog).toContain('using the agent upgrader');
    expect(agentLog).toContain("Job published for the device's agent");
    expect(agentLog).toContain('The agent took the job.');
    expect(agentLog).toContain('(reported by the agent)');
    expect(router.flashes()).toEqual(['flashed -c -k /tmp/fleetflash-image.bin']);
    expect(router.bootId()).not.toBe(bootBefore);
    const agentOperation = operations.find((operation) => operation.device === agentDeviceId)!;
    const reports = e.proxy.requests.filter((request) => request.operation === agentOperation.id);
    expect(reports.map((request) => request.step)).toEqual(expect.arrayContaining(['ready', 'booted']));
    expect(e.proxy.imageRequests().length).toBeGreaterThanOrEqual(1);
    const after = (await h.api.get(`/api/v1/devices/${agentDeviceId}/`)).json();
    expect(after).toMatchObject({ management: 'agent', management_ip: null, os: target.os });

    // The SSH routers: each reached by the server, flashed once, never told of an agent.
    for (const { router: sshRouter, deviceId } of ssh) {
      expect(sshRouter.flashCount).toBe(1);
      expect(sshRouter.connections).toBeGreaterThan(0);
      expect(logs.get(deviceId)).not.toContain('agent');
    }
  }, 60_000);
});
