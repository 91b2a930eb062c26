import type { Db } from '../../database.js';
import { literalIp, normaliseIp } from '../../platform/address-policy.js';
import type { AuditAction, AuditTargetType } from './audit-actions.js';
import { insertAuditEntry } from './audit.repository.js';

/**
 * Recording audit entries. Every change records one entry in the transaction that makes the change
 * (pass the transaction as `db`), so an entry exists exactly when its change was committed. Other
 * modules use this file (`recordAudit`, its context types and system actors, `changedFields`) and
 * the vocabulary of audit-actions.ts; nothing else of this module. It imports no other module
 * (.dependency-cruiser.cjs): every module records here, so it stays below all of them.
 */

/**
 * A person: the fields of accounts' `Actor` that an entry keeps (an `Actor` is one), with the
 * request's client address as the request gave it (normalised here). `via: 'cli'` is the CLI's own
 * actor, which is nobody (src/cli/with-runtime.ts): recorded as the system part `cli`.
 */
export interface PersonActor {
  userId: string;
  username: string;
  via: 'session' | 'token' | 'cli';
  address?: string | undefined;
}

/**
 * A part of the server acting on its own (the rollout controller pausing a batch, the image-build
 * worker), or a router registering itself (with the address it came from).
 */
export interface SystemActor {
  system: string;
  address?: string | undefined;
}

/** Somebody who tried to log in: the username they typed (when it exists), the address they came from. */
export interface AnonymousActor {
  anonymous: string;
  address?: string | undefined;
}

/** Who made the change: a person (their `Actor`, with the request's address), a login attempt or the system. */
export type AuditContext = PersonActor | AnonymousActor | SystemActor;

export const ROLLOUT_CONTROLLER: SystemActor = { system: 'rollout-controller' };
export const IMAGE_BUILD_WORKER: SystemActor = { system: 'image-build-worker' };

export interface AuditEntry {
  action: AuditAction;
  /** The organization the target belongs to; null for global objects (users, logins, shared categories). */
  organizationId: string | null;
  /** What changed: its type, id and a label a person recognises (name, username, version). */
  target: { type: AuditTargetType; id: string | null; label: string };
  /** The changed fields and facts worth keeping; secrets are scrubbed anyway (see `scrubSecrets`). */
  details?: Record<string, unknown>;
}

/**
 * Field names that hold secrets (passwords, private keys, passphrases, tokens, hashes, registration
 * secrets). Callers never put secrets in details; this is the safety net should one slip in. Only
 * what can carry a secret is replaced, text and bytes, at any depth under such a name: booleans,
 * numbers and null say that or how many (`password_changed: true`, `tokens_revoked: 3`,
 * `has_private_key: {from: false, to: true}`), not what.
 */
const SECRET_FIELD = /pass(word|phrase)|private_?key|secret|token|hash|credential_?value/i;
export const REDACTED = '[redacted]';

/** `details` with every text or byte value under a secret-looking name replaced, at any depth. */
export function scrubSecrets(value: unknown, underSecretName = false): unknown {
  if (typeof value === 'string') return underSecretName ? REDACTED : value;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return underSecretName ? REDACTED : value;
  if (Array.isArray(value)) return value.map((inner) => scrubSecrets(inner, underSecretName));
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    out[key] = scrubSecrets(inner, underSecretName || SECRET_FIELD.test(key));
  }
  return out;
}

/**
 * The fields of `after` whose value differs from `before`, as `{field: {from, to}}` (undefined in
 * `after`: not part of the change). Values compare by their JSON form, so dates and lists work.
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = before[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/** Appends one entry to the audit log, in `db`'s transaction. */
export async function recordAudit(db: Db, context: AuditContext, entry: AuditEntry): Promise<void> {
  await insertAuditEntry(db, {
    ...actorColumns(context),
    action: entry.action,
    organizationId: entry.organizationId,
    targetType: entry.target.type,
    targetId: entry.target.id,
    targetLabel: entry.target.label,
    details: JSON.stringify(scrubSecrets(entry.details ?? {})),
  });
}

function actorColumns(context: AuditContext) {
  if ('via' in context && context.via === 'cli') return actorColumns({ system: 'cli' });
  if ('system' in context)
    return {
      actorType: 'system' as const,
      actorUserId: null,
      actorName: context.system,
      actorVia: 'system',
      address: ipOrNull(context.address),
    };
  if ('anonymous' in context)
    return {
      actorType: 'anonymous' as const,
      actorUserId: null,
      actorName: context.anonymous,
      actorVia: 'login',
      address: ipOrNull(context.address),
    };
  return {
    actorType: 'user' as const,
    actorUserId: context.userId,
    actorName: context.username,
    actorVia: context.via,
    address: ipOrNull(context.address),
  };
}

/**
 * Only a literal IP address goes into the `inet` column (a request over a Unix socket has none);
 * an IPv4-mapped IPv6 address (a dual-stack socket's) is written as the IPv4 address it carries.
 */
function ipOrNull(address: string | undefined): string | null {
  const literal = address === undefined ? null : literalIp(address);
  return literal === null ? null : normaliseIp(literal);
}
