import type { Kysely } from 'kysely';
import type { Database, Db } from '../../database.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { conflict, invalid, invalidReference, notFound } from '../../platform/errors.js';
import { changedFields, recordAudit } from '../audit/record-audit.js';
import { type Actor, administeredOrganizationIds, assertCanWrite } from './actor.js';
import type { Role } from './accounts.table.js';
import * as membershipRepository from './membership.repository.js';
import { getOrganization } from './organization.service.js';
import { findUserInOrganizations } from './user.repository.js';

/**
 * The members of an organization and their roles: listing, adding, changing a role, removing. Each
 * change is recorded in the audit log with the organization; someone must always be able to manage it.
 */

export async function listMembers(
  db: Db,
  actor: Actor,
  organizationId: string,
  page: { limit: number; offset: number },
) {
  await getOrganization(db, actor, organizationId);
  const [rows, count] = await Promise.all([
    membershipRepository.listMembers(db, organizationId, page),
    membershipRepository.countMembers(db, organizationId),
  ]);
  return { rows, count };
}

export async function getMember(db: Db, actor: Actor, organizationId: string, userId: string) {
  await getOrganization(db, actor, organizationId);
  const member = await membershipRepository.findMember(db, organizationId, userId);
  if (!member) throw notFound('membership', userId);
  return member;
}

/** The one refusal for "no such user" and "a user you may not add": it must not tell which. */
const NOT_ADDABLE =
  'No user you may add has this id or username. Organization admins add members of organizations they ' +
  'administer, or create a new user straight into their organization (POST /api/v1/users/ with "memberships"); ' +
  'ask a superuser to add anybody else.';

/**
 * Adds a user to the organization. Superusers add anybody. An organization admin adds only users
 * they can already see: members of an organization they administer (new people they create with
 * `createUser`). Anybody else is refused exactly like a username that does not exist, so an admin
 * cannot probe other tenants' usernames, and never sees a stranger's email.
 */
export async function addMember(
  db: Db,
  actor: Actor,
  organizationId: string,
  input: { user?: string | undefined; username?: string | undefined; role: Role },
) {
  await getOrganization(db, actor, organizationId);
  assertCanWrite(actor, organizationId, 'its members');
  if (input.user === undefined && input.username === undefined) {
    throw invalid('Say which user to add: give "user" (an id) or "username".', { user: 'required' });
  }
  const by = input.user !== undefined ? { id: input.user } : { username: input.username! };
  const user = await findUserInOrganizations(db, by, administeredOrganizationIds(actor));
  if (!user) {
    const field = input.user !== undefined ? 'user' : 'username';
    throw invalidReference(field, actor.isSuperuser ? 'No user with this id or username exists.' : NOT_ADDABLE);
  }
  await inTransaction(db, async (trx) => {
    await membershipRepository.insertMembership(trx, organizationId, user.id, input.role);
    await recordAudit(trx, actor, {
      action: 'membership.added',
      organizationId,
      target: { type: 'user', id: user.id, label: user.username },
      details: { role: input.role },
    });
  });
  return getMember(db, actor, organizationId, user.id);
}

/**
 * Demoting or removing the last admin is refused unless a superuser does it: someone must be able to manage the
 * organization.
 */
async function assertNotLastAdmin(
  trx: Db,
  actor: Actor,
  organizationId: string,
  userId: string,
): Promise<membershipRepository.MemberRow> {
  const member = await membershipRepository.findMember(trx, organizationId, userId);
  if (!member) throw notFound('membership', userId);
  if (member.role !== 'admin' || actor.isSuperuser) return member;
  if ((await membershipRepository.countAdminsForUpdate(trx, organizationId)) <= 1) {
    throw conflict('LastAdmin', "This is the organization's last admin: make another member admin first.");
  }
  return member;
}

export async function changeMemberRole(
  db: Kysely<Database>,
  actor: Actor,
  organizationId: string,
  userId: string,
  role: Role,
) {
  await getOrganization(db, actor, organizationId);
  assertCanWrite(actor, organizationId, 'its members');
  await db.transaction().execute(async (trx) => {
    const member =
      role !== 'admin'
        ? await assertNotLastAdmin(trx, actor, organizationId, userId)
        : await membershipRepository.findMember(trx, organizationId, userId);
    if (!member || !(await membershipRepository.updateMembershipRole(trx, organizationId, userId, role)))
      throw notFound('membership', userId);
    await recordAudit(trx, actor, {
      action: 'membership.updated',
      organizationId,
      target: { type: 'user', id: userId, label: member.username },
      details: changedFields({ role: member.role }, { role }),
    });
  });
  return getMember(db, actor, organizationId, userId);
}

export async function removeMember(
  db: Kysely<Database>,
  actor: Actor,
  organizationId: string,
  userId: string,
): Promise<void> {
  await getOrganization(db, actor, organizationId);
  assertCanWrite(actor, organizationId, 'its members');
  await db.transaction().execute(async (trx) => {
    const member = await assertNotLastAdmin(trx, actor, organizationId, userId);
    await membershipRepository.deleteMembership(trx, organizationId, userId);
    await recordAudit(trx, actor, {
      action: 'membership.removed',
      organizationId,
      target: { type: 'user', id: userId, label: member.username },
      details: { role: member.role },
    });
  });
}
