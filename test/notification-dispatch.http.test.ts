import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, startBackgroundWork } from '../src/composition.js';
import type { OrganizationRow } from '../src/modules/accounts/accounts.table.js';
import {
  insertDelivery,
  insertNotification,
  purgeNotifications,
} from '../src/modules/notifications/notification.repository.js';
import { insertEvent } from '../src/platform/events.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeBuild, makeCategory, makeOrganization, makeUser } from './helpers/factories.js';

/**
 * The dispatcher's durability: two processes never both notify about one event, and an event whose
 * id was taken by a transaction still running is not skipped (nor does a rolled-back one stall the rest).
 */

let first: TestApp;
let second: TestApp;
const work: BackgroundWork[] = [];
let org: OrganizationRow;

beforeAll(async () => {
  first = await createTestApp();
  second = await createTestApp({}, { sameDatabaseAs: first });
  for (const app of [first, second])
    work.push(
      await startBackgroundWork(app.resources, { tasks: false, upgrades: false, builds: false, notifications: true }),
    );
  org = await makeOrganization(first.db);
  await makeUser(first.db, { memberships: [{ organization: org, role: 'operator' }] });
});
afterAll(async () => {
  for (const part of work) await part.stop();
  await second?.close();
  await first?.close();
});

const pausedBatch = (batchId: string, organizationId = org.id) => ({
  type: 'batch' as const,
  organizationId,
  batchId,
  data: { id: batchId, build_version: '24.10.0', status: 'paused', pause_detail: 'Paused.' },
});

async function notificationsFor(batchIds: string[]) {
  const rows = await first.db
    .selectFrom('notifications')
    .select(['data', 'link'])
    .where(
      'link',
      'in',
      batchIds.map((id) => `/batches/${id}`),
    )
    .execute();
  return rows.map((row) => row.link);
}

async function waitForCount(batchIds: string[], count: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let links = await notificationsFor(batchIds);
  while (links.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    links = await notificationsFor(batchIds);
  }
  return links;
}

describe('notification dispatch', () => {
  it('notifies once per event with two workers dispatching', async () => {
    const batchIds = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(batchIds.map((id) => insertEvent(first.db, pausedBatch(id))));
    const links = await waitForCount(batchIds, 30);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await notificationsFor(batchIds)).length).toBe(30);
    expect(new Set(links).size).toBe(30);
  });

  it('waits for an event whose transaction is still open, and passes one that was rolled back', async () => {
    const held = randomUUID();
    const after = randomUUID();
    const rolledBack = randomUUID();
    const last = randomUUID();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const insertedInside = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // A transaction takes an event id and keeps it uncommitted while a later id commits.
    const open = first.db.transaction().execute(async (trx) => {
      await insertEvent(trx, pausedBatch(held));
      inserted();
      await released;
    });
    await insertedInside;
    await insertEvent(first.db, pausedBatch(after));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Nothing past the open transaction's event was dispatched: the later one waits for it.
    expect(await notificationsFor([held, after])).toEqual([]);
    release();
    await open;
    expect((await waitForCount([held, after], 2)).sort()).toEqual([`/batches/${after}`, `/batches/${held}`].sort());

    // A rolled-back event leaves a gap for ever: the next one is still dispatched, soon.
    await first.db
      .transaction()
      .execute(async (trx) => {
        await insertEvent(trx, pausedBatch(rolledBack));
        throw new Error('roll back');
      })
      .catch(() => {});
    const started = Date.now();
    await insertEvent(first.db, pausedBatch(last));
    expect(await waitForCount([last], 1)).toEqual([`/batches/${last}`]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await notificationsFor([rolledBack])).toEqual([]);
  });

  it('passes an event of a deleted organization without stalling every other organization', async () => {
    const doomed = await makeOrganization(first.db);
    await first.db
      .insertInto('webhooks')
      .values({ organizationId: doomed.id, url: 'https://10.0.0.1/', events: ['batch.paused'], secretSealed: 'x' })
      .execute();
    const ofDoomed = randomUUID();
    const ofNobody = randomUUID();
    const afterwards = randomUUID();
    // The organization goes in the transaction that wrote its event: the dispatcher only ever sees it gone.
    await first.db.transaction().execute(async (trx) => {
      await insertEvent(trx, pausedBatch(ofDoomed, doomed.id));
      await trx.deleteFrom('organizations').where('id', '=', doomed.id).execute();
    });
    // Events carry no foreign key: one of an organization that never existed is passed the same way.
    await insertEvent(first.db, pausedBatch(ofNobody, randomUUID()));
    await insertEvent(first.db, pausedBatch(afterwards));
    expect(await waitForCount([afterwards], 1)).toEqual([`/batches/${afterwards}`]);
    expect(await notificationsFor([ofDoomed, ofNobody])).toEqual([]);
  });

  it('logs and passes an event whose notification cannot be written, and tells the next ones', async () => {
    const poisoned = randomUUID();
    const next = randomUUID();
    // A fault no check foresees (here: a trigger refusing one notification) fails that event's writes only.
    await sql
      .raw(`CREATE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.link = '/batches/${poisoned}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poisoned BEFORE INSERT ON notifications
          FOR EACH ROW EXECUTE FUNCTION refuse_poisoned();`)
      .execute(first.db);
    try {
      await insertEvent(first.db, pausedBatch(poisoned));
      await insertEvent(first.db, pausedBatch(next));
      expect(await waitForCount([next], 1)).toEqual([`/batches/${next}`]);
      expect(await notificationsFor([poisoned])).toEqual([]);
      // The cursor is past both: the poisoned event is not tried again.
      const cursor = await first.db
        .selectFrom('notificationDispatchCursor')
        .select('position')
        .executeTakeFirstOrThrow();
      const last = await first.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      expect(Number(cursor.position)).toBeGreaterThanOrEqual(Number(last.id));
    } finally {
      await sql.raw('DROP TRIGGER refuse_poisoned ON notifications').execute(first.db);
    }
  });

  it('purges old notifications, keeping any whose delivery is still pending', async () => {
    const make = async (title: string) =>
      (await insertNotification(first.db, {
        event: 'test',
        organizationId: org.id,
        sourceEventId: null,
        dedupeKey: null,
        title,
        detail: '',
        link: null,
        data: {},
        occurredAt: new Date(),
      }))!;
    const old = await make('old');
    const oldPending = await make('old, still sending');
    const recent = await make('recent');
    const webhook = await first.db
      .insertInto('webhooks')
      .values({ organizationId: org.id, url: 'https://10.0.0.1/', events: ['batch.failed'], secretSealed: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Far in the future, so the running delivery worker leaves it alone.
    const pending = await insertDelivery(first.db, {
      notificationId: oldPending.id,
      channel: 'webhook',
      webhookId: webhook.id,
      target: 'https://10.0.0.1/',
    });
    await first.db
      .updateTable('notificationDeliveries')
      .set({ nextAttemptAt: new Date(Date.now() + 86_400_000) })
      .where('id', '=', pending.id)
      .execute();
    await first.db
      .updateTable('notifications')
      .set({ created: new Date(Date.now() - 40 * 86_400_000) })
      .where('id', 'in', [old.id, oldPending.id])
      .execute();
    expect(await purgeNotifications(first.db, 30 * 86_400)).toBe(1);
    const left = await first.db
      .selectFrom('notifications')
      .select('id')
      .where('id', 'in', [old.id, oldPending.id, recent.id])
      .execute();
    expect(left.map((row) => row.id).sort()).toEqual([oldPending.id, recent.id].sort());
  });

  it('tells the organization of a firmware build whose custom image build failed, once', async () => {
    const build = await makeBuild(first.db, {
      categoryId: (await makeCategory(first.db, { organizationId: org.id })).id,
      version: '2.4.0',
    });
    const requestHash = randomBytes(32).toString('hex');
    const image = { version: '24.10.0', target: 'ath79/generic', profile: 'tplink_archer-c7-v2' };
    await first.db
      .insertInto('asuBuilds')
      .values({
        requestHash,
        request: JSON.stringify(image),
        ...image,
        client: 'fleetflash',
        clientKey: 'fleet',
        status: 'started',
      })
      .execute();
    await first.db
      .insertInto('firmwareCustomImages')
      .values({ buildId: build.id, requestHash, target: image.target, profile: image.profile, status: 'building' })
      .execute();
    // As the build worker ends it: the table's trigger writes the build event.
    const fail = {
      status: 'failed' as const,
      errorCode: 'PACKAGE_MISSING',
      detail: 'no package foo',
      finishedAt: new Date(),
    };
    await first.db.updateTable('asuBuilds').set(fail).where('requestHash', '=', requestHash).execute();
    // Its stage changes once more while failed: no second notification.
    await first.db.updateTable('asuBuilds').set({ stage: 'done' }).where('requestHash', '=', requestHash).execute();
    const link = `/firmware/builds/${build.id}`;
    const deadline = Date.now() + 15_000;
    let rows = await first.db.selectFrom('notifications').selectAll().where('link', '=', link).execute();
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await first.db.selectFrom('notifications').selectAll().where('link', '=', link).execute();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    rows = await first.db.selectFrom('notifications').selectAll().where('link', '=', link).execute();
    expect(rows.map((row) => [row.event, row.organizationId, row.title, row.detail])).toEqual([
      [
        'build.failed',
        org.id,
        'Custom image for ath79/generic/tplink_archer-c7-v2 of build 2.4.0 failed',
        'PACKAGE_MISSING: no package foo',
      ],
    ]);
  });
});
