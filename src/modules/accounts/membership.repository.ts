import type { Db } from '../../database.js';
import type { MembershipRow, Role } from './accounts.table.js';

export interface MemberRow extends MembershipRow {
  username: string;
  email: string;
  isActive: boolean;
}

function members(db: Db) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.organizationId', 'm.userId', 'm.role', 'm.created', 'u.username', 'u.email', 'u.isActive']);
}

export async function listMembers(
  db: Db,
  organizationId: string,
  page: { limit: number; offset: number },
): Promise<MemberRow[]> {
  return members(db)
    .where('m.organizationId', '=', organizationId)
    .orderBy('u.username')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countMembers(db: Db, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findMember(db: Db, organizationId: string, userId: string): Promise<MemberRow | undefined> {
  return members(db).where('m.organizationId', '=', organizationId).where('m.userId', '=', userId).executeTakeFirst();
}

export async function insertMembership(db: Db, organizationId: string, userId: string, role: Role): Promise<void> {
  await db.insertInto('memberships').values({ organizationId, userId, role }).execute();
}

export async function updateMembershipRole(
  db: Db,
  organizationId: string,
  userId: string,
  role: Role,
): Promise<boolean> {
  const result = await db
    .updateTable('memberships')
    .set({ role })
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteMembership(db: Db, organizationId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Locks the organization's admin memberships and counts them: the "last admin" rule must see a
 * stable count while it demotes or removes one.
 */
export async function countAdminsForUpdate(db: Db, organizationId: string): Promise<number> {
  const rows = await db
    .selectFrom('memberships')
    .select('userId')
    .where('organizationId', '=', organizationId)
    .where('role', '=', 'admin')
    .forUpdate()
    .execute();
  return rows.length;
}

/** Memberships of a user, with the organization's slug and name, for user and "me" answers. */
export async function listMembershipsOfUsers(db: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organizationId')
    .select(['m.userId', 'm.organizationId', 'm.role', 'o.slug', 'o.name', 'o.isActive'])
    .where('m.userId', 'in', userIds)
    .orderBy('o.name')
    .execute();
}
