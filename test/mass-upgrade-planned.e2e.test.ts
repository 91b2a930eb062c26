import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePlannedOperations } from '../src/modules/upgrades/batch-controller.js';
import { batchOperations, launchBatch, readBatch } from './helpers/batches.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';

/**
 * A mass upgrade larger than `rollout_launch_chunk` (2 here): the launch writes the first operations in
 * rollout order and plans the rest; the workers' rollout controller writes them, chunk by chunk. Until
 * then a planned device counts as a pending operation of its stage, its image cannot be deleted, and a
 * cancelled batch never writes it. Without a worker, the tests call the controller's writer themselves.
 */

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05', FLEETFLASH_ROLLOUT_LAUNCH_CHUNK: '2' });
});
afterAll(async () => {
  await h.close();
});

async function fleet(count: number) {
  await h.newCategory();
  const old = await h.addImage({ os: null });
  const deviceIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const added = await h.addRouter({ rebootMs: 50, name: `planned-${index}` });
    await h.markInstalled(added.deviceId, old.imageId);
    deviceIds.push(added.deviceId);
  }
  const target = await h.addImage();
  return { deviceIds, routers: h.routers.slice(-count), ...target };
}

const launch = (buildId: string, body: Record<string, unknown> = {}) => launchBatch(h.api, buildId, body);

const batch = (id: string) => readBatch(h.api, id);

const operationsOf = (id: string, query = '') => batchOperations(h.api, id, query);

async function plannedChunks(batchId: string): Promise<number> {
  const result = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM batch_planned_operations WHERE batch_id = ${batchId}`.execute(h.db);
  return result.rows[0]!.count;
}

describe('without a worker', () => {
  it('writes the first operations at launch, counts the rest, writes them later as a launch would', async () => {
    const f = await fleet(7);
    // Stages of 1, 2 and 4 devices; the launch writes 2 operations, then 3 chunks remain (2, 2, 1).
    const id = await launch(f.buildId, { rollout: { canary_count: 1, stage_sizes: [2] } });
    expect(await plannedChunks(id)).toBe(3);
    expect((await operationsOf(id)).map((operation) => operation.stage).sort()).toEqual([0, 1]);
    const launched = await batch(id);
    expect(launched).toMatchObject({
      status: 'in-progress',
      counts: { operations: 7, pending: 7, skipped: 0 },
      stages: [{ size: 1 }, { size: 2 }, { size: 4 }],
      total_operations: 7,
    });

    // The image is planned for five more devices: it cannot be deleted.
    const deleteImage = await h.api.delete(`/api/v1/firmware/build/${f.buildId}/image/${f.imageId}/`);
    expect(deleteImage.statusCode).toBe(409);
    expect(deleteImage.json()).toMatchObject({ code: 'ImageInUse' });
    expect(deleteImage.json().detail).toContain('7 pending or running');

    // Meanwhile: a planned device is deleted, another gets an upgrade of its own.
    const written = new Set((await operationsOf(id)).map((operation) => operation.device));
    const notWritten = f.deviceIds.filter((deviceId) => !written.has(deviceId));
    expect(notWritten).toHaveLength(5);
    const [deleted, busy] = notWritten as [string, string];
    expect((await h.api.delete(`/api/v1/devices/${deleted}/`)).statusCode).toBe(204);
    const single = await h.upgrade(busy, f.imageId);

    expect(await writePlannedOperations(h.db, id)).toBe(3);
    expect(await plannedChunks(id)).toBe(0);
    const operations = await operationsOf(id);
    expect(operations).toHaveLength(5);
    expect(operations.map((operation) => operation.device)).not.toContain(deleted);
    expect(operations.map((operation) => operation.device)).not.toContain(busy);
    const after = await batch(id);
    expect(after.counts).toMatchObject({ operations: 5, pending: 5, skipped: 1 });
    expect(after.skip_reasons).toEqual({ 'operation-running': 1 });
    // The first log line is the launch's, with the operation's own stage.
    const stageTwo = operations.find((operation) => operation.stage === 2)!;
    const log = (await h.api.get(`/api/v1/firmware/upgrade-operation/${stageTwo.id}/`)).json().log as string;
    expect(log).toContain(`Upgrade requested by mass upgrade ${id}`);
    expect(log).toContain('stage 2 of stages 0-2');
    // The single upgrade is untouched.
    expect((await h.api.get(`/api/v1/firmware/upgrade-operation/${single}/`)).json().status).toBe('pending');
    expect(await writePlannedOperations(h.db, id)).toBe(0);
  });

  it('never writes the planned operations of a cancelled mass upgrade, and counts them as cancelled', async () => {
    const f = await fleet(5);
    const id = await launch(f.buildId, { rollout: { canary_count: 1 } });
    expect(await plannedChunks(id)).toBe(2);
    const cancelled = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/cancel/`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      counts: { operations: 5, cancelled: 5, pending: 0 },
    });
    // Stages of 1 and 4 (the rest): the launch wrote the canary and one of stage 1, the plan held three.
    expect(cancelled.json().stages).toMatchObject([
      { stage: 0, size: 1, cancelled: 1 },
      { stage: 1, size: 4, cancelled: 4 },
    ]);
    // The plan is gone; what it held is counted on the batch.
    expect(await plannedChunks(id)).toBe(0);
    expect(await writePlannedOperations(h.db, id)).toBe(0);
    expect(await operationsOf(id)).toHaveLength(2);
    expect((await batch(id)).counts).toMatchObject({ operations: 5, cancelled: 5, decided: 5 });
    // Nothing pending holds the image any more.
    const deleteImage = await h.api.delete(`/api/v1/firmware/build/${f.buildId}/image/${f.imageId}/`);
    expect(deleteImage.statusCode, deleteImage.body).toBe(204);
  });
  it('keeps a cancelled plan cancelled when the failed operations are retried afterwards', async () => {
    const f = await fleet(5);
    const id = await launch(f.buildId, { rollout: { canary_count: 1 } });
    const [canary] = (await operationsOf(id)).filter((operation) => operation.stage === 0);
    await sql`UPDATE upgrade_operations SET status = 'failed', error_code = 'unreachable', finished_at = now()
      WHERE id = ${canary!.id}`.execute(h.db);
    const cancelled = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/cancel/`, {});
    expect(cancelled.json().counts).toMatchObject({ operations: 5, failed: 1, cancelled: 4 });
    const retried = await h.api.post(`/api/v1/firmware/batch-upgrade-operation/${id}/retry-failed/`, {});
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'in-progress' });
    // The retry runs the canary again; the three devices the cancel took out of the plan stay out.
    expect(await writePlannedOperations(h.db, id)).toBe(0);
    expect((await operationsOf(id)).filter((operation) => operation.status === 'pending')).toHaveLength(1);
    expect((await batch(id)).counts).toMatchObject({ operations: 5, pending: 1, failed: 0, cancelled: 4 });
  });
});

describe('with a worker', () => {
  it('runs a staged rollout whose later operations the controller writes, each device flashed once', async () => {
    await h.startWorker();
    const f = await fleet(7);
    const id = await launch(f.buildId, { rollout: { canary_count: 1, stage_sizes: [2], max_concurrent: 3 } });
    const deadline = Date.now() + 30_000;
    let end = await batch(id);
    while (!['success', 'failed', 'cancelled'].includes(end.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      end = await batch(id);
    }
    expect(end).toMatchObject({ status: 'success', counts: { operations: 7, success: 7 } });
    // Other tests' devices are in other categories: those skips alone.
    expect(Object.keys(end.skip_reasons)).toEqual(['not-in-category']);
    expect(await plannedChunks(id)).toBe(0);
    for (const router of f.routers) expect(router.flashCount).toBe(1);
    const operations = await operationsOf(id);
    const byStage = [0, 1, 2].map((stage) => operations.filter((operation) => operation.stage === stage));
    expect(byStage.map((ops) => ops.length)).toEqual([1, 2, 4]);
    for (let stage = 1; stage < 3; stage += 1) {
      const previousEnd = Math.max(...byStage[stage - 1]!.map((operation) => Date.parse(operation.finished_at)));
      for (const operation of byStage[stage]!)
        expect(Date.parse(operation.started_at)).toBeGreaterThanOrEqual(previousEnd);
    }
  });
});
