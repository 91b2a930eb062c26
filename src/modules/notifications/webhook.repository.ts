import type { Db } from '../../database.js';
import { inOrganizationScope, type OrganizationScope } from '../../platform/db/organization-scope.js';
import type {
  DeliveryAttemptRow,
  DeliveryRow,
  NewWebhookRow,
  WebhookRow,
  WebhookUpdate,
} from './notifications.table.js';

/** Webhooks and their delivery log. */

export interface WebhookFilter {
  organizationIds: OrganizationScope;
  organizationId?: string | undefined;
}

function scoped(db: Db, filter: WebhookFilter) {
  let query = db
    .selectFrom('webhooks')
    .where((eb) => inOrganizationScope(eb, 'organizationId', filter.organizationIds));
  if (filter.organizationId !== undefined) query = query.where('organizationId', '=', filter.organizationId);
  return query;
}

export async function listWebhooks(
  db: Db,
  filter: WebhookFilter,
  page: { limit: number; offset: number },
): Promise<WebhookRow[]> {
  return scoped(db, filter)
    .selectAll()
    .orderBy('created')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countWebhooks(db: Db, filter: WebhookFilter): Promise<number> {
  const row = await scoped(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findWebhookById(db: Db, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The webhook, its row locked until the transaction ends (a change reads what it replaces). */
export async function findWebhookByIdForUpdate(db: Db, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertWebhook(db: Db, row: NewWebhookRow): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateWebhook(db: Db, id: string, changes: WebhookUpdate): Promise<WebhookRow | undefined> {
  return db
    .updateTable('webhooks')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteWebhook(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A delivery with what it carried (event of its notification). */
export type WebhookDeliveryRow = DeliveryRow & { event: string };

export async function listWebhookDeliveries(
  db: Db,
  webhookId: string,
  page: { limit: number; offset: number },
): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('notificationDeliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notificationId')
    .selectAll('d')
    .select('n.event')
    .where('d.webhookId', '=', webhookId)
    .orderBy('d.created', 'desc')
    .orderBy('d.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countWebhookDeliveries(db: Db, webhookId: string): Promise<number> {
  const row = await db
    .selectFrom('notificationDeliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('webhookId', '=', webhookId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The attempts of these deliveries, oldest first. */
export async function listDeliveryAttempts(db: Db, deliveryIds: string[]): Promise<DeliveryAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('notificationDeliveryAttempts')
    .selectAll()
    .where('deliveryId', 'in', deliveryIds)
    .orderBy('deliveryId')
    .orderBy('attempt')
    .execute();
}
