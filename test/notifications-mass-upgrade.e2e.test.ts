import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { verifyWebhookSignature } from '../src/modules/notifications/webhook-signature.js';
import { createHarness, type Harness } from './helpers/upgrade-harness.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

/**
 * The whole path with nothing written by hand: a mass upgrade of simulated routers, two of which
 * report another board (the upgrader aborts them), pauses at its failure threshold; the receiver
 * gets one `batch.operations_failed` digest naming both aborted routers (not a notice each), then
 * one `batch.paused`, each correctly signed.
 */

let h: Harness;
let work: BackgroundWork;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await createHarness({ FLEETFLASH_ROLLOUT_CHECK_INTERVAL: '0.05', FLEETFLASH_WEBHOOK_ALLOW_LOOPBACK: 'true' });
  await h.startWorker();
  work = await startBackgroundWork(h.t.resources, {
    tasks: false,
    upgrades: false,
    builds: false,
    notifications: true,
  });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await work?.stop();
  await receiver?.close();
  await h?.close();
});

describe('notifications of a real mass upgrade', () => {
  it('posts the aborted upgrades (one digest) and the pause of a mass upgrade past its failure threshold', async () => {
    const created = await h.api.post('/api/v1/webhooks/', {
      organization: h.organizationId,
      url: receiver.url,
      events: ['batch.paused', 'operation.failed', 'batch.operations_failed', 'batch.finished'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { secret } = created.json();

    const old = await h.addImage({ os: null });
    const routers = [];
    for (let index = 0; index < 6; index += 1) {
      const added = await h.addRouter({ faults: index < 2 ? { boardMismatch: 'tplink,archer-c7-v5' } : {} });
      await h.markInstalled(added.deviceId, old.imageId);
      routers.push(added);
    }
    const target = await h.addImage();
    const launched = await h.api.post(`/api/v1/firmware/build/${target.buildId}/upgrade/`, {
      rollout: {
        canary_count: 4,
        stage_sizes: [2],
        failure_threshold_percent: 30,
        failure_threshold_min_decided: 4,
        success_gate_percent: 0,
      },
    });
    expect(launched.statusCode, launched.body).toBe(201);
    const batchId = launched.json().batch as string;

    const received = await receiver.waitFor(2, 60_000);
    const events = received.map((request) => ({
      event: request.headers['x-fleetflash-event'],
      body: JSON.parse(request.body),
      valid: verifyWebhookSignature(
        secret,
        String(request.headers['x-fleetflash-timestamp']),
        request.body,
        String(request.headers['x-fleetflash-signature']),
      ),
    }));
    expect(events.every((entry) => entry.valid)).toBe(true);
    expect(events.map((entry) => entry.event).sort()).toEqual(['batch.operations_failed', 'batch.paused']);
    const digest = events.find((entry) => entry.event === 'batch.operations_failed')!.body;
    expect(digest.data.batch.id).toBe(batchId);
    expect(digest.data.failures.count).toBe(2);
    expect(new Set(digest.data.failures.devices.map((device: { device: string }) => device.device))).toEqual(
      new Set(routers.slice(0, 2).map((router) => router.deviceId)),
    );
    expect(digest.data.failures.devices.every((device: { status: string }) => device.status === 'aborted')).toBe(true);
    // Told before the pause, in the order they happened.
    expect(Date.parse(digest.occurred_at)).toBeLessThanOrEqual(
      Date.parse(events.find((entry) => entry.event === 'batch.paused')!.body.occurred_at),
    );
    const paused = events.find((entry) => entry.event === 'batch.paused');
    expect(paused?.body).toMatchObject({
      data: { batch: { id: batchId, status: 'paused', pause_reason: 'failure-threshold' } },
    });
    expect(paused?.body.detail).toContain('2 of 4');
    // Nothing else: no notice per aborted router, and the paused batch publishes more aggregates, but it paused once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.received).toHaveLength(2);
  });
});
