import type { Db } from '../../database.js';
import { invalid, invalidReference, notFound } from '../../platform/errors.js';
import { type Actor, canRead, readableOrganizationIds } from '../accounts/actor.js';
import { normaliseEvents, type NotificationEvent } from './notification-events.js';
import { recordEmailPreferencesAudit } from './webhook-audit.js';
import * as notificationRepository from './notification.repository.js';
import { getUser } from '../accounts/user.service.js';

/**
 * The caller's own notifications: the in-app list with its read state, and which events they want
 * by email. Everything here is the caller's; nobody reads or changes another user's.
 */

/** The caller's inbox: their notices of organizations they belong to now (superusers: all). */
function inbox(actor: Actor): notificationRepository.InboxScope {
  return { userId: actor.userId, organizationIds: readableOrganizationIds(actor) };
}

/** A page of the caller's notifications, newest first, with how many of all theirs are unread. */
export async function listMyNotifications(
  db: Db,
  actor: Actor,
  filter: { unreadOnly: boolean },
  page: { limit: number; offset: number },
) {
  const [rows, counts] = await Promise.all([
    notificationRepository.listUserNotifications(db, inbox(actor), filter, page),
    notificationRepository.countUserNotifications(db, inbox(actor)),
  ]);
  return { rows, count: filter.unreadOnly ? counts.unread : counts.count, unread: counts.unread };
}

/** Marks one of the caller's notifications read; 404 when it is not theirs. */
export async function markNotificationRead(db: Db, actor: Actor, id: string): Promise<void> {
  if (!(await notificationRepository.markUserNotificationRead(db, inbox(actor), id)))
    throw notFound('notification', id);
}

/** Marks every unread notification of the caller read; returns how many were. */
export async function markAllNotificationsRead(db: Db, actor: Actor): Promise<number> {
  return notificationRepository.markAllUserNotificationsRead(db, inbox(actor));
}

/** How many of the caller's notifications are unread. */
export async function unreadCount(db: Db, actor: Actor): Promise<number> {
  return (await notificationRepository.countUserNotifications(db, inbox(actor))).unread;
}

/** The caller's email choices, and the address they go to. */
export async function getEmailPreferences(db: Db, actor: Actor) {
  const [user, rows] = await Promise.all([
    getUser(db, actor, actor.userId),
    notificationRepository.listEmailPreferences(db, actor.userId),
  ]);
  return { email: user.user.email, rows };
}

/**
 * Replaces the caller's email choices: per organization (one they can see), or for all of theirs
 * (organization null). An entry without events is dropped; each organization may appear once.
 */
export async function setEmailPreferences(
  db: Db,
  actor: Actor,
  subscriptions: { organization: string | null; events: string[] }[],
) {
  const seen = new Set<string>();
  const kept: { organizationId: string | null; events: NotificationEvent[] }[] = [];
  for (const [index, subscription] of subscriptions.entries()) {
    const key = subscription.organization ?? 'all';
    if (seen.has(key))
      throw invalid('Each organization (and "all organizations") may appear once in the subscriptions.', {
        [`subscriptions.${index}.organization`]: 'appears twice',
      });
    seen.add(key);
    if (subscription.organization !== null && !canRead(actor, subscription.organization))
      throw invalidReference(
        `subscriptions.${index}.organization`,
        `Organization ${subscription.organization} does not exist or is not yours.`,
      );
    const events = normaliseEvents(subscription.events);
    if (events.length > 0) kept.push({ organizationId: subscription.organization, events });
  }
  await db.transaction().execute(async (trx) => {
    await notificationRepository.replaceEmailPreferences(trx, actor.userId, kept);
    await recordEmailPreferencesAudit(trx, actor, kept);
  });
  return getEmailPreferences(db, actor);
}
