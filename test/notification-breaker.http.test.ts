import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';
import { until } from './helpers/wait.js';

/**
 * One bad receiver cannot flood or stall the deliveries of others: at most two deliveries of a
 * webhook are in flight while another organization's webhook is served; a receiver that keeps
 * failing opens its webhook's circuit (no attempts during the cool-down, one after it, doubling
 * cool-downs), and a success closes it. Receivers here run on 127.0.0.1 and can hold answers back.
 */

interface Receiver {
  url: string;
  /** Arrival times of the requests. */
  arrivals: number[];
  /** Requests whose answer is being held back now, and the most ever held at once. */
  held(): number;
  mostHeld: number;
  /** `hold`: keep every answer back until the mode changes; a number: answer with that status. */
  setMode(mode: 'hold' | number): void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  let mode: 'hold' | number = 200;
  const waiting: http.ServerResponse[] = [];
  const answer = (response: http.ServerResponse, status: number) =>
    // A reason phrase and a body no operator should see in the delivery log.
    response.writeHead(status, 'Secret Reason Phrase', { 'content-type': 'text/plain' }).end('secret answer body');
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      receiver.arrivals.push(Date.now());
      if (mode === 'hold') {
        waiting.push(response);
        receiver.mostHeld = Math.max(receiver.mostHeld, waiting.length);
      } else answer(response, mode);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=receiver-token`,
    arrivals: [],
    held: () => waiting.length,
    mostHeld: 0,
    setMode(next) {
      mode = next;
      if (next !== 'hold') for (const response of waiting.splice(0)) answer(response, next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

let t: TestApp;
let work: BackgroundWork;
const receivers: Receiver[] = [];
const logLines: { msg?: string; webhook?: string }[] = [];

beforeAll(async () => {
  const logStream = new PassThrough();
  let partial = '';
  logStream.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line) logLines.push(JSON.parse(line));
  });
  t = await createTestApp(
    {
      LOG_LEVEL: 'warn',
      FLEETFLASH_WEBHOOK_ALLOW_LOOPBACK: 'true',
      FLEETFLASH_NOTIFICATION_MAX_ATTEMPTS: '50',
      FLEETFLASH_NOTIFICATION_RETRY_BACKOFF: '0.05',
      FLEETFLASH_NOTIFICATION_RETRY_BACKOFF_MAX: '0.1',
      FLEETFLASH_WEBHOOK_TIMEOUT: '20',
      FLEETFLASH_WEBHOOK_CIRCUIT_THRESHOLD: '3',
      FLEETFLASH_WEBHOOK_CIRCUIT_COOLDOWN: '1',
      FLEETFLASH_WEBHOOK_CIRCUIT_COOLDOWN_MAX: '10',
    },
    { logStream },
  );
  work = await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: false, notifications: true });
});
afterAll(async () => {
  for (const receiver of receivers) receiver.setMode(200);
  await work?.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await t?.close();
});

/** An admin of a new organization with a webhook to a new receiver. */
async function webhookOfNewOrganization(): Promise<{ admin: ApiClient; id: string; receiver: Receiver }> {
  const organization = await makeOrganization(t.db);
  const user = await makeUser(t.db, { memberships: [{ organization, role: 'admin' }] });
  const admin = client(t.app, await makeToken(t.db, user));
  const receiver = await startReceiver();
  receivers.push(receiver);
  const created = await admin.post('/api/v1/webhooks/', { url: receiver.url, events: ['batch.failed'] });
  expect(created.statusCode, created.body).toBe(201);
  return { admin, id: created.json().id, receiver };
}

async function sendTests(admin: ApiClient, id: string, count: number) {
  for (let i = 0; i < count; i++) expect((await admin.post(`/api/v1/webhooks/${id}/test/`)).statusCode).toBe(202);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('delivery fairness', () => {
  it("keeps two deliveries of a stalled receiver in flight and still serves another organization's", async () => {
    const slow = await webhookOfNewOrganization();
    slow.receiver.setMode('hold');
    // More than one process's delivery slots (8): without a bound per webhook they would all wait on it.
    await sendTests(slow.admin, slow.id, 10);
    await until(
      async () => slow.receiver.held(),
      (held) => held >= 2,
    );
    const other = await webhookOfNewOrganization();
    await sendTests(other.admin, other.id, 1);
    const [delivered] = await until(
      async () => (await other.admin.get(`/api/v1/webhooks/${other.id}/deliveries/`)).json().results,
      (rows) => rows[0]?.status === 'delivered',
      5_000,
    );
    expect(delivered.attempts).toBe(1);
    expect(slow.receiver.held()).toBe(2);
    expect(slow.receiver.mostHeld).toBe(2);

    slow.receiver.setMode(200);
    const rows = await until(
      async () => (await slow.admin.get(`/api/v1/webhooks/${slow.id}/deliveries/`)).json().results,
      (list) => list.length === 10 && list.every((row: { status: string }) => row.status === 'delivered'),
    );
    expect(rows.map((row: { attempts: number }) => row.attempts)).toEqual(Array(10).fill(1));
    expect(slow.receiver.mostHeld).toBe(2);
  });
});

describe('circuit breaker', () => {
  it('stops trying a failing receiver for a doubling cool-down, tries one after it, closes on success', async () => {
    const { admin, id, receiver } = await webhookOfNewOrganization();
    const webhookOf = async () => (await admin.get(`/api/v1/webhooks/${id}/`)).json();
    expect((await webhookOf()).circuit).toEqual({ state: 'closed', until: null, consecutive_failures: 0 });
    receiver.setMode(500);
    await sendTests(admin, id, 4);
    const opened = await until(webhookOf, (webhook) => webhook.circuit.state === 'open');
    expect(opened.circuit.consecutive_failures).toBeGreaterThanOrEqual(3);
    const firstUntil = Date.parse(opened.circuit.until);

    // Open: nothing is tried, and the waiting deliveries keep their attempts.
    await pause(200);
    const tried = receiver.arrivals.length;
    expect(tried).toBeGreaterThanOrEqual(3);
    expect(tried).toBeLessThan(6);
    await pause(Math.max(0, firstUntil - Date.now() - 150));
    expect(receiver.arrivals.length).toBe(tried);
    const logOf = async () => (await admin.get(`/api/v1/webhooks/${id}/deliveries/`)).json().results;
    const waiting = await logOf();
    expect(waiting.every((row: { status: string }) => row.status === 'pending')).toBe(true);
    expect(waiting.reduce((sum: number, row: { attempts: number }) => sum + row.attempts, 0)).toBe(tried);

    // Half-open: one attempt; it fails, and the circuit opens again for twice as long (2 s).
    await until(
      async () => receiver.arrivals.length,
      (count) => count > tried,
    );
    const probeAt = receiver.arrivals[tried]!;
    expect(probeAt).toBeGreaterThanOrEqual(firstUntil - 50);
    const reopened = await until(webhookOf, (webhook) => Date.parse(webhook.circuit.until) > firstUntil);
    expect(reopened.circuit.state).toBe('open');
    expect(Date.parse(reopened.circuit.until) - probeAt).toBeGreaterThan(1700);
    expect(Date.parse(reopened.circuit.until) - probeAt).toBeLessThan(2500);
    await pause(500);
    expect(receiver.arrivals.length).toBe(tried + 1);

    // The receiver is back: the next half-open attempt succeeds, the circuit closes, the rest follow.
    receiver.setMode(200);
    const rows = await until(logOf, (list) => list.every((row: { status: string }) => row.status === 'delivered'));
    expect((await webhookOf()).circuit).toEqual({ state: 'closed', until: null, consecutive_failures: 0 });
    expect(receiver.arrivals.length).toBe(tried + 1 + 4);
    const errors = rows.flatMap((row: { attempt_log: { error: string | null }[] }) =>
      row.attempt_log.map((attempt) => attempt.error),
    );
    expect(new Set(errors)).toEqual(new Set(['HTTP 500 Internal Server Error', null]));
    expect(JSON.stringify(rows)).not.toMatch(/secret/i);

    // One audit entry per opening, by the delivery worker: not one per failed attempt.
    const entries = await t.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'webhook.circuit_opened')
      .where('targetId', '=', id)
      .orderBy('id')
      .execute();
    expect(entries.map((entry) => [entry.actorType, entry.actorName])).toEqual([
      ['system', 'notification-delivery-worker'],
      ['system', 'notification-delivery-worker'],
    ]);
    expect(entries[0]!.details).toMatchObject({ last_error: 'HTTP 500 Internal Server Error' });
    // The URL redacted to scheme and host, as in every webhook audit entry: its path can be a credential.
    for (const entry of entries) {
      expect(entry.targetLabel).toBe(`${new URL(receiver.url).origin}/…`);
      expect(JSON.stringify(entry)).not.toMatch(/\/hook|receiver-token/);
    }
    // And one warning in the log per opening.
    const warnings = logLines.filter((line) => line.webhook === id && line.msg?.startsWith('webhook circuit opened'));
    expect(warnings).toHaveLength(2);
  });
});

describe('circuit reset', () => {
  it('closes the circuit when the URL changes or the webhook is switched off and on, not on other edits', async () => {
    const { admin, id, receiver } = await webhookOfNewOrganization();
    const circuitOf = async () => (await admin.get(`/api/v1/webhooks/${id}/`)).json().circuit;
    const openForAnHour = () =>
      t.db
        .updateTable('webhooks')
        .set({ circuitFailures: 7, circuitOpenings: 3, circuitOpenUntil: new Date(Date.now() + 3600_000) })
        .where('id', '=', id)
        .execute();
    const closed = { state: 'closed', until: null, consecutive_failures: 0 };

    await openForAnHour();
    expect((await admin.patch(`/api/v1/webhooks/${id}/`, { description: 'renamed' })).statusCode).toBe(200);
    expect((await circuitOf()).state).toBe('open');
    // The same URL sent again is no change.
    expect((await admin.patch(`/api/v1/webhooks/${id}/`, { url: receiver.url })).statusCode).toBe(200);
    expect((await circuitOf()).state).toBe('open');

    const fixed = await startReceiver();
    receivers.push(fixed);
    expect((await admin.patch(`/api/v1/webhooks/${id}/`, { url: fixed.url })).statusCode).toBe(200);
    expect(await circuitOf()).toEqual(closed);
    const stored = await t.db
      .selectFrom('webhooks')
      .select(['circuitOpenings'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.circuitOpenings).toBe(0);

    await openForAnHour();
    expect((await admin.patch(`/api/v1/webhooks/${id}/`, { active: false })).statusCode).toBe(200);
    expect(await circuitOf()).toEqual(closed);
    await openForAnHour();
    expect((await admin.patch(`/api/v1/webhooks/${id}/`, { active: true })).statusCode).toBe(200);
    expect(await circuitOf()).toEqual(closed);
    // Deliveries go out at once, not after the hour.
    await sendTests(admin, id, 1);
    await until(
      async () => fixed.arrivals.length,
      (count) => count === 1,
      5_000,
    );
  });

  it('does not count attempts our own address rule refused (the receiver never contacted)', async () => {
    const { admin, id } = await webhookOfNewOrganization();
    // Saved before the rule would refuse it (written directly): every attempt is refused, unsent.
    await t.db.updateTable('webhooks').set({ url: 'http://10.0.0.1/hook' }).where('id', '=', id).execute();
    await sendTests(admin, id, 2);
    const rows = await until(
      async () => (await admin.get(`/api/v1/webhooks/${id}/deliveries/`)).json().results,
      (list) => list.reduce((sum: number, row: { attempts: number }) => sum + row.attempts, 0) >= 6,
    );
    expect(rows[0].attempt_log[0].error).toMatch(/^not sent: /);
    // Twice the threshold (3) refused, and the circuit has counted none of them.
    expect((await admin.get(`/api/v1/webhooks/${id}/`)).json().circuit).toEqual({
      state: 'closed',
      until: null,
      consecutive_failures: 0,
    });
  });
});

describe('receiver answers', () => {
  it('keeps only the status of an endless answer, and does not wait for its end', async () => {
    const { admin, id } = await webhookOfNewOrganization();
    const endless = http.createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const more = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/hook`;
      expect((await admin.patch(`/api/v1/webhooks/${id}/`, { url })).statusCode).toBe(200);
      await sendTests(admin, id, 1);
      const [row] = await until(
        async () => (await admin.get(`/api/v1/webhooks/${id}/deliveries/`)).json().results,
        (rows) => rows[0]?.attempt_log.length > 0,
        5_000,
      );
      // Well within the 20 s timeout: the answer was dropped after its first 64 KiB.
      expect(row.attempt_log[0]).toMatchObject({ status_code: 500, error: 'HTTP 500 Internal Server Error' });
      expect(row.attempt_log[0].duration_ms).toBeLessThan(5_000);
    } finally {
      endless.closeAllConnections();
      await new Promise((resolve) => endless.close(resolve));
    }
  });
});
