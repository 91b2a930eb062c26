import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_BOARDS } from '../simulator/fleet.js';
import { makeToken, makeUser } from './helpers/factories.js';
import { client } from './helpers/http.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * Honest outcomes of mass upgrades: the dry run is what the launch does (scope, skips, stages),
 * skips that are not failures do not fail a batch, and live events speak the REST answer's words.
 */

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05' });
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

const NEWER_OS = 'OpenWrt 24.10.0 r28427-6df0e3d02a';
let groups = 0;

/** Routers of a group of their own on the old build of a new category, and a new build for them. */
async function fleet(count: number) {
  groups += 1;
  const group = `outcomes-${groups}`;
  await h.newCategory();
  const old = await h.addImage({ os: null });
  const devices: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { deviceId } = await h.addRouter({ group });
    await h.markInstalled(deviceId, old.imageId);
    devices.push(deviceId);
  }
  const target = await h.addImage();
  return { group, old, target, devices };
}

async function batch(id: string) {
  const response = await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function waitForEnd(id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = await batch(id);
    if (['success', 'failed', 'cancelled'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`batch not finished: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function launch(buildId: string, body: Record<string, unknown>) {
  const response = await h.api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().batch as string;
}

describe('mass upgrade outcomes', () => {
  it('lets an operator read the dry run (it changes nothing) but not launch', async () => {
    const f = await fleet(1);
    const organization = { id: h.organizationId } as never;
    const operator = client(
      h.t.app,
      await makeToken(h.db, await makeUser(h.db, { memberships: [{ organization, role: 'operator' }] })),
    );
    const read = await operator.get(`/api/v1/firmware/build/${f.target.buildId}/upgrade/?group=${f.group}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().device_firmwares).toEqual(f.devices);
    const preview = await operator.post(`/api/v1/firmware/build/${f.target.buildId}/upgrade/dry-run/`, {
      group: f.group,
      rollout: { canary_count: 1 },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const launched = await operator.post(`/api/v1/firmware/build/${f.target.buildId}/upgrade/`, { group: f.group });
    expect(launched.statusCode).toBe(403);
    expect(launched.json().code).toBeTruthy();
  });

  it(
    'ends a batch whose operations all succeeded as success though devices were skipped for reasons that are not ' +
      'failures',
    async () => {
      const f = await fleet(2);
      const deactivated = await h.addRouter({ group: f.group });
      await h.markInstalled(deactivated.deviceId, f.old.imageId);
      await h.api.patch(`/api/v1/devices/${deactivated.deviceId}/`, { is_active: false });
      const newer = await h.addRouter({ group: f.group, os: NEWER_OS });
      await h.markInstalled(newer.deviceId, f.old.imageId);
      // A device of the category whose board no image of the new build fits.
      const otherBoard = await h.addRouter({ group: f.group, board: SIMULATED_BOARDS[1]! });
      const otherOld = await h.addImage({ os: null, board: SIMULATED_BOARDS[1]! });
      await h.markInstalled(otherBoard.deviceId, otherOld.imageId);

      const id = await launch(f.target.buildId, { group: f.group });
      const ended = await waitForEnd(id);
      expect(ended.counts).toMatchObject({ operations: 2, success: 2, failed: 0, aborted: 0, skipped: 3 });
      expect(ended.skip_reasons).toEqual({ deactivated: 1, downgrade: 1, 'no-fitting-image': 1 });
      expect(ended.status).toBe('success');
    },
  );

  it('previews in the dry run exactly the stages the launch then runs, for the rollout given', async () => {
    const f = await fleet(12);
    const plan = {
      group: f.group,
      rollout: { canary_count: 3, stage_factor: 3, start_at: new Date(Date.now() + 3_600_000).toISOString() },
    };
    const preview = await h.api.post(`/api/v1/firmware/build/${f.target.buildId}/upgrade/dry-run/`, plan);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().stages).toEqual([3, 9]);
    const id = await launch(f.target.buildId, plan);
    try {
      const launched = await batch(id);
      expect(launched.stages.map((stage: { size: number }) => stage.size)).toEqual(preview.json().stages);
      expect(launched.stages.map((stage: { stage: number }) => stage.stage)).toEqual([0, 1]);
    } finally {
      await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/cancel/`);
    }
    // Bad rollout input is refused as at launch.
    const bad = await h.api.post(`/api/v1/firmware/build/${f.target.buildId}/upgrade/dry-run/`, {
      rollout: { canary_count: 2, canary_percent: 5 },
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().fields)).toContain('rollout.canary_percent');
  });

  it(
    'accounts for every device in scope: upgraded, or skipped with a reason; downgrades only when ' + 'allowed',
    async () => {
      groups += 1;
      const group = `outcomes-${groups}`;
      // A device on a build of another category whose board fits the new build, and one it does not fit.
      await h.newCategory();
      const foreign = await h.addImage({ os: null });
      const otherCategory = await h.addRouter({ group });
      await h.markInstalled(otherCategory.deviceId, foreign.imageId);
      const foreignOtherBoard = await h.addImage({ os: null, board: SIMULATED_BOARDS[1]! });
      const outOfScope = await h.addRouter({ group, board: SIMULATED_BOARDS[1]! });
      await h.markInstalled(outOfScope.deviceId, foreignOtherBoard.imageId);

      await h.newCategory();
      const old = await h.addImage({ os: null });
      const related = async (options: Parameters<Harness['addRouter']>[0] = {}) => {
        const added = await h.addRouter({ group, ...options });
        await h.markInstalled(added.deviceId, old.imageId);
        return added.deviceId;
      };
      const plain = await related();
      const deactivated = await related();
      await h.api.patch(`/api/v1/devices/${deactivated}/`, { is_active: false });
      const newer = await related({ os: NEWER_OS });
      const rc = await related({ os: 'OpenWrt 23.05.0-rc1 r23069-e2b2f5cf4e' });
      const noAddress = await related();
      await h.api.patch(`/api/v1/devices/${noAddress}/`, { management_ip: null });
      const firmwareless = (await h.addRouter({ group })).deviceId;
      const target = await h.addImage();
      const onBuild = await related();
      await h.markInstalled(onBuild, target.imageId);

      const dryRun = async (query: string) => {
        const response = await h.api.get(`/api/v1/firmware/build/${target.buildId}/upgrade/?group=${group}${query}`);
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json();
        const reasons = Object.fromEntries(
          body.skipped.map((skip: { device: string; reason: string }) => [skip.device, skip.reason]),
        );
        expect(body.device_firmwares.length + body.devices.length + body.skipped.length).toBe(body.in_scope);
        return { body, reasons };
      };

      const narrow = await dryRun('');
      expect(narrow.body.in_scope).toBe(8);
      expect([...narrow.body.device_firmwares].sort()).toEqual([plain, rc].sort());
      expect(narrow.body.devices).toEqual([]);
      expect(narrow.reasons).toEqual({
        [otherCategory.deviceId]: 'not-in-category',
        [firmwareless]: 'not-in-category',
        [deactivated]: 'deactivated',
        [newer]: 'downgrade',
        [noAddress]: 'no-address',
        [onBuild]: 'already-on-build',
      });
      expect(narrow.reasons).not.toHaveProperty(outOfScope.deviceId);

      const wide = await dryRun('&upgrade_all=true&allow_downgrade=true');
      expect(wide.body.in_scope).toBe(8);
      expect([...wide.body.device_firmwares].sort()).toEqual([plain, rc, newer].sort());
      expect([...wide.body.devices].sort()).toEqual([otherCategory.deviceId, firmwareless].sort());
      expect(wide.reasons).toEqual({
        [deactivated]: 'deactivated',
        [noAddress]: 'no-address',
        [onBuild]: 'already-on-build',
      });
      expect(wide.body.stages.reduce((sum: number, size: number) => sum + size, 0)).toBe(5);
    },
  );

  it('publishes batch events whose fields equal the REST answer, with one stage base in fields and text', async () => {
    const f = await fleet(2);
    const id = await launch(f.target.buildId, { group: f.group, rollout: { canary_count: 1 } });
    const rest = await waitForEnd(id);
    const events = await h.db
      .selectFrom('events')
      .select(['id', 'data'])
      .where('batchId', '=', id)
      .where('type', '=', 'batch')
      .orderBy('id', 'desc')
      .execute();
    const last = events[0]!.data as Record<string, unknown>;
    const { modified: _modified, ...fields } = rest;
    expect(last).toEqual(fields);

    const operations = (
      await h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/operations/?page_size=10`)
    ).json().results;
    for (const summary of operations) {
      const operation = (await h.api.get(`/api/v1/firmware/upgrade-operation/${summary.id}/`)).json();
      expect(operation.log).toContain(`stage ${operation.stage} of stages 0-1`);
    }
    expect(operations.map((operation: { stage: number }) => operation.stage).sort()).toEqual([0, 1]);
  });
});
