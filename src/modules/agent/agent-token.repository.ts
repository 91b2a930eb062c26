import type { Db } from '../../database.js';
import type { AgentTokenRow } from './agent.table.js';

/** The pull agent's device tokens (stored hashed; see agent-tokens.ts). */

/** The token with this hash, with its device's id, or undefined. */
export async function findTokenByHash(db: Db, tokenHash: Buffer): Promise<AgentTokenRow | undefined> {
  return db.selectFrom('agentTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

/** The device's active token (the newest, not replaced), or undefined. */
export async function findActiveToken(db: Db, deviceId: string): Promise<AgentTokenRow | undefined> {
  return db
    .selectFrom('agentTokens')
    .selectAll()
    .where('deviceId', '=', deviceId)
    .where('replacedAt', 'is', null)
    .executeTakeFirst();
}

export async function insertToken(
  db: Db,
  row: { deviceId: string; tokenHash: Buffer; prefix: string; sealedToken: string | null },
): Promise<AgentTokenRow> {
  return db.insertInto('agentTokens').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Marks the device's active token replaced (it stays valid until its successor is first used). */
export async function markTokensReplaced(db: Db, deviceId: string): Promise<void> {
  await db
    .updateTable('agentTokens')
    .set({ replacedAt: new Date() })
    .where('deviceId', '=', deviceId)
    .where('replacedAt', 'is', null)
    .execute();
}

/** Deletes every token of the device (revocation, or a new enrollment); returns how many. */
export async function deleteDeviceTokens(db: Db, deviceId: string): Promise<number> {
  const result = await db.deleteFrom('agentTokens').where('deviceId', '=', deviceId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The agent used its active token: the first use forgets the sealed copy and the replaced tokens. */
export async function recordTokenUse(db: Db, token: AgentTokenRow, now: Date): Promise<void> {
  if (token.firstUsedAt === null) {
    await db
      .updateTable('agentTokens')
      .set({ firstUsedAt: now, lastUsedAt: now, sealedToken: null })
      .where('id', '=', token.id)
      .execute();
    await db
      .deleteFrom('agentTokens')
      .where('deviceId', '=', token.deviceId)
      .where('replacedAt', 'is not', null)
      .execute();
    return;
  }
  await db.updateTable('agentTokens').set({ lastUsedAt: now }).where('id', '=', token.id).execute();
}
