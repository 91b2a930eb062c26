import type { Db } from '../../database.js';
import { type AuditContext, changedFields, recordAudit } from '../audit/record-audit.js';
import type { Role, UserRow } from './accounts.table.js';

/**
 * The audit entries of users, in `db`'s transaction. Users are global (no organization): their
 * memberships are recorded with the organization, so its admins see who joined. Never a password:
 * `password_changed: true` says it changed.
 */

function target(user: UserRow) {
  return { type: 'user' as const, id: user.id, label: user.username };
}

export async function recordUserCreated(
  db: Db,
  context: AuditContext,
  user: UserRow,
  memberships: { organization: string; role: Role }[],
): Promise<void> {
  for (const membership of memberships)
    await recordAudit(db, context, {
      action: 'membership.added',
      organizationId: membership.organization,
      target: target(user),
      details: { role: membership.role },
    });
  await recordAudit(db, context, {
    action: 'user.created',
    organizationId: null,
    target: target(user),
    details: { email: user.email, is_superuser: user.isSuperuser, is_active: user.isActive, memberships },
  });
}

/**
 * `user.deactivated` when the change deactivates the user, else `user.updated`, with what changed and
 * the facts (`password_changed`, `tokens_revoked`); nothing when nothing changed (a PATCH repeating
 * the current values).
 */
export async function recordUserUpdated(
  db: Db,
  context: AuditContext,
  before: UserRow,
  changes: { username?: string | undefined; email?: string | undefined; isSuperuser?: boolean | undefined },
  facts: { isActive?: boolean | undefined; passwordChanged: boolean; tokensRevoked: number },
): Promise<void> {
  const fields = (user: {
    username?: string | undefined;
    email?: string | undefined;
    isSuperuser?: boolean | undefined;
    isActive?: boolean | undefined;
  }) => ({ username: user.username, email: user.email, is_superuser: user.isSuperuser, is_active: user.isActive });
  const details = {
    // changedFields leaves out what the change does not name (undefined).
    ...changedFields(fields(before), fields({ ...changes, isActive: facts.isActive })),
    ...(facts.passwordChanged ? { password_changed: true } : {}),
    ...(facts.tokensRevoked > 0 ? { tokens_revoked: facts.tokensRevoked } : {}),
  };
  if (Object.keys(details).length === 0) return;
  await recordAudit(db, context, {
    action: before.isActive && facts.isActive === false ? 'user.deactivated' : 'user.updated',
    organizationId: null,
    target: { ...target(before), label: changes.username ?? before.username },
    details,
  });
}

/**
 * `user.deleted`, and a `membership.removed` (reason `user_deleted`) in each organization the user
 * belonged to: the memberships go with the user, and each organization's admins see them go.
 */
export async function recordUserDeleted(
  db: Db,
  context: AuditContext,
  user: UserRow,
  memberships: { organizationId: string; role: Role }[],
): Promise<void> {
  for (const membership of memberships)
    await recordAudit(db, context, {
      action: 'membership.removed',
      organizationId: membership.organizationId,
      target: target(user),
      details: { role: membership.role, reason: 'user_deleted' },
    });
  await recordAudit(db, context, { action: 'user.deleted', organizationId: null, target: target(user) });
}
