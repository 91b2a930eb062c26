import { type ExpressionBuilder, sql } from 'kysely';
import type { Database, Db } from '../../database.js';
import type { DeliveredEvent, NotificationEvent } from './notification-events.js';
import type { EmailPreferenceRow, NotificationRow } from './notifications.table.js';

/** Notifications, who gets them (in-app, email, webhooks), and the in-app read state. */

export interface NewNotification {
  event: DeliveredEvent;
  organizationId: string | null;
  sourceEventId: string | null;
  dedupeKey: string | null;
  title: string;
  detail: string;
  link: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** Inserts a notification; undefined when one with the same dedupe key exists (it was told already). */
export async function insertNotification(db: Db, input: NewNotification): Promise<NotificationRow | undefined> {
  return db
    .insertInto('notifications')
    .values({ ...input, data: JSON.stringify(input.data) })
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Users who can see an organization's objects: its members, and superusers (who see every
 * organization; for objects of no organization they are the only ones). Active users only.
 */
function readersOf(eb: ExpressionBuilder<Database, 'users'>, organizationId: string | null) {
  const member =
    organizationId === null
      ? sql<boolean>`false`
      : eb.exists(
          eb
            .selectFrom('memberships as m')
            .innerJoin('organizations as o', 'o.id', 'm.organizationId')
            .select(sql`1`.as('one'))
            .whereRef('m.userId', '=', 'users.id')
            .where('m.organizationId', '=', organizationId)
            .where('o.isActive', '=', true),
        );
  return eb.and([eb('users.isActive', '=', true), eb.or([eb('users.isSuperuser', '=', true), member])]);
}

/** One in-app notification for every user who can see the organization. Returns how many. */
export async function insertUserNotifications(db: Db, notification: NotificationRow): Promise<number> {
  const result = await db
    .insertInto('userNotifications')
    .columns(['userId', 'notificationId'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .select(['users.id', sql<string>`${notification.id}::uuid`.as('notificationId')])
        .where((inner) => readersOf(inner, notification.organizationId)),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** One webhook delivery per active webhook of the organization subscribed to the event. */
export async function insertWebhookDeliveries(db: Db, notification: NotificationRow): Promise<number> {
  if (notification.organizationId === null) return 0;
  const result = await db
    .insertInto('notificationDeliveries')
    .columns(['notificationId', 'channel', 'webhookId', 'target'])
    .expression((eb) =>
      eb
        .selectFrom('webhooks')
        .select([
          sql<string>`${notification.id}::uuid`.as('notificationId'),
          sql<string>`'webhook'`.as('channel'),
          'webhooks.id',
          'webhooks.url',
        ])
        .where('webhooks.organizationId', '=', notification.organizationId)
        .where('webhooks.active', '=', true)
        .where(sql<boolean>`${notification.event} = ANY(webhooks.events)`),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * One email delivery per user who can see the organization, has an email address, and chose the
 * event for this organization or for all of theirs.
 */
export async function insertEmailDeliveries(db: Db, notification: NotificationRow): Promise<number> {
  const result = await db
    .insertInto('notificationDeliveries')
    .columns(['notificationId', 'channel', 'userId', 'target'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .select([
          sql<string>`${notification.id}::uuid`.as('notificationId'),
          sql<string>`'email'`.as('channel'),
          'users.id',
          'users.email',
        ])
        .where('users.email', '<>', '')
        .where((inner) => readersOf(inner, notification.organizationId))
        .where((inner) =>
          inner.exists(
            inner
              .selectFrom('notificationEmailPreferences as p')
              .select(sql`1`.as('one'))
              .whereRef('p.userId', '=', 'users.id')
              .where(sql<boolean>`${notification.event} = ANY(p.events)`)
              .where((scope) =>
                notification.organizationId === null
                  ? scope('p.organizationId', 'is', null)
                  : scope.or([
                      scope('p.organizationId', 'is', null),
                      scope('p.organizationId', '=', notification.organizationId),
                    ]),
              ),
          ),
        ),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function insertDelivery(
  db: Db,
  row: { notificationId: string; channel: 'webhook'; webhookId: string; target: string },
): Promise<{ id: string }> {
  return db.insertInto('notificationDeliveries').values(row).returning('id').executeTakeFirstOrThrow();
}

/** A user's in-app notification: the notification and when the user read it. */
export type UserNotificationRow = NotificationRow & { readAt: Date | null };

/**
 * Whose in-app notifications a read concerns: the user, and the organizations they belong to now
 * (null: all, for superusers). A notice stays in `user_notifications` after its reader lost the
 * membership; it is hidden at read time instead, so that a membership given back shows it again.
 */
export interface InboxScope {
  userId: string;
  organizationIds: readonly string[] | null;
}

/** Rows of `user_notifications` (as `u`) joined to their notification (as `n`) that the scope may see. */
function inboxOf(db: Db, scope: InboxScope) {
  const query = db
    .selectFrom('userNotifications as u')
    .innerJoin('notifications as n', 'n.id', 'u.notificationId')
    .where('u.userId', '=', scope.userId);
  if (scope.organizationIds === null) return query;
  const ids = scope.organizationIds;
  return query.where((eb) => (ids.length === 0 ? sql<boolean>`false` : eb('n.organizationId', 'in', ids)));
}

export async function listUserNotifications(
  db: Db,
  scope: InboxScope,
  filter: { unreadOnly: boolean },
  page: { limit: number; offset: number },
): Promise<UserNotificationRow[]> {
  let query = inboxOf(db, scope).selectAll('n').select('u.readAt');
  if (filter.unreadOnly) query = query.where('u.readAt', 'is', null);
  return query
    .orderBy('u.created', 'desc')
    .orderBy('u.notificationId', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many notifications the user has, and how many of them are unread. */
export async function countUserNotifications(db: Db, scope: InboxScope): Promise<{ count: number; unread: number }> {
  const row = await inboxOf(db, scope)
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.count<number>('u.notificationId').filterWhere('u.readAt', 'is', null).as('unread'),
    ])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), unread: Number(row.unread) };
}

/** Notification ids of the scope's inbox, for the updates below (which cannot join). */
function visibleIds(db: Db, scope: InboxScope) {
  return inboxOf(db, scope).select('u.notificationId');
}

/** Marks one notification read (if not yet); false when the user has no such notification they may see. */
export async function markUserNotificationRead(db: Db, scope: InboxScope, notificationId: string): Promise<boolean> {
  const result = await db
    .updateTable('userNotifications')
    .set({ readAt: sql<Date>`COALESCE(read_at, now())` })
    .where('userId', '=', scope.userId)
    .where('notificationId', '=', notificationId)
    .where('notificationId', 'in', visibleIds(db, scope))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markAllUserNotificationsRead(db: Db, scope: InboxScope): Promise<number> {
  const result = await db
    .updateTable('userNotifications')
    .set({ readAt: new Date() })
    .where('userId', '=', scope.userId)
    .where('readAt', 'is', null)
    .where('notificationId', 'in', visibleIds(db, scope))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listEmailPreferences(db: Db, userId: string): Promise<EmailPreferenceRow[]> {
  return db
    .selectFrom('notificationEmailPreferences')
    .selectAll()
    .where('userId', '=', userId)
    .orderBy(sql`organization_id NULLS FIRST`)
    .execute();
}

/** Replaces all of a user's email choices (in the caller's transaction). */
export async function replaceEmailPreferences(
  db: Db,
  userId: string,
  preferences: { organizationId: string | null; events: NotificationEvent[] }[],
): Promise<void> {
  await db.deleteFrom('notificationEmailPreferences').where('userId', '=', userId).execute();
  if (preferences.length === 0) return;
  await db
    .insertInto('notificationEmailPreferences')
    .values(preferences.map((preference) => ({ userId, ...preference })))
    .execute();
}

/** Removes notifications (with their deliveries, attempts and in-app rows) older than `seconds`. */
export async function purgeNotifications(db: Db, seconds: number): Promise<number> {
  const result = await db
    .deleteFrom('notifications')
    .where('created', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('notificationDeliveries as d')
            .select(sql`1`.as('one'))
            .whereRef('d.notificationId', '=', 'notifications.id')
            .where('d.status', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
