import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, SIMULATED_BOARDS } from '../simulator/fleet.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * The simulator's pull-mode routers (`fleetflash simulate --agent`, the demo's agents, the agents benchmark)
 * against the real server over real HTTP: they enroll, take a mass upgrade from their polls, and end as the
 * shell agent would with each fault.
 */

let h: Harness;
let base: string;
let secret: string;
const fleets: Fleet[] = [];
/** Each fleet its own seed: the seed makes the MAC addresses, and enrollment finds a device by its MAC. */
let seed = 100;

beforeAll(async () => {
  h = await createHarness({
    FLEETFLASH_AGENT_LONG_POLL: '2',
    FLEETFLASH_AGENT_PICKUP_TIMEOUT: '5',
    FLEETFLASH_AGENT_REPORT_TIMEOUT: '5',
    FLEETFLASH_RETRY_MAX_RETRIES: '0',
  });
  ({ base, secret } = await h.listenForAgents());
  await h.startWorker();
}, 60_000);

afterAll(async () => {
  await Promise.all(fleets.map((fleet) => fleet.stop()));
  await h?.close();
});

async function agentFleet(count: number, namePrefix: string, faults: Partial<ConstructorParameters<typeof Fleet>[0]>) {
  seed += 1;
  const fleet = new Fleet({
    count,
    seed,
    mode: 'agent',
    // The board the harness's images are for.
    boards: [SIMULATED_BOARDS[0]!],
    namePrefix,
    rebootMs: 200,
    release: { distribution: 'OpenWrt', version: '23.05.2', revision: 'r23630-842932a63d' },
    register: { url: base, organization: h.organizationSlug, secret },
    ...faults,
  });
  fleets.push(fleet);
  await fleet.start();
  return fleet;
}

async function devicesOf(fleet: Fleet): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const agent of fleet.agents) ids.set(agent.deviceId!, agent.name);
  return ids;
}

async function runBatch(buildId: string, devices: string[]) {
  const launched = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, {
    upgrade_all: true,
    devices,
    backup: 'required',
    rollout: { canary_percent: 100, failure_threshold_percent: 100 },
  });
  expect(launched.statusCode, launched.body).toBe(201);
  const batchId = launched.json().batch as string;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const batch = (await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/`)).json();
    if (['success', 'failed', 'cancelled'].includes(batch.status)) break;
    if (Date.now() > deadline) throw new Error(`batch not decided: ${JSON.stringify(batch)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const operations = await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${batchId}/operations/?page_size=100`);
  return operations.json().results as { device: string; status: string; error_code: string | null }[];
}

describe('simulated agent routers', () => {
  it('enroll as devices managed by their agent and upgrade in a mass upgrade, with a backup each', async () => {
    const fleet = await agentFleet(3, 'pull', {});
    const target = await h.addImage({ size: 256 * 1024 });
    const ids = await devicesOf(fleet);
    const device = (await h.api.get(`/api/v1/devices/${[...ids.keys()][0]}/`)).json();
    expect(device).toMatchObject({ management: 'agent', agent_release: '23.05.2' });
    const operations = await runBatch(target.buildId, [...ids.keys()]);
    expect(operations.map((operation) => operation.status)).toEqual(['success', 'success', 'success']);
    for (const agent of fleet.agents) {
      expect(agent.flashCount).toBe(1);
      expect(agent.describe().release).toMatch(/^OpenWrt 23\.05\.3 /);
      const backups = (await h.api.get(`/api/v1/devices/${agent.deviceId}/backups/`)).json();
      expect(backups.results ?? backups).toHaveLength(1);
    }
  }, 90_000);

  it('end as with SSH under faults: a cut download resumes, a wrong release fails, low memory aborts', async () => {
    await h.newCategory();
    const cut = await agentFleet(1, 'cut', {
      faults: ['transfer-cut'],
      faultRate: 1,
    });
    const old = await agentFleet(1, 'old', { faults: ['old-release'], faultRate: 1 });
    const low = await agentFleet(1, 'low', { faults: ['low-memory'], faultRate: 1 });
    const target = await h.addImage({ size: 512 * 1024 });
    const byDevice = new Map([...(await devicesOf(cut)), ...(await devicesOf(old)), ...(await devicesOf(low))]);
    const operations = await runBatch(target.buildId, [...byDevice.keys()]);
    const outcome = Object.fromEntries(
      operations.map((operation) => [byDevice.get(operation.device), [operation.status, operation.error_code]]),
    );
    expect(outcome).toEqual({
      'cut-0001': ['success', null],
      'old-0001': ['failed', 'not-flashed'],
      // Nothing was changed on the router: aborted, as with SSH.
      'low-0001': ['aborted', 'insufficient-memory'],
    });
    expect(cut.agents[0]!.rangeRequests).toBeGreaterThanOrEqual(1);
    expect(low.agents[0]!.flashCount).toBe(0);
  }, 90_000);
});
