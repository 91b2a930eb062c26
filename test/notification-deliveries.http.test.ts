import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import type { OrganizationRow, UserRow } from '../src/modules/accounts/accounts.table.js';
import { verifyWebhookSignature } from '../src/modules/notifications/webhook-signature.js';
import { insertEvent } from '../src/platform/events.js';
import { createTestApp, readMetric, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

/**
 * Real deliveries: events written the way fleetflash writes them (the rollout controller's batch
 * events, the operations table's trigger) reach a webhook receiver on 127.0.0.1 with a valid
 * signature, an SMTP server (smtp-server, in process) for users who opted in, and the in-app list.
 */

interface Mail {
  to: string[];
  text: string;
}

let t: TestApp;
let work: BackgroundWork;
let receiver: WebhookReceiver;
let smtp: SMTPServer;
const mails: Mail[] = [];
let org: OrganizationRow;
let admin: ApiClient;
let adminUser: UserRow;
let operatorUser: UserRow;
let operator: ApiClient;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          // The body is quoted-printable: join its soft line breaks (the text is ASCII).
          text: Buffer.concat(chunks).toString('utf8').replace(/=\r\n/g, ''),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  t = await createTestApp({
    FLEETFLASH_WEBHOOK_ALLOW_LOOPBACK: 'true',
    FLEETFLASH_NOTIFICATION_MAX_ATTEMPTS: '3',
    FLEETFLASH_NOTIFICATION_RETRY_BACKOFF: '0.3',
    FLEETFLASH_NOTIFICATION_RETRY_BACKOFF_MAX: '5',
    FLEETFLASH_WEBHOOK_TIMEOUT: '2',
    FLEETFLASH_SMTP_HOST: '127.0.0.1',
    FLEETFLASH_SMTP_PORT: String(smtpPort),
    FLEETFLASH_SMTP_TLS: 'none',
    FLEETFLASH_EMAIL_FROM: 'fleetflash <fleetflash@example.test>',
    FLEETFLASH_PUBLIC_URL: 'https://fw.example.test',
  });
  work = await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: false, notifications: true });
  receiver = await startWebhookReceiver();
  org = await makeOrganization(t.db);
  adminUser = await makeUser(t.db, {
    email: 'admin@example.test',
    memberships: [{ organization: org, role: 'admin' }],
  });
  operatorUser = await makeUser(t.db, {
    email: 'operator@example.test',
    memberships: [{ organization: org, role: 'operator' }],
  });
  admin = client(t.app, await makeToken(t.db, adminUser));
  operator = client(t.app, await makeToken(t.db, operatorUser));
});
afterAll(async () => {
  await work?.stop();
  await receiver?.close();
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
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

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
    expect(log[0].attempt_log).toMatchObject([{ attempt: 1, status_code: 200, delivered: true, error: null }]);

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
    expect(row.attempt_log[0].error).toContain('HTTP 500');
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
    const webhook = await createWebhook(['build.failed']);
    await admin.patch(`/api/v1/webhooks/${webhook.id}/`, { active: false });
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
  });
});

describe('operation failures, email and the in-app bell', () => {
  async function failOperation(): Promise<string> {
    const device = await t.db
      .insertInto('devices')
      .values({
        organizationId: org.id,
        name: `berlin-${randomBytes(2).toString('hex')}`,
        macAddress: `02:${randomBytes(5).toString('hex').match(/../g)!.join(':')}`,
        boardName: 'tplink,archer-c7-v2',
        model: 'TP-Link Archer C7 v2',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const operation = await t.db
      .insertInto('upgradeOperations')
      .values({ deviceId: device.id, imageId: null, imageSha256: 'a'.repeat(64), status: 'in-progress' })
      .returningAll()
      .executeTakeFirstOrThrow();
    // As the operation runner ends it: the table's trigger writes the event.
    await t.db
      .updateTable('upgradeOperations')
      .set({ status: 'failed', errorCode: 'unreachable', finishedAt: new Date(), progress: 100 })
      .where('id', '=', operation.id)
      .execute();
    return operation.id;
  }

  it('emails only the users who chose the event, and tells every member in the app', async () => {
    const chosen = await admin.put('/api/v1/notifications/email-preferences/', {
      subscriptions: [{ organization: org.id, events: ['operation.failed'] }],
    });
    expect(chosen.json()).toMatchObject({ email_available: true, email: 'admin@example.test' });
    // The operator chose another event only.
    await operator.put('/api/v1/notifications/email-preferences/', {
      subscriptions: [{ organization: null, events: ['batch.failed'] }],
    });
    const mailsBefore = mails.length;
    const operationId = await failOperation();

    const mail = await until(
      async () => mails.slice(mailsBefore).find((candidate) => candidate.text.includes(operationId)),
      (found) => found !== undefined,
    );
    expect(mail?.to).toEqual(['admin@example.test']);
    expect(mail?.text).toContain('Subject: [fleetflash] Upgrade of berlin-');
    expect(mail?.text).toContain(`https://fw.example.test/operations/${operationId}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mails.slice(mailsBefore).filter((candidate) => candidate.to.includes('operator@example.test'))).toEqual([]);

    // Events are dispatched in order: once this one is told, every earlier one is too (the count holds still).
    const list = await until(
      async () => (await operator.get('/api/v1/notifications/')).json(),
      (answer) => answer.results.some((row: { link: string }) => row.link === `/operations/${operationId}`),
    );
    const item = list.results.find((row: { link: string }) => row.link === `/operations/${operationId}`);
    expect(item).toMatchObject({ event: 'operation.failed', organization: org.id, read_at: null });
    expect(item.title).toMatch(/^Upgrade of berlin-\w+ failed$/);
    expect(item.detail).toBe('Error code: unreachable.');

    expect((await operator.post(`/api/v1/notifications/${item.id}/read/`)).statusCode).toBe(204);
    const after = (await operator.get('/api/v1/notifications/?unread=true')).json();
    expect(after.unread).toBe(list.unread - 1);
    expect(after.results.map((row: { id: string }) => row.id)).not.toContain(item.id);
    // Another user's notification is not the operator's to mark.
    const adminItem = (await admin.get('/api/v1/notifications/')).json().results[0];
    expect((await outsiderMarks(adminItem.id)).statusCode).toBe(404);

    const all = await operator.post('/api/v1/notifications/read-all/');
    expect(all.json()).toEqual({ marked: after.unread, unread: 0 });
  });
});

async function outsiderMarks(id: string) {
  const elsewhere = await makeOrganization(t.db);
  const outsider = await makeUser(t.db, { memberships: [{ organization: elsewhere, role: 'admin' }] });
  return client(t.app, await makeToken(t.db, outsider)).post(`/api/v1/notifications/${id}/read/`);
}
