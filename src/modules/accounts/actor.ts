import { forbidden, invalid, invalidReference } from '../../platform/errors.js';
import type { Role } from './accounts.table.js';

/**
 * Who is calling, and the permission rules every module applies:
 * - a superuser reads and writes everything;
 * - a member reads its organizations' objects; an `admin` member also writes them; `operator` is read-only;
 * - shared objects (organization null) are readable by everyone, writable by superusers only.
 * An object the caller cannot read must answer 404 (not 403), so existence does not leak.
 */
export interface Actor {
  userId: string;
  username: string;
  isSuperuser: boolean;
  /** Role per organization id; memberships of deactivated organizations are left out. */
  memberships: ReadonlyMap<string, Role>;
  /** How the request authenticated: API tokens can be refused where sessions are not. */
  via: 'session' | 'token' | 'cli';
  /**
   * The id of the API token or session row the request authenticated with (absent for the CLI):
   * long-lived requests (event streams) re-authenticate the same credential when access changes.
   */
  credentialId?: string;
  /**
   * The client address of the request (after the trusted-proxy rule, as the request gave it: the audit
   * log normalises it), for the audit log; absent for the CLI and background work.
   */
  address?: string;
}

export function canRead(actor: Actor, organizationId: string | null): boolean {
  return actor.isSuperuser || organizationId === null || actor.memberships.has(organizationId);
}

export function canWrite(actor: Actor, organizationId: string | null): boolean {
  if (actor.isSuperuser) return true;
  if (organizationId === null) return false;
  return actor.memberships.get(organizationId) === 'admin';
}

/** Organization ids the actor may read, or null for "all" (superusers). */
export function readableOrganizationIds(actor: Actor): string[] | null {
  return actor.isSuperuser ? null : [...actor.memberships.keys()];
}

/** Organization ids where the actor is admin, or null for "all" (superusers). */
export function administeredOrganizationIds(actor: Actor): string[] | null {
  if (actor.isSuperuser) return null;
  return [...actor.memberships].filter(([, role]) => role === 'admin').map(([id]) => id);
}

/** Throws 403 with the reason when the actor may read but not write objects of this organization. */
export function assertCanWrite(actor: Actor, organizationId: string | null, what: string): void {
  if (canWrite(actor, organizationId)) return;
  if (organizationId === null) throw forbidden(`Only superusers can create or change shared ${what}.`);
  throw forbidden(
    `Your role in this organization is "operator", which is read-only: ask an organization admin to change ${what}.`,
  );
}

export function assertSuperuser(actor: Actor, action: string): void {
  if (!actor.isSuperuser) throw forbidden(`Only superusers can ${action}.`);
}

/**
 * The organization a new object goes to: the one given (it must be one the actor can see), or,
 * when none is given, the only organization the actor administers.
 */
export function owningOrganizationId(actor: Actor, given: string | undefined, what: string): string {
  if (given === undefined) {
    const administered = administeredOrganizationIds(actor);
    if (administered && administered.length === 1) return administered[0]!;
    throw invalid(`Say which organization the ${what} belongs to ("organization": an organization id).`, {
      organization: 'This field is required.',
    });
  }
  if (!canRead(actor, given))
    throw invalidReference('organization', `Organization ${given} does not exist or is not yours.`);
  return given;
}
