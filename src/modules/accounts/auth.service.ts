import { DECOY_PASSWORD_HASH, generateSecret, sha256, verifyPassword } from '../../platform/crypto.js';
import { API_TOKEN_PREFIX } from '../../platform/log-redaction.js';
import type { Db } from '../../database.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { recordAudit } from '../audit/record-audit.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Actor } from './actor.js';
import type { AuthCache } from './auth-cache.js';
import type { ApiTokenRow } from './accounts.table.js';
import * as authRepository from './auth.repository.js';
import { findUserByUsername } from './user.repository.js';

export const TOKEN_PREFIX = API_TOKEN_PREFIX;
export const SESSION_COOKIE = 'fleetflash_session';

/** A token's last-use time is written at most this often, so a busy client does not write on every request. */
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

function toActor(principal: authRepository.Principal, via: Actor['via'], credentialId?: string): Actor {
  return {
    ...(credentialId !== undefined ? { credentialId } : {}),
    userId: principal.userId,
    username: principal.username,
    isSuperuser: principal.isSuperuser,
    memberships: new Map(
      (principal.memberships ?? []).map((membership) => [membership.organizationId, membership.role]),
    ),
    via,
  };
}

/**
 * The actor behind an API token, or null when the token is unknown, expired, or its user inactive.
 * With `cache`, a token seen recently is answered from memory once the cache is known to be fresh
 * (see auth-cache.ts: every access change committed before this call is applied first).
 */
export async function authenticateToken(
  db: Db,
  token: string,
  now = new Date(),
  cache?: AuthCache,
): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const tokenHash = sha256(token);
  const useCache = cache !== undefined && (await cache.fresh());
  const key = useCache ? `t:${tokenHash.toString('base64')}` : '';
  const cached = useCache ? cache.get(key, now) : undefined;
  if (cached) {
    if (!cached.lastUsedAt || now.getTime() - cached.lastUsedAt.getTime() > TOKEN_TOUCH_INTERVAL_MS) {
      cached.lastUsedAt = now;
      await authRepository.touchToken(db, cached.actor.credentialId!, now);
    }
    return cached.actor;
  }
  const generation = cache?.generation ?? 0;
  const principal = await authRepository.findPrincipalByTokenHash(db, tokenHash, now);
  if (!principal) return null;
  let lastUsedAt = principal.lastUsedAt;
  if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > TOKEN_TOUCH_INTERVAL_MS) {
    await authRepository.touchToken(db, principal.tokenId, now);
    lastUsedAt = now;
  }
  const actor = toActor(principal, 'token', principal.tokenId);
  if (useCache)
    cache.set(key, { actor, userId: principal.userId, expiresAt: principal.expiresAt, lastUsedAt }, generation);
  return actor;
}

/** The actor behind a session cookie, or null; `cache` as for `authenticateToken`. */
export async function authenticateSession(
  db: Db,
  sessionToken: string,
  now = new Date(),
  cache?: AuthCache,
): Promise<Actor | null> {
  const sessionHash = sha256(sessionToken);
  const useCache = cache !== undefined && (await cache.fresh());
  const key = useCache ? `s:${sessionHash.toString('base64')}` : '';
  const cached = useCache ? cache.get(key, now) : undefined;
  if (cached) return cached.actor;
  const generation = cache?.generation ?? 0;
  const principal = await authRepository.findPrincipalBySessionHash(db, sessionHash, now);
  if (!principal) return null;
  const actor = toActor(principal, 'session', principal.sessionId);
  if (useCache)
    cache.set(key, { actor, userId: principal.userId, expiresAt: principal.expiresAt, lastUsedAt: null }, generation);
  return actor;
}

/**
 * The actor of an earlier authentication, as it is now: null when its token or session is gone
 * (revoked, logged out, expired) or its user deactivated; otherwise with today's memberships.
 * Long-lived requests (event streams) call it when access changes. Does not touch the token's
 * last-use time: re-checking is not use.
 */
export async function reauthenticate(db: Db, actor: Actor, now = new Date()): Promise<Actor | null> {
  if (actor.credentialId === undefined) return null;
  if (actor.via === 'token') {
    const principal = await authRepository.findPrincipalByTokenId(db, actor.credentialId, now);
    return principal && principal.userId === actor.userId ? toActor(principal, 'token', principal.tokenId) : null;
  }
  if (actor.via === 'session') {
    const principal = await authRepository.findPrincipalBySessionId(db, actor.credentialId, now);
    return principal && principal.userId === actor.userId ? toActor(principal, 'session', principal.sessionId) : null;
  }
  return null;
}

/** The actor for a user by id (CLI commands act as a named user). */
export async function actorForUser(db: Db, userId: string): Promise<Actor> {
  const principal = await authRepository.findPrincipalByUserId(db, userId);
  if (!principal) throw notFound('user', userId);
  return toActor(principal, 'cli');
}

export interface LoginResult {
  sessionToken: string;
  expiresAt: Date;
  userId: string;
}

/** What a failed login with a username that matches no user records instead of it. */
export const UNKNOWN_USER = '(unknown user)';

/**
 * Checks the password and opens a session. The answer for a wrong password, an unknown user and an
 * inactive user is the same, and takes the same time (a decoy hash is checked for unknown users).
 * Both outcomes go to the audit log with the client's `address`; a failure, which changes nothing,
 * in an insert of its own (the log, readable by superusers only for logins, does tell the reason).
 */
export async function login(
  db: Db,
  input: { username: string; password: string; address?: string | undefined },
  ttlSeconds: number,
  now = new Date(),
): Promise<LoginResult> {
  const user = await findUserByUsername(db, input.username);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DECOY_PASSWORD_HASH);
  if (!user || !passwordOk || !user.isActive) {
    // An unknown username may be a password typed into the wrong box: it is not kept. The address still
    // shows somebody guessing names.
    const tried = user ? input.username : UNKNOWN_USER;
    await recordAudit(
      db,
      { anonymous: tried, address: input.address },
      {
        action: 'login.failed',
        organizationId: null,
        target: { type: 'user', id: user?.id ?? null, label: tried },
        details: { reason: !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'deactivated' },
      },
    );
    throw new AppError('InvalidCredentials', 'Wrong username or password, or the account is deactivated.');
  }
  const sessionToken = generateSecret('ffs_');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await inTransaction(db, async (trx) => {
    await authRepository.insertSession(trx, user.id, sha256(sessionToken), expiresAt);
    await authRepository.recordLogin(trx, user.id, now);
    await recordAudit(
      trx,
      { userId: user.id, username: user.username, via: 'session', address: input.address },
      { action: 'login.succeeded', organizationId: null, target: { type: 'user', id: user.id, label: user.username } },
    );
  });
  return { sessionToken, expiresAt, userId: user.id };
}

/** Ends the session of the cookie; `actor` (the session's, when it is still valid) is recorded in the audit log. */
export async function logout(db: Db, sessionToken: string, actor: Actor | null): Promise<void> {
  await inTransaction(db, async (trx) => {
    await authRepository.deleteSessionByHash(trx, sha256(sessionToken));
    if (actor)
      await recordAudit(trx, actor, {
        action: 'logout',
        organizationId: null,
        target: { type: 'user', id: actor.userId, label: actor.username },
      });
  });
}

export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<number> {
  return authRepository.deleteExpiredSessions(db, now);
}

export interface CreatedToken {
  row: ApiTokenRow;
  /** The secret: returned once, never stored. */
  token: string;
}

export async function createApiToken(
  db: Db,
  actor: Actor,
  input: { name: string; expiresInDays?: number | null | undefined },
  now = new Date(),
): Promise<CreatedToken> {
  const name = input.name.trim();
  if (name === '')
    throw invalid('The token needs a name, so you can recognise it later.', { name: 'must not be empty' });
  const token = generateSecret(TOKEN_PREFIX);
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await inTransaction(db, async (trx) => {
    const inserted = await authRepository.insertApiToken(trx, {
      userId: actor.userId,
      name,
      tokenHash: sha256(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      expiresAt,
    });
    // The name and expiry only: neither the token nor its hash nor its prefix.
    await recordAudit(trx, actor, {
      action: 'token.created',
      organizationId: null,
      target: { type: 'token', id: inserted.id, label: name },
      details: { owner: actor.username, expires_at: expiresAt },
    });
    return inserted;
  });
  return { row, token };
}

export async function listApiTokens(db: Db, actor: Actor, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    authRepository.listApiTokens(db, actor.userId, page),
    authRepository.countApiTokens(db, actor.userId),
  ]);
  return { rows, count };
}

export async function getApiToken(db: Db, actor: Actor, tokenId: string): Promise<ApiTokenRow> {
  const row = await authRepository.findApiToken(db, actor.userId, tokenId);
  if (!row) throw notFound('token', tokenId);
  return row;
}

export async function revokeApiToken(db: Db, actor: Actor, tokenId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await authRepository.findApiToken(trx, actor.userId, tokenId);
    if (!row || !(await authRepository.deleteApiToken(trx, actor.userId, tokenId))) throw notFound('token', tokenId);
    await recordAudit(trx, actor, {
      action: 'token.revoked',
      organizationId: null,
      target: { type: 'token', id: row.id, label: row.name },
      details: { owner: actor.username },
    });
  });
}
