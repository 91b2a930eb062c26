import type { Db } from '../../database.js';
import type { SecretBox } from '../../platform/crypto.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { getWritableDevice } from '../devices/device.service.js';
import { findActiveOperationForDevice } from '../upgrades/operation.repository.js';
import * as repository from './agent-token.repository.js';
import { setManagedOverSsh } from './agent.repository.js';
import { revokeTokens, rotateToken } from './agent-tokens.js';

/** The device token of a device's pull agent, as people manage it (admins of its organization). */
export interface AgentTokenView {
  /** The first characters of the active token (ffa_…), or null when the device has none. */
  prefix: string | null;
  created: Date | null;
  last_used_at: Date | null;
  /** A rotated token not yet taken by the agent (it gets it at its next request). */
  rotation_pending: boolean;
}

/**
 * Rotates the device token of an agent-managed device: the agent receives the new one with its next
 * answer; the old one stops working once the new one was used. Audit-logged (prefix only).
 */
export async function rotateAgentToken(db: Db, secrets: SecretBox, actor: Actor, id: string): Promise<AgentTokenView> {
  const device = await getWritableDevice(db, actor, id);
  if (device.management !== 'agent')
    throw new AppError('AgentNotEnrolled', 'The device is not managed by a pull agent: it has no device token.');
  return inTransaction(db, async (trx) => {
    if (!(await repository.findActiveToken(trx, id)))
      throw new AppError('AgentNotEnrolled', 'The device has no device token (it was revoked): enroll it again.');
    const prefix = await rotateToken(trx, secrets, id);
    await recordAudit(trx, actor, {
      action: 'device.agent_token_rotated',
      organizationId: device.organizationId,
      target: { type: 'device', id, label: device.name },
      details: { prefix },
    });
    return viewOf(await repository.findActiveToken(trx, id));
  });
}

/** Revokes every device token of the device at once: its agent must enroll again. Audit-logged. */
export async function revokeAgentTokens(db: Db, actor: Actor, id: string): Promise<void> {
  const device = await getWritableDevice(db, actor, id);
  await inTransaction(db, async (trx) => {
    const revoked = await revokeTokens(trx, id);
    await recordAudit(trx, actor, {
      action: 'device.agent_token_revoked',
      organizationId: device.organizationId,
      target: { type: 'device', id, label: device.name },
      details: { revoked },
    });
  });
}

/**
 * Hands an agent-managed device back to SSH management (its agent was removed, or the server can reach it
 * now): every device token is revoked, so the agent's next request gets 401, and upgrades connect over
 * SSH again (they need credentials and an address). Refused while an operation of the device is pending or
 * running: its job is the agent's. Audit-logged.
 */
export async function manageOverSsh(db: Db, actor: Actor, id: string): Promise<void> {
  const device = await getWritableDevice(db, actor, id);
  if (device.management !== 'agent') throw new AppError('AgentNotEnrolled', 'The device is managed over SSH already.');
  const active = await findActiveOperationForDevice(db, id);
  if (active)
    throw new AppError(
      'UpgradeAlreadyRunning',
      `The device has an operation ${active.status} (operation ${active.id}), which its agent runs: wait for it, ` +
        'or cancel it first.',
      { operation: active.id },
    );
  await inTransaction(db, async (trx) => {
    const revoked = await revokeTokens(trx, id);
    await setManagedOverSsh(trx, id);
    await recordAudit(trx, actor, {
      action: 'device.managed_over_ssh',
      organizationId: device.organizationId,
      target: { type: 'device', id, label: device.name },
      details: { revoked_tokens: revoked },
    });
  });
}

function viewOf(row: Awaited<ReturnType<typeof repository.findActiveToken>>): AgentTokenView {
  return {
    prefix: row?.prefix ?? null,
    created: row?.created ?? null,
    last_used_at: row?.lastUsedAt ?? null,
    rotation_pending: row !== undefined && row.firstUsedAt === null && row.sealedToken !== null,
  };
}
