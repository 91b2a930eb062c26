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

/** `user.deactivated` when the change deactivates the user, else `user.updated`, with what changed. */
export async function recordUserUpdated(
  db: Db,
  context: AuditContext,
  before: UserRow,
  changes: { username?: string | undefined; email?: string | undefined; isSuperuser?: boolean | undefined },
  facts: { isActive?: boolean | undefined; passwordChanged: boolean; tokensRevoked: number },
): Promise<void> {
  const fields = (user: { username?: string; email?: string; isSuperuser?: boolean; isActive?: boolean }) => ({
    username: user.username,
    email: user.email,
    is_superuser: user.isSuperuser,
    is_active: user.isActive,
  });
  await recordAudit(db, context, {
    action: before.isActive && facts.isActive === false ? 'user.deactivated' : 'user.updated',
    organizationId: null,
    target: { ...target(before), label: changes.username ?? before.username },
    details: {
      ...changedFields(
        fields(before),
        fields({ ...stripUndefined(changes), ...stripUndefined({ isActive: facts.isActive }) }),
      ),
      ...(facts.passwordChanged ? { password_changed: true } : {}),
      ...(facts.tokensRevoked > 0 ? { tokens_revoked: facts.tokensRevoked } : {}),
    },
  });
}

export async function recordUserDeleted(db: Db, context: AuditContext, user: UserRow): Promise<void> {
  await recordAudit(db, context, { action: 'user.deleted', organizationId: null, target: target(user) });
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
