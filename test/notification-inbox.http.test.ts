import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import { insertNotification, insertUserNotifications } from '../src/modules/notifications/notification.repository.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';
import { until } from './helpers/wait.js';

/**
 * A failed upgrade, written the way fleetflash writes it (the operations table's trigger makes the
 * event), reaches an SMTP server (smtp-server, a real one in this process on 127.0.0.1) for the users
 * who chose the event, and every member's in-app list, where it is marked read.
 */

interface Mail {
  to: string[];
  text: string;
}

let t: TestApp;
let work: BackgroundWork;
let smtp: SMTPServer;
const mails: Mail[] = [];
let org: OrganizationRow;
let admin: ApiClient;
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
  t = await createTestApp({
    FLEETFLASH_SMTP_HOST: '127.0.0.1',
    FLEETFLASH_SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
    FLEETFLASH_SMTP_TLS: 'none',
    FLEETFLASH_EMAIL_FROM: 'fleetflash <fleetflash@example.test>',
    FLEETFLASH_PUBLIC_URL: 'https://fw.example.test',
    // A membership taken away counts at the next request (no remembered credential).
    FLEETFLASH_AUTH_CACHE_TTL: '0',
  });
  work = await startBackgroundWork(t.resources, { tasks: false, upgrades: false, builds: false, notifications: true });
  org = await makeOrganization(t.db);
  const member = async (email: string, role: 'admin' | 'operator') =>
    client(t.app, await makeToken(t.db, await makeUser(t.db, { email, memberships: [{ organization: org, role }] })));
  admin = await member('admin@example.test', 'admin');
  operator = await member('operator@example.test', 'operator');
});
afterAll(async () => {
  await work?.stop();
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
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

describe('the inbox follows membership', () => {
  async function notify(organization: OrganizationRow): Promise<string> {
    const notification = await insertNotification(t.db, {
      event: 'batch.failed',
      organizationId: organization.id,
      sourceEventId: null,
      dedupeKey: null,
      title: `Mass upgrade of ${organization.slug} failed`,
      detail: '',
      link: null,
      data: {},
      occurredAt: new Date(),
    });
    await insertUserNotifications(t.db, notification!);
    return notification!.id;
  }

  it('hides notices of an organization the user has left (list, counts, marking), superusers see all', async () => {
    const left = await makeOrganization(t.db);
    const user = await makeUser(t.db, {
      memberships: [
        { organization: org, role: 'operator' },
        { organization: left, role: 'operator' },
      ],
    });
    const api = client(t.app, await makeToken(t.db, user));
    const superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
    const kept = await notify(org);
    const gone = await notify(left);
    const ids = async (who: ApiClient) =>
      (await who.get('/api/v1/notifications/?page_size=100')).json().results.map((row: { id: string }) => row.id);
    expect(await ids(api)).toEqual(expect.arrayContaining([kept, gone]));
    expect((await api.get('/api/v1/notifications/')).json()).toMatchObject({ count: 2, unread: 2 });

    await t.db.deleteFrom('memberships').where('userId', '=', user.id).where('organizationId', '=', left.id).execute();
    const seen = await ids(api);
    expect(seen).toContain(kept);
    expect(seen).not.toContain(gone);
    expect((await api.get('/api/v1/notifications/')).json()).toMatchObject({ count: 1, unread: 1 });
    expect((await api.get('/api/v1/notifications/?unread=true')).json().count).toBe(1);
    const marked = await api.post(`/api/v1/notifications/${gone}/read/`);
    expect(marked.statusCode).toBe(404);
    expect((await api.post('/api/v1/notifications/read-all/')).json()).toEqual({ marked: 1, unread: 0 });
    // The hidden one was not marked either: back in the organization, it is unread.
    await t.db
      .insertInto('memberships')
      .values({ organizationId: left.id, userId: user.id, role: 'operator' })
      .execute();
    expect((await api.get('/api/v1/notifications/')).json()).toMatchObject({ count: 2, unread: 1 });

    expect(await ids(superuser)).toEqual(expect.arrayContaining([kept, gone]));
  });
});

async function outsiderMarks(id: string) {
  const elsewhere = await makeOrganization(t.db);
  const outsider = await makeUser(t.db, { memberships: [{ organization: elsewhere, role: 'admin' }] });
  return client(t.app, await makeToken(t.db, outsider)).post(`/api/v1/notifications/${id}/read/`);
}
