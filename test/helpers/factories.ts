import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../src/modules/accounts/actor.js';
import type { OrganizationRow, Role, UserRow } from '../../src/modules/accounts/accounts.table.js';
import { createApiToken } from '../../src/modules/accounts/auth.service.js';
import type { BuildRow, CategoryRow, ImageRow } from '../../src/modules/firmware/firmware.table.js';
import { hashPassword } from '../../src/platform/crypto.js';
import type { Database } from '../../src/database.js';

/**
 * Factories: each returns a typed row and creates the parents it needs. Rows go straight into the
 * database (these are preconditions, not the behaviour under test).
 */

export const TEST_PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;
/** scrypt is slow on purpose; hash the shared test password once per file. */
function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function makeOrganization(
  db: Kysely<Database>,
  overrides: Partial<OrganizationRow> = {},
): Promise<OrganizationRow> {
  const slug = overrides.slug ?? unique('org');
  return db
    .insertInto('organizations')
    .values({ name: overrides.name ?? slug, slug, isActive: overrides.isActive ?? true, description: '' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeUser(
  db: Kysely<Database>,
  overrides: Partial<UserRow> & { memberships?: { organization: OrganizationRow; role: Role }[] } = {},
): Promise<UserRow> {
  const user = await db
    .insertInto('users')
    .values({
      username: overrides.username ?? unique('user'),
      email: overrides.email ?? '',
      passwordHash: overrides.passwordHash ?? (await testPasswordHash()),
      isSuperuser: overrides.isSuperuser ?? false,
      isActive: overrides.isActive ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const membership of overrides.memberships ?? []) {
    await db
      .insertInto('memberships')
      .values({ organizationId: membership.organization.id, userId: user.id, role: membership.role })
      .execute();
  }
  return user;
}

export function actorFor(user: UserRow, memberships: [OrganizationRow, Role][] = []): Actor {
  return {
    userId: user.id,
    username: user.username,
    isSuperuser: user.isSuperuser,
    memberships: new Map(memberships.map(([organization, role]) => [organization.id, role])),
    via: 'token',
  };
}

/** An API token for the user: returns the `Authorization` header value. */
export async function makeToken(db: Kysely<Database>, user: UserRow): Promise<string> {
  const { token } = await createApiToken(db, actorFor(user), { name: 'test' });
  return `Bearer ${token}`;
}

export async function makeCategory(db: Kysely<Database>, overrides: Partial<CategoryRow> = {}): Promise<CategoryRow> {
  const organizationId =
    overrides.organizationId === undefined ? (await makeOrganization(db)).id : overrides.organizationId;
  return db
    .insertInto('firmwareCategories')
    .values({ name: overrides.name ?? unique('category'), organizationId, description: overrides.description ?? '' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeBuild(db: Kysely<Database>, overrides: Partial<BuildRow> = {}): Promise<BuildRow> {
  const categoryId = overrides.categoryId ?? (await makeCategory(db)).id;
  return db
    .insertInto('firmwareBuilds')
    .values({
      categoryId,
      version: overrides.version ?? unique('v'),
      os: overrides.os ?? null,
      changelog: overrides.changelog ?? '',
      ...(overrides.created ? { created: overrides.created } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An image row (without a stored file; tests of downloads upload through the API instead). */
export async function makeImageRow(db: Kysely<Database>, overrides: Partial<ImageRow> = {}): Promise<ImageRow> {
  const buildId = overrides.buildId ?? (await makeBuild(db)).id;
  return db
    .insertInto('firmwareImages')
    .values({
      buildId,
      type: overrides.type ?? 'ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin',
      label: overrides.label ?? 'TP-Link Archer C7 v2',
      fileName: overrides.fileName ?? 'image.bin',
      size: overrides.size ?? 4,
      sha256: overrides.sha256 ?? randomBytes(32).toString('hex'),
      boards: overrides.boards ?? ['tplink,archer-c7-v2'],
      metadata: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
