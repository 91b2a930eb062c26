import type { Db } from '../../database.js';
import type { SecretBox } from '../../platform/crypto.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../audit/record-audit.js';
import { getWritableDevice } from '../devices/device.service.js';
import * as repository from './agent-token.repository.js';
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

function viewOf(row: Awaited<ReturnType<typeof repository.findActiveToken>>): AgentTokenView {
  return {
    prefix: row?.prefix ?? null,
    created: row?.created ?? null,
    last_used_at: row?.lastUsedAt ?? null,
    rotation_pending: row !== undefined && row.firstUsedAt === null && row.sealedToken !== null,
  };
}
