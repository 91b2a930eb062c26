import { UUID_PATTERN } from '../../platform/uuid.js';
import { timingSafeEqual } from 'node:crypto';
import { generateSecret, sha256 } from '../../platform/crypto.js';
import type { Db } from '../../database.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { type Actor, assertCanWrite, assertSuperuser, canRead, readableOrganizationIds } from './actor.js';
import type { OrganizationRow } from './accounts.table.js';
import { changedFields, recordAudit } from '../audit/record-audit.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import * as organizationRepository from './organization.repository.js';

/** Lower-case words joined by dashes: "ACME Networks, Inc." → "acme-networks-inc". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}

export async function listOrganizations(
  db: Db,
  actor: Actor,
  filter: { slug?: string | undefined; isActive?: boolean | undefined },
  page: { limit: number; offset: number },
) {
  const query = { ids: readableOrganizationIds(actor), slug: filter.slug, isActive: filter.isActive };
  const [rows, count] = await Promise.all([
    organizationRepository.listOrganizations(db, query, page),
    organizationRepository.countOrganizations(db, query),
  ]);
  return { rows, count };
}

/** The organization if the actor may see it; 404 otherwise. */
export async function getOrganization(db: Db, actor: Actor, id: string): Promise<OrganizationRow> {
  const row = await organizationRepository.findOrganizationById(db, id);
  if (!row || !canRead(actor, row.id)) throw notFound('organization', id);
  return row;
}

/**
 * How a request names an organization: by slug (list filters), by id (a reference in a body), or
 * either (`idOrSlug`: a uuid is taken as an id, anything else as a slug).
 */
export type OrganizationRef = { slug: string } | { id: string } | { idOrSlug: string };

/**
 * The one way from a slug or an id to an organization: the organization if it exists and the actor
 * may see it; undefined otherwise, whichever it is, so that existence does not leak.
 */
export async function findVisibleOrganization(
  db: Db,
  actor: Actor,
  ref: OrganizationRef,
): Promise<OrganizationRow | undefined> {
  let row: OrganizationRow | undefined;
  const { findOrganizationById, findOrganizationBySlug } = organizationRepository;
  if ('slug' in ref) row = await findOrganizationBySlug(db, ref.slug);
  else if ('id' in ref) row = UUID_PATTERN.test(ref.id) ? await findOrganizationById(db, ref.id) : undefined;
  else if (UUID_PATTERN.test(ref.idOrSlug)) row = await findOrganizationById(db, ref.idOrSlug);
  else row = await findOrganizationBySlug(db, ref.idOrSlug);
  return row && canRead(actor, row.id) ? row : undefined;
}

/**
 * Resolves `?organization=<slug>` of a list: undefined without the filter; null when the slug names
 * nothing the actor can see (the list is then empty, without revealing whether it exists); else its id.
 */
export async function resolveOrganizationFilter(
  db: Db,
  actor: Actor,
  slug: string | undefined,
): Promise<string | null | undefined> {
  if (slug === undefined) return undefined;
  return (await findVisibleOrganization(db, actor, { slug }))?.id ?? null;
}

export interface OrganizationInput {
  name: string;
  slug?: string | undefined;
  description?: string | undefined;
  isActive?: boolean | undefined;
}

export async function createOrganization(db: Db, actor: Actor, input: OrganizationInput): Promise<OrganizationRow> {
  assertSuperuser(actor, 'create organizations');
  const slug = input.slug ?? slugify(input.name);
  if (slug === '')
    throw invalid('Cannot derive a slug from this name: give a slug of lower-case letters, digits and dashes.', {
      slug: 'required',
    });
  return inTransaction(db, async (trx) => {
    const row = await organizationRepository.insertOrganization(trx, {
      name: input.name.trim(),
      slug,
      description: input.description ?? '',
      isActive: input.isActive ?? true,
    });
    await recordAudit(trx, actor, {
      action: 'organization.created',
      organizationId: row.id,
      target: { type: 'organization', id: row.id, label: row.name },
      details: { slug: row.slug, description: row.description, is_active: row.isActive },
    });
    return row;
  });
}

/** Organization admins may rename and describe their organization; slug and activation are for superusers. */
export async function updateOrganization(
  db: Db,
  actor: Actor,
  id: string,
  changes: Partial<OrganizationInput>,
): Promise<OrganizationRow> {
  const current = await getOrganization(db, actor, id);
  assertCanWrite(actor, current.id, 'the organization');
  const slugChanged = changes.slug !== undefined && changes.slug !== current.slug;
  const activeChanged = changes.isActive !== undefined && changes.isActive !== current.isActive;
  if (slugChanged || activeChanged) assertSuperuser(actor, "change an organization's slug or deactivate it");
  return inTransaction(db, async (trx) => {
    // Read again, locked: the entry's `from` is what this change replaced, not what a concurrent one did.
    const before = await organizationRepository.findOrganizationByIdForUpdate(trx, id);
    if (!before) throw notFound('organization', id);
    const row = await organizationRepository.updateOrganization(trx, id, {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.slug !== undefined ? { slug: changes.slug } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.isActive !== undefined ? { isActive: changes.isActive } : {}),
    });
    if (!row) throw notFound('organization', id);
    const fields = ({ name, slug, description, isActive }: OrganizationRow) => ({
      name,
      slug,
      description,
      is_active: isActive,
    });
    const details = changedFields(fields(before), fields(row));
    // A change that changes nothing (the same values again) leaves no entry.
    if (Object.keys(details).length > 0)
      await recordAudit(trx, actor, {
        action: before.isActive && !row.isActive ? 'organization.deactivated' : 'organization.updated',
        organizationId: row.id,
        target: { type: 'organization', id: row.id, label: row.name },
        details,
      });
    return row;
  });
}

export async function deleteOrganization(db: Db, actor: Actor, id: string): Promise<void> {
  const current = await getOrganization(db, actor, id);
  assertSuperuser(actor, 'delete organizations');
  await inTransaction(db, async (trx) => {
    if (!(await organizationRepository.deleteOrganization(trx, id))) throw notFound('organization', id);
    await recordAudit(trx, actor, {
      action: 'organization.deleted',
      organizationId: id,
      target: { type: 'organization', id, label: current.name },
      details: { slug: current.slug },
    });
  });
}

/**
 * A new registration secret for the organization's routers and agents, replacing the old one.
 * Shown in this answer only; the database keeps its SHA-256.
 */
export async function generateRegistrationSecret(db: Db, actor: Actor, id: string): Promise<string> {
  const organization = await getOrganization(db, actor, id);
  assertCanWrite(actor, organization.id, "the organization's registration secret");
  const secret = generateSecret('ffr_');
  await inTransaction(db, async (trx) => {
    await organizationRepository.updateOrganization(trx, id, { registrationSecretHash: sha256(secret) });
    await recordAudit(trx, actor, {
      action: 'organization.registration_secret_changed',
      organizationId: id,
      target: { type: 'organization', id, label: organization.name },
    });
  });
  return secret;
}

/** Why a registration is refused (the audit log's `reason`); the answer to the router is the same for all. */
export const REGISTRATION_REFUSALS = [
  'unknown_organization',
  'organization_inactive',
  'no_registration_secret',
  'wrong_secret',
] as const;
export type RegistrationRefusal = (typeof REGISTRATION_REFUSALS)[number];

/**
 * Checks a registering device's slug and secret: the organization the slug names (if any) and why
 * the registration is refused (null: accepted).
 */
export async function checkRegistrationSecret(
  db: Db,
  slug: string,
  secret: string,
): Promise<{ organization: OrganizationRow | undefined; refusal: RegistrationRefusal | null }> {
  const organization = await organizationRepository.findOrganizationBySlug(db, slug);
  const expected = organization?.registrationSecretHash;
  const matches = expected ? timingSafeEqual(expected, sha256(secret)) : false;
  const refusal: RegistrationRefusal | null = !organization
    ? 'unknown_organization'
    : !organization.isActive
      ? 'organization_inactive'
      : !expected
        ? 'no_registration_secret'
        : matches
          ? null
          : 'wrong_secret';
  return { organization, refusal };
}

/** The organization a registering device belongs to, when slug and secret match an active one. */
export async function verifyRegistrationSecret(db: Db, slug: string, secret: string): Promise<OrganizationRow> {
  const { organization, refusal } = await checkRegistrationSecret(db, slug, secret);
  if (refusal !== null || !organization) {
    throw new AppError(
      'InvalidRegistrationSecret',
      'Registration refused: check the organization slug and its registration secret (an organization admin can ' +
        'generate a new one).',
    );
  }
  return organization;
}
