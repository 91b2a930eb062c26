import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { generatePassword, hashPassword, verifyPassword } from '../../platform/crypto.js';
import type { Database, Db } from '../../database.js';
import { conflict, forbidden, invalid, invalidReference, notFound } from '../../platform/errors.js';
import { type Actor, administeredOrganizationIds, assertSuperuser, canRead } from './actor.js';
import type { Role, UserRow } from './accounts.table.js';
import { recordUserCreated, recordUserDeleted, recordUserUpdated } from './user-audit.js';
import * as authRepository from './auth.repository.js';
import * as membershipRepository from './membership.repository.js';
import { findOrganizationById } from './organization.repository.js';
import * as userRepository from './user.repository.js';

export const MIN_PASSWORD_LENGTH = 8;

export interface UserWithMemberships {
  user: UserRow;
  memberships: { organizationId: string; slug: string; name: string; role: Role }[];
}

function assertPasswordAcceptable(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, {
      password: `at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  }
}

/**
 * Who may see a user: superusers everyone; others themselves and the members of organizations
 * where they are admin.
 */
function visibilityFilter(actor: Actor): Pick<userRepository.UserFilter, 'organizationIds' | 'includeUserId'> {
  return { organizationIds: administeredOrganizationIds(actor), includeUserId: actor.userId };
}

async function withMemberships(db: Db, actor: Actor, users: UserRow[]): Promise<UserWithMemberships[]> {
  const memberships = await membershipRepository.listMembershipsOfUsers(
    db,
    users.map((user) => user.id),
  );
  return users.map((user) => ({
    user,
    // Only memberships of organizations the caller can see: a user list must not reveal other tenants.
    memberships: memberships
      .filter((membership) => membership.userId === user.id && canRead(actor, membership.organizationId))
      .map(({ organizationId, slug, name, role }) => ({ organizationId, slug, name, role })),
  }));
}

export async function listUsers(
  db: Db,
  actor: Actor,
  filter: { search?: string | undefined; organization?: string | undefined; isActive?: boolean | undefined },
  page: { limit: number; offset: number },
) {
  const query: userRepository.UserFilter = {
    ...visibilityFilter(actor),
    search: filter.search,
    organizationSlug: filter.organization,
    isActive: filter.isActive,
  };
  const [rows, count] = await Promise.all([
    userRepository.listUsers(db, query, page),
    userRepository.countUsers(db, query),
  ]);
  return { items: await withMemberships(db, actor, rows), count };
}

async function findVisibleUser(db: Db, actor: Actor, id: string): Promise<UserRow> {
  const user = await userRepository.findUserById(db, id);
  if (!user) throw notFound('user', id);
  if (actor.isSuperuser || user.id === actor.userId) return user;
  const administered = administeredOrganizationIds(actor) ?? [];
  if (!(await userRepository.isMemberOfAny(db, user.id, administered))) throw notFound('user', id);
  return user;
}

export async function getUser(db: Db, actor: Actor, id: string): Promise<UserWithMemberships> {
  const user = await findVisibleUser(db, actor, id);
  const [result] = await withMemberships(db, actor, [user]);
  return result!;
}

export interface CreateUserInput {
  username: string;
  password: string;
  email?: string | undefined;
  isSuperuser?: boolean | undefined;
  isActive?: boolean | undefined;
  memberships?: { organization: string; role: Role }[] | undefined;
}

/**
 * Superusers create any user. An organization admin may create a user only straight into
 * organizations they administer (at least one), so nobody creates accounts nobody manages.
 */
export async function createUser(
  db: Kysely<Database>,
  actor: Actor,
  input: CreateUserInput,
): Promise<UserWithMemberships> {
  const memberships = input.memberships ?? [];
  if (!actor.isSuperuser) {
    if (input.isSuperuser) throw forbidden('Only superusers can create superusers.');
    const administered = new Set(administeredOrganizationIds(actor) ?? []);
    if (memberships.length === 0) {
      throw forbidden(
        'Organization admins create users inside their organizations: give "memberships" with an organization you ' +
          'administer.',
      );
    }
    const foreign = memberships.find((membership) => !administered.has(membership.organization));
    if (foreign) throw forbidden(`You are not an admin of organization ${foreign.organization}.`);
  }
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const user = await db.transaction().execute(async (trx) => {
    const created = await userRepository.insertUser(trx, {
      username: input.username,
      email: input.email ?? '',
      passwordHash,
      isSuperuser: input.isSuperuser ?? false,
      isActive: input.isActive ?? true,
    });
    for (const membership of memberships) {
      if (!(await findOrganizationById(trx, membership.organization))) {
        throw invalidReference('memberships', `Organization ${membership.organization} does not exist.`);
      }
      await membershipRepository.insertMembership(trx, membership.organization, created.id, membership.role);
    }
    await recordUserCreated(trx, actor, created, memberships);
    return created;
  });
  return getUser(db, actor, user.id);
}

export interface UpdateUserInput {
  username?: string | undefined;
  email?: string | undefined;
  password?: string | undefined;
  currentPassword?: string | undefined;
  isSuperuser?: boolean | undefined;
  isActive?: boolean | undefined;
  /** With a new password: also revoke every API token of the user. */
  revokeTokens?: boolean | undefined;
}

/**
 * Superusers change anything. Users change their own email and password (the password only with
 * the current one). Nobody may remove the last active superuser. A new password ends every session
 * of the user (the caller's too) and, with `revokeTokens`, revokes every API token of the user.
 */
export async function updateUser(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
): Promise<UserWithMemberships> {
  const user = await findVisibleUser(db, actor, id);
  const isSelf = user.id === actor.userId;
  if (!actor.isSuperuser) {
    if (!isSelf)
      throw forbidden(
        'Only superusers can change other users; organization admins manage roles through the members endpoint.',
      );
    if (
      (input.isSuperuser !== undefined && input.isSuperuser !== user.isSuperuser) ||
      (input.isActive !== undefined && input.isActive !== user.isActive) ||
      (input.username !== undefined && input.username !== user.username)
    ) {
      throw forbidden(
        'You can change your own email and password; ask a superuser to change your username, status or superuser ' +
          'flag.',
      );
    }
  }
  if (input.revokeTokens && input.password === undefined) {
    throw invalid(
      '"revoke_tokens" goes with a new "password"; to revoke one token, delete it under /api/v1/auth/tokens/.',
      { revoke_tokens: 'only with password' },
    );
  }
  if (input.password !== undefined) {
    assertPasswordAcceptable(input.password);
    if (isSelf) {
      if (input.currentPassword === undefined || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
        throw invalid('To change your password, give your current password in "current_password".', {
          current_password: 'wrong or missing',
        });
      }
    }
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  await db.transaction().execute(async (trx) => {
    const losesSuperuser =
      user.isSuperuser && user.isActive && (input.isSuperuser === false || input.isActive === false);
    if (losesSuperuser && (await userRepository.countActiveSuperusersForUpdate(trx)) <= 1) {
      throw conflict('LastSuperuser', 'This is the last active superuser: make another user superuser first.');
    }
    await userRepository.updateUser(trx, id, {
      ...(input.username !== undefined ? { username: input.username } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(passwordHash !== undefined ? { passwordHash } : {}),
      ...(input.isSuperuser !== undefined ? { isSuperuser: input.isSuperuser } : {}),
      ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
    });
    // A new password or a deactivation ends every browser session of the user; open event
    // streams learn it from the database's access notification (migration 0006).
    if (passwordHash !== undefined || input.isActive === false) await authRepository.deleteSessionsOfUser(trx, id);
    const tokensRevoked =
      passwordHash !== undefined && input.revokeTokens ? await authRepository.deleteApiTokensOfUser(trx, id) : 0;
    await recordUserUpdated(trx, actor, user, input, {
      isActive: input.isActive,
      passwordChanged: passwordHash !== undefined,
      tokensRevoked,
    });
  });
  return getUser(db, actor, id);
}

export async function deleteUser(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  const user = await findVisibleUser(db, actor, id);
  assertSuperuser(actor, 'delete users');
  await db.transaction().execute(async (trx) => {
    if (user.isSuperuser && user.isActive && (await userRepository.countActiveSuperusersForUpdate(trx)) <= 1) {
      throw conflict('LastSuperuser', 'This is the last active superuser: make another user superuser first.');
    }
    // Locked first: a membership added meanwhile would go with the user without an entry.
    await userRepository.lockUserForUpdate(trx, id);
    const memberships = await membershipRepository.listMembershipsOfUsers(trx, [id]);
    await userRepository.deleteUser(trx, id);
    await recordUserDeleted(trx, actor, user, memberships);
  });
}

export interface InitialSuperuser {
  created: boolean;
  username: string;
  /** Set when the password was generated and must be shown to the operator, once. */
  generatedPassword: string | null;
}

/** Arbitrary constant: the advisory lock two first starts take so only one creates the first user. */
const BOOTSTRAP_LOCK_KEY = 4_126_557_302;

/**
 * On the very first start (no user at all) creates a superuser from the given credentials, or
 * `admin` with a generated password. Safe when several processes start at once.
 */
export async function ensureInitialSuperuser(
  db: Kysely<Database>,
  input: { username: string | null; password: string | null },
): Promise<InitialSuperuser> {
  const username = input.username ?? 'admin';
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`.execute(trx);
    if ((await userRepository.countUsersTotal(trx)) > 0) return { created: false, username, generatedPassword: null };
    const password = input.password ?? generatePassword();
    assertPasswordAcceptable(password);
    const user = await userRepository.insertUser(trx, {
      username,
      passwordHash: await hashPassword(password),
      isSuperuser: true,
      isActive: true,
    });
    await recordUserCreated(trx, { system: 'bootstrap' }, user, []);
    return { created: true, username, generatedPassword: input.password ? null : password };
  });
}
