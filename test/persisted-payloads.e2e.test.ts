import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { createImageBuildHarness } from './helpers/image-builds.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * JSON read back from a row by a worker is checked before use: a row whose payload this version
 * cannot read fails (or pauses) that one piece of work with a clear message, and the worker goes on.
 */

describe('a stored build request of the wrong shape', () => {
  it('fails that build with STORED_REQUEST_INVALID (not retried); the worker goes on to the next', async () => {
    const h = await createImageBuildHarness({ worker: false });
    let work: BackgroundWork | null = null;
    try {
      const request = { target: 'ath79/generic', version: '23.05.3', profile: 'tplink_archer-c7-v2' };
      const bad = (await h.build({ ...request, packages: ['luci'] })).json.request_hash as string;
      const good = (await h.build({ ...request, packages: ['vim'] })).json.request_hash as string;
      await sql`UPDATE asu_builds SET request = jsonb_set(request, '{packages}', '"luci"') WHERE request_hash = ${bad}`.execute(
        h.t.db,
      );
      work = await startBackgroundWork(h.t.resources, { tasks: false, upgrades: false, builds: true });
      const failed = await h.waitForBuild(bad);
      expect(failed.json).toMatchObject({ error_code: 'STORED_REQUEST_INVALID', error_kind: 'infrastructure' });
      expect(String(failed.json.detail)).toMatch(/stored build request is not one this version can read \(\/packages/);
      const row = await h.t.db
        .selectFrom('asuBuilds')
        .select(['attempts', 'status'])
        .where('requestHash', '=', bad)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ attempts: 1, status: 'failed' });
      expect((await h.waitForBuild(good)).status).toBe(200);
    } finally {
      await work?.stop();
      await h.close();
    }
  });
});

describe('stored upgrade payloads of the wrong shape', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('fails an operation whose stored options are not flags, saying so, without contacting the device', async () => {
    const { router, deviceId } = await h.addRouter();
    const { imageId } = await h.addImage();
    const id = await h.upgrade(deviceId, imageId);
    await sql`UPDATE upgrade_operations SET options = '{"keep_settings": "yes"}' WHERE id = ${id}`.execute(h.db);
    await h.startWorker();
    const ended = await h.waitForEnd(id);
    expect(ended).toMatchObject({ status: 'failed', error_code: 'options-unreadable' });
    expect(ended.log).toMatch(/stored upgrade options is not one this version can read \(\/keep_settings: /);
    expect(router.describe().os).not.toContain('23.05.3');
    await h.stopWorker();
  });

  it('pauses a mass upgrade whose stored rollout policy it cannot read, saying why', async () => {
    await h.newCategory();
    const old = await h.addImage({ os: null });
    const group = 'unreadable-policy';
    const { deviceId } = await h.addRouter({ group });
    await h.markInstalled(deviceId, old.imageId);
    const target = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      group,
      rollout: { start_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const id = launched.json().batch as string;
    await sql`UPDATE batch_upgrade_operations SET rollout = rollout - 'success_gate_percent', status = 'in-progress'
      WHERE id = ${id}`.execute(h.db);
    await h.startWorker();
    // Read from the row: the API answer itself cannot show a policy of the wrong shape.
    const deadline = Date.now() + 10_000;
    const row = () =>
      h.db
        .selectFrom('batchUpgradeOperations')
        .select(['status', 'pauseReason', 'pauseDetail'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    while ((await row()).status !== 'paused') {
      if (Date.now() > deadline) throw new Error(`batch not paused: ${JSON.stringify(await row())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const paused = await row();
    expect(paused.pauseReason).toBe('policy-unreadable');
    expect(paused.pauseDetail).toMatch(/stored rollout policy is not one this version can read \(\/success_gate/);
    await h.stopWorker();
  });
});
