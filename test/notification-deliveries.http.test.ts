import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { verifyWebhookSignature } from '../src/modules/notifications/webhook-signature.js';
import { insertEvent } from '../src/platform/events.js';
import { createTestApp, readMetric, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';
import { until } from './helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

/**
 * Real webhook deliveries: batch events written the way the rollout controller writes them reach
 * a receiver on 127.0.0.1 with a valid signature; a failing receiver shows retries with backoff in
 * the delivery log. Email and the in-app list: notification-inbox.http.test.ts.
 */

let t: TestApp;
let work: BackgroundWork;
let receiver: WebhookReceiver;
let org: OrganizationRow;
let admin: ApiClient;

beforeAll(async () => {
  t = await createTestApp({
    FLEETFLASH_WEBHOOK_ALLOW_LOOPBACK: 'true',
    FLEETFLASH_NOTIFICATION_MAX_ATTEMPTS: '3',
    FLEETFLASH_NOTIFICATION_RETRY_BACKOFF: '0.3',
    FLEETFLASH_NOTIFICATION_RETRY_BACKOFF_MAX: '5',
    FLEETFLASH_WEBHOOK_TIMEOUT: '2',
    FLEETFLASH_PUBLIC_URL: 'https://fw.example.test',
  });
  work = await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: false, notifications: true });
  receiver = await startWebhookReceiver();
  org = await makeOrganization(t.db);
  admin = client(
    t.app,
    await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: org, role: 'admin' }] })),
  );
});
afterAll(async () => {
  await work?.stop();
  await receiver?.close();
  await t?.close();
});

async function createWebhook(events: string[]) {
  const answer = await admin.post('/api/v1/webhooks/', { url: receiver.url, events });
  expect(answer.statusCode, answer.body).toBe(201);
  return answer.json() as { id: string; secret: string };
}

/** A batch aggregate as the rollout controller publishes it (src/modules/upgrades/batch-controller.ts). */
async function publishBatch(batchId: string, status: string, failed = 0) {
  const data = {
    id: batchId,
    build_version: '23.05.3',
    status,
    pause_reason: status === 'paused' ? 'failure-threshold' : null,
    pause_detail: status === 'paused' ? `Paused: ${failed} of 4 decided devices failed.` : null,
    counts: { operations: 10, success: 3, failed, aborted: 0 },
  };
  await insertEvent(t.db, { type: 'batch', organizationId: org.id, batchId, data });
}

async function deliveriesOf(webhookId: string) {
  return (await admin.get(`/api/v1/webhooks/${webhookId}/deliveries/`)).json().results;
}

describe('webhook deliveries', () => {
  it('posts a paused batch once, signed, with the documented body and headers', async () => {
    const webhook = await createWebhook(['batch.paused']);
    const before = receiver.received.length;
    const batchId = randomUUID();
    await publishBatch(batchId, 'in-progress');
    await publishBatch(batchId, 'paused', 2);
    // The same pause published again (counts changed while paused) is not a new pause.
    await publishBatch(batchId, 'paused', 3);
    const [delivery] = (await receiver.waitFor(before + 1)).slice(before);
    const headers = delivery!.headers;
    expect(headers['x-fleetflash-event']).toBe('batch.paused');
    expect(headers['content-type']).toBe('application/json');
    expect(
      verifyWebhookSignature(
        webhook.secret,
        String(headers['x-fleetflash-timestamp']),
        delivery!.body,
        String(headers['x-fleetflash-signature']),
      ),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        'whsec_wrong',
        String(headers['x-fleetflash-timestamp']),
        delivery!.body,
        String(headers['x-fleetflash-signature']),
      ),
    ).toBe(false);
    // The signature is over the timestamp header's exact bytes, as docs/api.md's receiver checks it.
    const rawTimestamp = String(headers['x-fleetflash-timestamp']);
    const expected = createHmac('sha256', webhook.secret).update(`${rawTimestamp}.${delivery!.body}`).digest('hex');
    expect(headers['x-fleetflash-signature']).toBe(`sha256=${expected}`);
    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({
      event: 'batch.paused',
      organization: { id: org.id, slug: org.slug, name: org.name },
      title: 'Mass upgrade to 23.05.3 paused',
      detail: 'Paused: 2 of 4 decided devices failed.',
      url: `https://fw.example.test/batches/${batchId}`,
      data: { batch: { id: batchId, status: 'paused' } },
    });
    expect(Date.parse(body.occurred_at)).not.toBeNaN();
    const log = await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: headers['x-fleetflash-delivery'], status: 'delivered', attempts: 1 });
    expect(log[0].attempt_log).toMatchObject([
      { attempt: 1, status_code: 200, delivered: true, error: null, host: new URL(receiver.url).host },
    ]);

    // Resumed, then paused again: a new pause, a new delivery.
    await publishBatch(batchId, 'in-progress', 3);
    await publishBatch(batchId, 'paused', 4);
    await receiver.waitFor(before + 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.length).toBe(before + 2);
  });

  it('retries a failing receiver with growing waits, logging every attempt', async () => {
    const webhook = await createWebhook(['batch.failed']);
    const before = receiver.received.length;
    receiver.answerWith(500, 503);
    const batchId = randomUUID();
    await publishBatch(batchId, 'in-progress');
    await publishBatch(batchId, 'failed', 5);
    const tries = (await receiver.waitFor(before + 3)).slice(before);
    // The same delivery each time (one id), after 0.3 s and then 0.6 s (doubling backoff).
    expect(new Set(tries.map((request) => request.headers['x-fleetflash-delivery'])).size).toBe(1);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(250);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(550);
    const [row] = await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    expect(row.attempt_log.map((attempt: { status_code: number }) => attempt.status_code)).toEqual([500, 503, 200]);
    // Our words only: the receiver's answer ("receiver broke") is never kept.
    expect(row.attempt_log.map((attempt: { error: string | null }) => attempt.error)).toEqual([
      'HTTP 500 Internal Server Error',
      'HTTP 503 Service Unavailable',
      null,
    ]);
    expect(JSON.stringify(row)).not.toContain('receiver broke');
    expect(row.attempt_log[0].duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('gives a delivery up as failed after the last attempt', async () => {
    const webhook = await createWebhook(['batch.cancelled']);
    receiver.answerWith(500, 500, 500);
    const batchId = randomUUID();
    await publishBatch(batchId, 'in-progress');
    await publishBatch(batchId, 'cancelled');
    const [row] = await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows[0]?.status === 'failed',
    );
    expect(row).toMatchObject({ status: 'failed', attempts: 3, next_attempt_at: null, last_status_code: 500 });
    expect(row.attempt_log).toHaveLength(3);
    expect(await readMetric(t, 'fleetflash_notification_deliveries{channel="webhook",status="failed"}')).toBe(1);
    expect(await readMetric(t, 'fleetflash_notification_dispatch_lag_events')).toBe(0);
  });

  it('sends nothing to inactive webhooks or for events not subscribed, but a test goes out', async () => {
    // Subscribed to the event sent: only being inactive keeps it from being delivered.
    const webhook = await createWebhook(['batch.finished']);
    await admin.patch(`/api/v1/webhooks/${webhook.id}/`, { active: false });
    const other = await createWebhook(['build.failed']);
    const batchId = randomUUID();
    await publishBatch(batchId, 'in-progress');
    await publishBatch(batchId, 'success');
    const before = receiver.received.length;
    const test = (await admin.post(`/api/v1/webhooks/${webhook.id}/test/`)).json();
    const [request] = (await receiver.waitFor(before + 1)).slice(before);
    expect(request!.headers['x-fleetflash-event']).toBe('test');
    expect(request!.headers['x-fleetflash-delivery']).toBe(test.delivery);
    const log = await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(log.map((row: { event: string }) => row.event)).toEqual(['test']);
    expect(await deliveriesOf(other.id)).toEqual([]);
  });

  it('logs a delivery it cannot sign as failed attempts instead of stalling on it', async () => {
    const webhook = await createWebhook(['batch.paused']);
    // A secret sealed with another server key (FLEETFLASH_SECRET_KEY changed since).
    await t.db
      .updateTable('webhooks')
      .set({ secretSealed: 'v1.AAAA.AAAA.AAAA' })
      .where('id', '=', webhook.id)
      .execute();
    const before = receiver.received.length;
    await admin.post(`/api/v1/webhooks/${webhook.id}/test/`);
    const [row] = await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows[0]?.status === 'failed',
    );
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_status_code: null });
    expect(row.last_error).toMatch(/^not sent: /);
    expect(receiver.received.length).toBe(before);
  });

  it('ends the pending deliveries of a deactivated webhook as cancelled, without posting them', async () => {
    const webhook = await createWebhook(['batch.failed']);
    // The only active webhook (earlier tests' ones subscribe to batch.failed too; later tests send tests).
    await t.db.updateTable('webhooks').set({ active: false }).where('id', '<>', webhook.id).execute();
    const before = receiver.received.length;
    // Retried after 0.3 s: deactivated meanwhile, it is not posted again.
    receiver.answerWith(500);
    await publishBatch(randomUUID(), 'failed', 1);
    await receiver.waitFor(before + 1);
    await admin.patch(`/api/v1/webhooks/${webhook.id}/`, { active: false });
    const [row] = await until(
      () => deliveriesOf(webhook.id),
      (rows) => rows[0]?.status === 'cancelled',
    );
    expect(row).toMatchObject({ status: 'cancelled', attempts: 1, last_error: 'not sent: webhook deactivated' });
    expect(row.finished_at).not.toBeNull();
    expect(row.attempt_log).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.received.length).toBe(before + 1);
  });

  it('records the host each attempt went to, so a URL changed between retries shows', async () => {
    const second = await startWebhookReceiver('/other?token=abc');
    try {
      const webhook = await createWebhook(['batch.failed']);
      receiver.answerWith(500);
      const before = receiver.received.length;
      await admin.post(`/api/v1/webhooks/${webhook.id}/test/`);
      await receiver.waitFor(before + 1);
      await admin.patch(`/api/v1/webhooks/${webhook.id}/`, { url: second.url });
      await second.waitFor(1);
      const [row] = await until(
        () => deliveriesOf(webhook.id),
        (rows) => rows[0]?.status === 'delivered',
      );
      expect(row.attempt_log.map((attempt: { host: string }) => attempt.host)).toEqual([
        new URL(receiver.url).host,
        new URL(second.url).host,
      ]);
      expect(JSON.stringify(row.attempt_log)).not.toContain('token');
    } finally {
      await second.close();
    }
  });

  it('signs with the previous secret too for a while after a rotation, then with the new one only', async () => {
    const webhook = await createWebhook(['batch.paused']);
    const rotated = (await admin.post(`/api/v1/webhooks/${webhook.id}/rotate-secret/`)).json();
    const until24h = Date.parse(rotated.previous_secret_until) - Date.now();
    expect(until24h).toBeGreaterThan(23.9 * 3600_000);
    expect(until24h).toBeLessThanOrEqual(24 * 3600_000);
    const stored = await t.db.selectFrom('webhooks').selectAll().where('id', '=', webhook.id).executeTakeFirstOrThrow();
    expect(stored.secretPreviousSealed).not.toContain(webhook.secret);
    expect(t.secrets.open(stored.secretPreviousSealed!)).toBe(webhook.secret);

    /** The signature headers of a test delivery, and which of the secrets each one verifies with. */
    const verifies = async (secrets: string[]) => {
      const before = receiver.received.length;
      await admin.post(`/api/v1/webhooks/${webhook.id}/test/`);
      const [request] = (await receiver.waitFor(before + 1)).slice(before);
      const timestamp = String(request!.headers['x-fleetflash-timestamp']);
      const check = (header: string | string[] | undefined) =>
        header === undefined
          ? null
          : secrets.map((secret) => verifyWebhookSignature(secret, timestamp, request!.body, String(header)));
      return {
        current: check(request!.headers['x-fleetflash-signature']),
        previous: check(request!.headers['x-fleetflash-signature-previous']),
      };
    };
    // The signature header holds the new secret's signature alone (receivers comparing the whole
    // header keep working); the replaced secret's comes in a header of its own.
    expect(await verifies([rotated.secret, webhook.secret])).toEqual({
      current: [true, false],
      previous: [false, true],
    });

    // The overlap over (as if 24 hours had passed): the old secret no longer signs.
    await t.db
      .updateTable('webhooks')
      .set({ secretPreviousUntil: new Date(Date.now() - 1000) })
      .where('id', '=', webhook.id)
      .execute();
    expect(await verifies([rotated.secret, webhook.secret])).toEqual({ current: [true, false], previous: null });
    expect((await admin.get(`/api/v1/webhooks/${webhook.id}/`)).json().previous_secret_until).toBeNull();
  });
});
