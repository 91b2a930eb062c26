import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { makeToken, makeUser } from './helpers/factories.js';
import { createImageBuildHarness } from './helpers/image-builds.js';
import { openStream, type SseMessage } from './helpers/sse.js';
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
      await sql`
        UPDATE asu_builds
        SET request = jsonb_set(request, '{packages}', '"luci"')
        WHERE request_hash = ${bad}`.execute(h.t.db);
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

  it('pauses a batch whose stored rollout policy it cannot read, saying why; the API answers it as null', async () => {
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
    const deadline = Date.now() + 10_000;
    const get = () => h.api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`);
    while ((await get()).json().status !== 'paused') {
      if (Date.now() > deadline) throw new Error(`batch not paused: ${(await get()).body}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The API shows the policy it cannot read as null, with the reason and what to do: never a 500.
    const paused = await get();
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'paused', pause_reason: 'policy-unreadable', rollout: null });
    expect(paused.json().pause_detail).toMatch(
      /stored rollout policy is not one this version can read \(\/success_gate.*Cancel this mass upgrade/,
    );
    const listed = await h.api.get(`/api/v1/firmware/batch-upgrade-operation/?build=${target.buildId}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().results).toEqual([expect.objectContaining({ id, rollout: null })]);
    // The live feed carries the same representation.
    await h.t.app.listen({ host: '127.0.0.1', port: 0 });
    const token = await makeToken(h.db, await makeUser(h.db, { isSuperuser: true }));
    const { port } = h.t.app.server.address() as AddressInfo;
    const feed = await openStream(`http://127.0.0.1:${port}/api/v1/events/?batch=${id}`, {
      authorization: token,
      'last-event-id': '0',
    });
    try {
      expect(feed.status).toBe(200);
      const pausedEvent = (messages: SseMessage[]) =>
        messages.find((message) => message.event === 'batch' && message.data?.pause_reason === 'policy-unreadable');
      await feed.waitFor((messages) => pausedEvent(messages) !== undefined, 10_000, 'the paused batch event');
      expect(pausedEvent(feed.messages)?.data).toMatchObject({ id, status: 'paused', rollout: null });
    } finally {
      feed.close();
    }
    // Cancelling it, as the detail says, works.
    const cancelled = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/cancel/`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', rollout: null });
    await h.stopWorker();
  });
});
