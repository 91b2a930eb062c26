import type { Db } from '../../database.js';
import { generateSecret, type SecretBox, sha256 } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import * as repository from './agent-token.repository.js';

/** Device tokens of the pull agent: `ffa_` and 256 random bits, stored as their SHA-256 only. */
export const AGENT_TOKEN_PREFIX = 'ffa_';

function tokenRow(token: string) {
  return { tokenHash: sha256(token), prefix: token.slice(0, AGENT_TOKEN_PREFIX.length + 6) };
}

/** The agent's answer to a token that is unknown, revoked, or replaced by one it already used. */
export function agentTokenInvalid(): AppError {
  return new AppError(
    'AgentTokenInvalid',
    'The device token is unknown or revoked: enroll the device again (fleetflash-agent enroll).',
  );
}

/** A new enrollment: every earlier token of the device is revoked, a new one issued (returned once). */
export async function issueEnrollmentToken(db: Db, deviceId: string): Promise<string> {
  const token = generateSecret(AGENT_TOKEN_PREFIX);
  await repository.deleteDeviceTokens(db, deviceId);
  await repository.insertToken(db, { deviceId, ...tokenRow(token), sealedToken: null });
  return token;
}

/**
 * Rotation by a person: a new token, handed to the agent at its next request (sealed until then); the
 * current one keeps working until the agent first uses the new one, so a rotation the agent never
 * received locks nobody out. Returns the new token's prefix.
 */
export async function rotateToken(db: Db, secrets: SecretBox, deviceId: string): Promise<string> {
  const token = generateSecret(AGENT_TOKEN_PREFIX);
  const row = tokenRow(token);
  await repository.markTokensReplaced(db, deviceId);
  await repository.insertToken(db, { deviceId, ...row, sealedToken: secrets.seal(token) });
  return row.prefix;
}

/** Revocation: the device's tokens stop working at once; the agent must enroll again. */
export async function revokeTokens(db: Db, deviceId: string): Promise<number> {
  return repository.deleteDeviceTokens(db, deviceId);
}

export interface AgentIdentity {
  deviceId: string;
  /** A token rotated in that the agent does not have yet: send it (`token=`). */
  newToken: string | null;
}

/**
 * The device a token authenticates. A replaced token is still accepted while its successor was never
 * used (and the answer carries the successor); the first use of a new token ends the old ones.
 */
export async function authenticateAgent(
  db: Db,
  secrets: SecretBox,
  token: string,
  now = new Date(),
): Promise<AgentIdentity> {
  if (!token.startsWith(AGENT_TOKEN_PREFIX)) throw agentTokenInvalid();
  const row = await repository.findTokenByHash(db, sha256(token));
  if (!row) throw agentTokenInvalid();
  if (row.replacedAt === null) {
    await repository.recordTokenUse(db, row, now);
    return { deviceId: row.deviceId, newToken: null };
  }
  const successor = await repository.findActiveToken(db, row.deviceId);
  if (!successor || successor.firstUsedAt !== null || successor.sealedToken === null) throw agentTokenInvalid();
  return { deviceId: row.deviceId, newToken: secrets.open(successor.sealedToken) };
}
