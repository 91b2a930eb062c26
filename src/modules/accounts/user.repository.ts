import { sql } from 'kysely';
import type { Db } from '../../database.js';
import type { NewUserRow, UserRow, UserUpdate } from './accounts.table.js';
import { inOrganizationScope } from '../../platform/db/organization-scope.js';

export interface UserFilter {
  /** Only users with a membership in one of these organizations (or `includeUserId`); null = all users. */
  organizationIds: string[] | null;
  /** Always visible (the caller themself). */
  includeUserId?: string | undefined;
  /** Only members of the organization with this slug. */
  organizationSlug?: string | undefined;
  /** Case-insensitive match on username or email. */
  search?: string | undefined;
  isActive?: boolean | undefined;
}

function filtered(db: Db, filter: UserFilter) {
  let query = db.selectFrom('users as u');
  if (filter.organizationIds !== null) {
    const orgIds = filter.organizationIds;
    query = query.where((eb) => {
      const conditions = [
        eb.exists(
          eb
            .selectFrom('memberships as m')
            .select('m.userId')
            .whereRef('m.userId', '=', 'u.id')
            .where((m) => inOrganizationScope(m, 'm.organizationId', orgIds)),
        ),
      ];
      if (filter.includeUserId) conditions.push(eb('u.id', '=', filter.includeUserId));
      return eb.or(conditions);
    });
  }
  if (filter.organizationSlug !== undefined) {
    const slug = filter.organizationSlug;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as m')
          .innerJoin('organizations as o', 'o.id', 'm.organizationId')
          .select('m.userId')
          .whereRef('m.userId', '=', 'u.id')
          .where('o.slug', '=', slug),
      ),
    );
  }
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
  }
  if (filter.isActive !== undefined) query = query.where('u.isActive', '=', filter.isActive);
  return query;
}

export async function listUsers(
  db: Db,
  filter: UserFilter,
  page: { limit: number; offset: number },
): Promise<UserRow[]> {
  return filtered(db, filter)
    .selectAll('u')
    .orderBy('u.username')
    .orderBy('u.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countUsers(db: Db, filter: UserFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Usernames are unique whatever their case, so lookups ignore case too. */
export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
}

export async function insertUser(db: Db, row: NewUserRow): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(db: Db, id: string, changes: UserUpdate): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ ...changes, modified: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks a user's row: a membership inserted meanwhile (its foreign key check needs the row) waits,
 * and fails once the user is deleted.
 */
export async function lockUserForUpdate(db: Db, id: string): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute();
}

export async function deleteUser(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function countUsersTotal(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Locks the active superusers: the "last superuser" rule needs a count nobody changes meanwhile. */
export async function countActiveSuperusersForUpdate(db: Db): Promise<number> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('isSuperuser', '=', true)
    .where('isActive', '=', true)
    .forUpdate()
    .execute();
  return rows.length;
}

/** Whether the user is a member of at least one of the organizations. */
export async function isMemberOfAny(db: Db, userId: string, organizationIds: string[]): Promise<boolean> {
  if (organizationIds.length === 0) return false;
  const row = await db
    .selectFrom('memberships')
    .select('userId')
    .where('userId', '=', userId)
    .where('organizationId', 'in', organizationIds)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The user with this id or username (any case), but only when `organizationIds` is null (anyone)
 * or the user is a member of one of them. One query whether the user is missing or out of reach,
 * so the two cases cannot be told apart by timing either.
 */
export async function findUserInOrganizations(
  db: Db,
  by: { id: string } | { username: string },
  organizationIds: string[] | null,
): Promise<UserRow | undefined> {
  let query = db.selectFrom('users as u').selectAll('u');
  query =
    'id' in by ? query.where('u.id', '=', by.id) : query.where(sql`lower(u.username)`, '=', by.username.toLowerCase());
  if (organizationIds !== null) {
    if (organizationIds.length === 0) return undefined;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as m')
          .select('m.userId')
          .whereRef('m.userId', '=', 'u.id')
          .where((m) => inOrganizationScope(m, 'm.organizationId', organizationIds)),
      ),
    );
  }
  return query.executeTakeFirst();
}
