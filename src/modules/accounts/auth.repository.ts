import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import type { Database, Db } from '../../database.js';
import type { ApiTokenRow, Role, UsersTable } from './accounts.table.js';

export interface Principal {
  userId: string;
  username: string;
  isSuperuser: boolean;
  /** Never null in practice (coalesce), but typed as the scalar subquery it is. */
  memberships: { organizationId: string; role: Role }[] | null;
}

/** Memberships of active organizations only: deactivating an organization locks its members out of it. */
function activeMemberships(eb: ExpressionBuilder<Database & { u: UsersTable }, 'u'>) {
  // The JSON keys are written out as strings (not column names, which the camel-case plugin
  // would turn into snake_case), so they arrive as they are written.
  return eb
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organizationId')
    .select((inner) =>
      sql<{ organizationId: string; role: Role }[]>`coalesce(json_agg(${jsonBuildObject({
        organizationId: inner.ref('m.organizationId'),
        role: inner.ref('m.role'),
      })}), '[]'::json)`.as('agg'),
    )
    .whereRef('m.userId', '=', 'u.id')
    .where('o.isActive', '=', true)
    .as('memberships');
}

function livePrincipalsByToken(db: Db, now: Date) {
  return db
    .selectFrom('apiTokens as t')
    .innerJoin('users as u', 'u.id', 't.userId')
    .select(['t.id as tokenId', 't.lastUsedAt', 't.expiresAt', 'u.id as userId', 'u.username', 'u.isSuperuser'])
    .select((eb) => [activeMemberships(eb)])
    .where('u.isActive', '=', true)
    .where((eb) => eb.or([eb('t.expiresAt', 'is', null), eb('t.expiresAt', '>', now)]));
}

function livePrincipalsBySession(db: Db, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select(['s.id as sessionId', 's.expiresAt', 'u.id as userId', 'u.username', 'u.isSuperuser'])
    .select((eb) => [activeMemberships(eb)])
    .where('s.expiresAt', '>', now)
    .where('u.isActive', '=', true);
}

/** The active user owning a live token, with memberships, in one query; also says when it was last used. */
export async function findPrincipalByTokenHash(db: Db, tokenHash: Buffer, now: Date) {
  return livePrincipalsByToken(db, now).where('t.tokenHash', '=', tokenHash).executeTakeFirst();
}

/** The same by the token's row id (re-authenticating a request that is still open). */
export async function findPrincipalByTokenId(db: Db, tokenId: string, now: Date) {
  return livePrincipalsByToken(db, now).where('t.id', '=', tokenId).executeTakeFirst();
}

export async function findPrincipalBySessionHash(db: Db, tokenHash: Buffer, now: Date) {
  return livePrincipalsBySession(db, now).where('s.tokenHash', '=', tokenHash).executeTakeFirst();
}

/** The same by the session's row id (re-authenticating a request that is still open). */
export async function findPrincipalBySessionId(db: Db, sessionId: string, now: Date) {
  return livePrincipalsBySession(db, now).where('s.id', '=', sessionId).executeTakeFirst();
}

export async function findPrincipalByUserId(db: Db, userId: string) {
  return db
    .selectFrom('users as u')
    .select(['u.id as userId', 'u.username', 'u.isSuperuser'])
    .select((eb) => [activeMemberships(eb)])
    .where('u.id', '=', userId)
    .where('u.isActive', '=', true)
    .executeTakeFirst();
}

export async function touchToken(db: Db, tokenId: string, now: Date): Promise<void> {
  await db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', tokenId).execute();
}

export async function insertSession(db: Db, userId: string, tokenHash: Buffer, expiresAt: Date): Promise<void> {
  await db.insertInto('sessions').values({ userId, tokenHash, expiresAt }).execute();
}

export async function deleteSessionByHash(db: Db, tokenHash: Buffer): Promise<void> {
  await db.deleteFrom('sessions').where('tokenHash', '=', tokenHash).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('userId', '=', userId).execute();
}

export async function deleteApiTokensOfUser(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('apiTokens').where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expiresAt', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function recordLogin(db: Db, userId: string, now: Date): Promise<void> {
  await db.updateTable('users').set({ lastLogin: now }).where('id', '=', userId).execute();
}

export async function insertApiToken(
  db: Db,
  row: { userId: string; name: string; tokenHash: Buffer; prefix: string; expiresAt: Date | null },
): Promise<ApiTokenRow> {
  return db.insertInto('apiTokens').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listApiTokens(
  db: Db,
  userId: string,
  page: { limit: number; offset: number },
): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('apiTokens')
    .selectAll()
    .where('userId', '=', userId)
    .orderBy('created', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countApiTokens(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('apiTokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function findApiToken(db: Db, userId: string, tokenId: string): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('apiTokens')
    .selectAll()
    .where('userId', '=', userId)
    .where('id', '=', tokenId)
    .executeTakeFirst();
}

export async function deleteApiToken(db: Db, userId: string, tokenId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('apiTokens')
    .where('userId', '=', userId)
    .where('id', '=', tokenId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
