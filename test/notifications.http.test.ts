import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeOrganization, makeToken, makeUser } from './helpers/factories.js';
import { client, type ApiClient } from './helpers/http.js';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';

/**
 * Webhooks (CRUD, validation, isolation, the secret shown once) and the caller's own notification
 * settings, through the HTTP API. Deliveries themselves: notification-deliveries.http.test.ts.
 */

let t: TestApp;
let own: OrganizationRow;
let foreign: OrganizationRow;
let admin: ApiClient;
let operator: ApiClient;
let outsider: ApiClient;
let superuser: ApiClient;

beforeAll(async () => {
  // Loopback and private receivers refused (the default), but for one private network the test allows.
  t = await createTestApp({ FLEETFLASH_WEBHOOK_ALLOWED_INTERNAL_NETWORKS: '10.1.0.0/16' });
  own = await makeOrganization(t.db);
  foreign = await makeOrganization(t.db);
  const as = async (organization: OrganizationRow, role: 'admin' | 'operator') =>
    client(t.app, await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization, role }] })));
  admin = await as(own, 'admin');
  operator = await as(own, 'operator');
  outsider = await as(foreign, 'admin');
  superuser = client(t.app, await makeToken(t.db, await makeUser(t.db, { isSuperuser: true })));
});
afterAll(async () => {
  await t.close();
});

const hook = (overrides: Record<string, unknown> = {}) => ({
  url: 'https://10.1.2.3/hooks/fleetflash',
  events: ['batch.paused', 'operation.failed'],
  description: 'ops chat',
  ...overrides,
});

describe('webhooks', () => {
  it('creates a webhook for the only organization an admin administers, showing the secret once', async () => {
    const created = await admin.post('/api/v1/webhooks/', hook());
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ organization: own.id, url: 'https://10.1.2.3/hooks/fleetflash', active: true });
    expect(body.events).toEqual(['batch.paused', 'operation.failed']);
    expect(body.secret).toMatch(/^whsec_[\w-]{40,}$/);

    const read = await admin.get(`/api/v1/webhooks/${body.id}/`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('secret');
    expect(JSON.stringify((await admin.get('/api/v1/webhooks/')).json())).not.toContain(body.secret);
    // Stored sealed, not in clear.
    const row = await t.db.selectFrom('webhooks').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.secretSealed).not.toContain(body.secret);
    expect(t.secrets.open(row.secretSealed)).toBe(body.secret);
  });

  it('changes, rotates and deletes a webhook', async () => {
    const { id, secret } = (await admin.post('/api/v1/webhooks/', hook())).json();
    const changed = await admin.patch(`/api/v1/webhooks/${id}/`, { active: false, events: ['build.failed'] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ active: false, events: ['build.failed'] });

    const rotated = await admin.post(`/api/v1/webhooks/${id}/rotate-secret/`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(secret);

    expect((await admin.delete(`/api/v1/webhooks/${id}/`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/webhooks/${id}/`)).json().code).toBe('WebhookNotFound');
  });

  it('refuses URLs it may not post to, and unknown or missing events', async () => {
    const cases: [string, string][] = [
      ['ftp://example.com/x', 'only http:// and https://'],
      ['not a url', 'not a URL'],
      ['https://user:pw@example.com/', 'user name or password'],
      ['http://127.0.0.1:9000/', 'webhooks.allow_loopback'],
      ['http://localhost/', 'webhooks.allow_loopback'],
      ['http://169.254.169.254/latest/meta-data', 'webhooks.denied_networks'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://192.168.1.10/', 'webhooks.allowed_internal_networks'],
      ['http://10.2.0.1/', 'webhooks.allowed_internal_networks'],
      ['http://100.64.1.1/', 'webhooks.allowed_internal_networks'],
      ['http://[fd00::1]/', 'webhooks.allowed_internal_networks'],
      ['http://[64:ff9b::c0a8:10a]/', '192.168.0.0/16'],
    ];
    for (const [url, reason] of cases) {
      const answer = await admin.post('/api/v1/webhooks/', hook({ url }));
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json().code, url).toBe('WebhookUrlNotAllowed');
      expect(answer.json().fields.url, url).toContain(reason);
    }
    const unknown = await admin.post('/api/v1/webhooks/', hook({ events: ['batch.exploded'] }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('ValidationFailed');
    const none = await admin.post('/api/v1/webhooks/', hook({ events: [] }));
    expect(none.statusCode).toBe(400);
    expect(none.json().fields).toHaveProperty(['events']);
  });

  it('lets operators read but not write, and hides other organizations’ webhooks (404)', async () => {
    const { id } = (await admin.post('/api/v1/webhooks/', hook())).json();
    expect((await operator.get(`/api/v1/webhooks/${id}/`)).statusCode).toBe(200);
    expect((await operator.get(`/api/v1/webhooks/${id}/deliveries/`)).statusCode).toBe(200);
    expect((await operator.post('/api/v1/webhooks/', hook({ organization: own.id }))).statusCode).toBe(403);
    expect((await operator.patch(`/api/v1/webhooks/${id}/`, { active: false })).statusCode).toBe(403);
    expect((await operator.post(`/api/v1/webhooks/${id}/test/`)).statusCode).toBe(403);
    expect((await operator.post(`/api/v1/webhooks/${id}/rotate-secret/`)).statusCode).toBe(403);
    expect((await operator.delete(`/api/v1/webhooks/${id}/`)).statusCode).toBe(403);

    for (const call of [
      outsider.get(`/api/v1/webhooks/${id}/`),
      outsider.patch(`/api/v1/webhooks/${id}/`, { active: false }),
      outsider.delete(`/api/v1/webhooks/${id}/`),
      outsider.post(`/api/v1/webhooks/${id}/test/`),
      outsider.get(`/api/v1/webhooks/${id}/deliveries/`),
    ]) {
      const answer = await call;
      expect(answer.statusCode).toBe(404);
      expect(answer.json().code).toBe('WebhookNotFound');
    }
    const listed = (await outsider.get('/api/v1/webhooks/')).json();
    expect(listed.results.map((row: { id: string }) => row.id)).not.toContain(id);
    expect((await outsider.post('/api/v1/webhooks/', hook({ organization: own.id }))).json().code).toBe(
      'InvalidReference',
    );

    expect((await superuser.get(`/api/v1/webhooks/${id}/`)).statusCode).toBe(200);
    const foreignHook = await superuser.post('/api/v1/webhooks/', hook({ organization: foreign.id }));
    expect(foreignHook.statusCode).toBe(201);
    const filtered = (await superuser.get(`/api/v1/webhooks/?organization=${foreign.slug}`)).json();
    expect(filtered.results.map((row: { id: string }) => row.id)).toEqual([foreignHook.json().id]);
  });

  it('shows operators the URL redacted to scheme and host (webhook, list, delivery log), admins in full', async () => {
    const url = 'https://10.1.2.3:8443/services/T0KEN-PATH/hook?key=query-secret';
    const { id } = (await admin.post('/api/v1/webhooks/', hook({ url }))).json();
    await admin.post(`/api/v1/webhooks/${id}/test/`);
    const redacted = 'https://10.1.2.3:8443/…';
    expect((await operator.get(`/api/v1/webhooks/${id}/`)).json().url).toBe(redacted);
    const listed = (await operator.get('/api/v1/webhooks/?page_size=100')).json().results;
    expect(listed.find((row: { id: string }) => row.id === id).url).toBe(redacted);
    expect((await operator.get(`/api/v1/webhooks/${id}/deliveries/`)).json().results[0].target).toBe(redacted);
    const operatorView = JSON.stringify([
      (await operator.get('/api/v1/webhooks/?page_size=100')).json(),
      (await operator.get(`/api/v1/webhooks/${id}/deliveries/`)).json(),
    ]);
    expect(operatorView).not.toContain('T0KEN-PATH');
    expect(operatorView).not.toContain('query-secret');

    expect((await admin.get(`/api/v1/webhooks/${id}/`)).json().url).toBe(url);
    expect((await admin.get(`/api/v1/webhooks/${id}/deliveries/`)).json().results[0].target).toBe(url);
    expect((await superuser.get(`/api/v1/webhooks/${id}/`)).json().url).toBe(url);
  });

  it('queues a test delivery that shows in the delivery log as pending', async () => {
    const { id, url } = (await admin.post('/api/v1/webhooks/', hook())).json();
    const test = await admin.post(`/api/v1/webhooks/${id}/test/`);
    expect(test.statusCode).toBe(202);
    const log = (await admin.get(`/api/v1/webhooks/${id}/deliveries/`)).json();
    expect(log.count).toBe(1);
    expect(log.results[0]).toMatchObject({
      id: test.json().delivery,
      event: 'test',
      channel: 'webhook',
      target: url,
      status: 'pending',
      attempts: 0,
      attempt_log: [],
    });
  });
});

describe('the audit log of notification settings', () => {
  it('records each webhook change in its organization, without the secret, none for a change to nothing', async () => {
    const created = (await admin.post('/api/v1/webhooks/', hook())).json();
    const { id, secret } = created;
    await admin.patch(`/api/v1/webhooks/${id}/`, { active: false });
    await admin.patch(`/api/v1/webhooks/${id}/`, { active: false }); // the same again: nothing changes
    const rotated = (await admin.post(`/api/v1/webhooks/${id}/rotate-secret/`)).json().secret;
    await admin.post(`/api/v1/webhooks/${id}/test/`);
    await admin.delete(`/api/v1/webhooks/${id}/`);

    const log = await admin.get(`/api/v1/audit-log/?target_id=${id}&page_size=50`);
    expect(log.statusCode).toBe(200);
    const entries = log.json().results;
    expect(entries.map((entry: { action: string }) => entry.action).reverse()).toEqual([
      'webhook.created',
      'webhook.updated',
      'webhook.secret_rotated',
      'webhook.tested',
      'webhook.deleted',
    ]);
    for (const entry of entries) expect(entry).toMatchObject({ organization: own.id, target_type: 'webhook' });
    expect(entries[3].details).toEqual({ active: { from: true, to: false } });
    const text = JSON.stringify(entries);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(rotated);
    // Refused (an operator may not write): no entry.
    await operator.patch(`/api/v1/webhooks/${created.id}/`, { active: true });
    expect((await admin.get(`/api/v1/audit-log/?target_id=${id}`)).json().count).toBe(5);
  });

  it('keeps the URL redacted in the audit log, also telling a change of its secret part', async () => {
    const url = 'https://10.1.2.3/services/T0KEN-ONE';
    const { id } = (await admin.post('/api/v1/webhooks/', hook({ url }))).json();
    await admin.patch(`/api/v1/webhooks/${id}/`, { url: 'https://10.1.2.3/services/T0KEN-TWO' });
    const entries = (await admin.get(`/api/v1/audit-log/?target_id=${id}`)).json().results;
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['webhook.updated', 'webhook.created']);
    for (const entry of entries) expect(entry.target_label).toBe('https://10.1.2.3/…');
    expect(entries[1].details.url).toBe('https://10.1.2.3/…');
    expect(entries[0].details).toEqual({ url: { from: 'https://10.1.2.3/…', to: 'https://10.1.2.3/…' } });
    expect(JSON.stringify(entries)).not.toContain('T0KEN');
  });

  it("records a user's email choices as their own global change", async () => {
    const member = client(
      t.app,
      await makeToken(t.db, await makeUser(t.db, { memberships: [{ organization: own, role: 'operator' }] })),
    );
    await member.put('/api/v1/notifications/email-preferences/', {
      subscriptions: [{ organization: own.id, events: ['batch.failed'] }],
    });
    const log = (await superuser.get('/api/v1/audit-log/?action=email_preferences.updated')).json();
    expect(log.results[0]).toMatchObject({ organization: null, target_type: 'user' });
    expect(log.results[0].details).toEqual({ subscriptions: [{ organization: own.id, events: ['batch.failed'] }] });
  });
});

describe('my notification settings', () => {
  it('starts with no email subscription and says email is off without SMTP settings', async () => {
    const answer = await admin.get('/api/v1/notifications/email-preferences/');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ email_available: false, email: '', subscriptions: [] });
  });

  it('stores choices per organization and for all, refusing organizations the caller cannot see', async () => {
    const saved = await admin.put('/api/v1/notifications/email-preferences/', {
      subscriptions: [
        { organization: null, events: ['batch.failed'] },
        { organization: own.id, events: ['operation.failed', 'batch.paused'] },
      ],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().subscriptions).toEqual([
      { organization: null, events: ['batch.failed'] },
      { organization: own.id, events: ['batch.paused', 'operation.failed'] },
    ]);
    const foreignChoice = await admin.put('/api/v1/notifications/email-preferences/', {
      subscriptions: [{ organization: foreign.id, events: ['batch.failed'] }],
    });
    expect(foreignChoice.statusCode).toBe(400);
    expect(foreignChoice.json().code).toBe('InvalidReference');
    const twice = await admin.put('/api/v1/notifications/email-preferences/', {
      subscriptions: [
        { organization: null, events: ['batch.failed'] },
        { organization: null, events: ['batch.paused'] },
      ],
    });
    expect(twice.statusCode).toBe(400);
    // Refused changes left the choices as they were.
    expect((await admin.get('/api/v1/notifications/email-preferences/')).json().subscriptions).toHaveLength(2);
  });

  it('answers an empty notification list, and 404 for marking a notification that is not yours', async () => {
    const list = await operator.get('/api/v1/notifications/');
    expect(list.json()).toMatchObject({ count: 0, unread: 0, results: [] });
    const missing = await operator.post('/api/v1/notifications/00000000-0000-4000-8000-000000000000/read/');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NotificationNotFound');
  });
});
