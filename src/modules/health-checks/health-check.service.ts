import type { Db } from '../../database.js';
import { inTransaction } from '../../platform/db/in-transaction.js';
import { AppError, conflict, invalid, invalidReference } from '../../platform/errors.js';
import {
  type Actor,
  assertCanWrite,
  canRead,
  owningOrganizationId,
  readableOrganizationIds,
} from '../accounts/actor.js';
import { changedFields, recordAudit } from '../audit/record-audit.js';
import * as healthCheckRepository from './health-check.repository.js';
import { MAX_HEALTH_CHECKS_PER_ORGANIZATION, type Probe, probesOf } from './health-checks.schema.js';
import type { HealthCheckRow } from './health-checks.table.js';

/**
 * Health checks: named lists of probes (shell commands that must exit 0 within their timeout) that an
 * upgrade runs on the router after proof of boot. Kept per organization; admins write, operators read.
 * A firmware category may name one as the default of its upgrades; a mass or single upgrade may choose
 * another, or none. An upgrade keeps a copy of the check it was requested with.
 */

export interface HealthCheckInput {
  organization?: string | undefined;
  name?: string | undefined;
  probes?: Probe[] | undefined;
}

/** The copy of a check an upgrade carries (upgrade_operations.health_check). */
export interface HealthCheckSnapshot {
  id: string | null;
  name: string;
  probes: Probe[];
}

export async function listHealthChecks(
  db: Db,
  actor: Actor,
  organizationId: string | null | undefined,
  page: { limit: number; offset: number },
) {
  if (organizationId === null) return { rows: [], count: 0 };
  const filter = { organizationIds: readableOrganizationIds(actor), organizationId };
  const [rows, count] = await Promise.all([
    healthCheckRepository.listHealthChecks(db, filter, page),
    healthCheckRepository.countHealthChecks(db, filter),
  ]);
  return { rows, count };
}

/** A check the actor may read; another organization's answers 404. */
export async function getHealthCheck(db: Db, actor: Actor, id: string): Promise<HealthCheckRow> {
  const row = await healthCheckRepository.findHealthCheckById(db, id);
  if (!row || !canRead(actor, row.organizationId)) throw healthCheckNotFound(id);
  return row;
}

function healthCheckNotFound(id: string): AppError {
  return new AppError('HealthCheckNotFound', `health check ${id} not found`);
}

/** Probe names say which probe failed in the log: they must tell the probes apart. */
function checkProbeNames(probes: Probe[]): void {
  const seen = new Set<string>();
  probes.forEach((probe, index) => {
    const name = probe.name.trim();
    if (seen.has(name))
      throw invalid(`Two probes are named "${name}": give each probe its own name.`, {
        [`probes.${index}.name`]: 'duplicate name',
      });
    seen.add(name);
  });
}

function auditedFields(row: HealthCheckRow) {
  return { name: row.name, probes: probesOf(row) };
}

export async function createHealthCheck(db: Db, actor: Actor, input: HealthCheckInput): Promise<HealthCheckRow> {
  const organizationId = owningOrganizationId(actor, input.organization, 'health check');
  assertCanWrite(actor, organizationId, 'health checks');
  const probes = input.probes ?? [];
  checkProbeNames(probes);
  return inTransaction(db, async (trx) => {
    await healthCheckRepository.lockOrganizationForHealthChecks(trx, organizationId);
    const count = await healthCheckRepository.countHealthChecks(trx, { organizationIds: [organizationId] });
    if (count >= MAX_HEALTH_CHECKS_PER_ORGANIZATION)
      throw conflict(
        'Conflict',
        `An organization keeps at most ${MAX_HEALTH_CHECKS_PER_ORGANIZATION} health checks: delete one first.`,
      );
    const row = await healthCheckRepository.insertHealthCheck(trx, {
      organizationId,
      name: (input.name ?? '').trim(),
      probes: JSON.stringify(probes),
    });
    await recordAudit(trx, actor, {
      action: 'health_check.created',
      organizationId,
      target: { type: 'health_check', id: row.id, label: row.name },
      details: auditedFields(row),
    });
    return row;
  });
}

export async function updateHealthCheck(
  db: Db,
  actor: Actor,
  id: string,
  changes: HealthCheckInput,
): Promise<HealthCheckRow> {
  return inTransaction(db, async (trx) => {
    const current = await getHealthCheck(trx, actor, id);
    assertCanWrite(actor, current.organizationId, 'health checks');
    if (changes.organization !== undefined && changes.organization !== current.organizationId) {
      throw invalid('A health check cannot move to another organization: create one there.', {
        organization: 'cannot be changed',
      });
    }
    if (changes.probes !== undefined) checkProbeNames(changes.probes);
    const row = await healthCheckRepository.updateHealthCheck(trx, id, {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.probes !== undefined ? { probes: JSON.stringify(changes.probes) } : {}),
    });
    if (!row) throw healthCheckNotFound(id);
    const details = changedFields(auditedFields(current), auditedFields(row));
    if (Object.keys(details).length > 0)
      await recordAudit(trx, actor, {
        action: 'health_check.updated',
        organizationId: row.organizationId,
        target: { type: 'health_check', id: row.id, label: row.name },
        details,
      });
    return row;
  });
}

/**
 * Deletes a check. Upgrades already requested keep their copy and still run it; categories that named
 * it as their default have none afterwards (the foreign key sets it null).
 */
export async function deleteHealthCheck(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await getHealthCheck(trx, actor, id);
    assertCanWrite(actor, current.organizationId, 'health checks');
    await healthCheckRepository.deleteHealthCheck(trx, id);
    await recordAudit(trx, actor, {
      action: 'health_check.deleted',
      organizationId: current.organizationId,
      target: { type: 'health_check', id: current.id, label: current.name },
      details: auditedFields(current),
    });
  });
}

/**
 * A check an object of `organizationId` may name (a category's default, an upgrade's choice): one of
 * that organization, visible to the actor. Anything else is a 400 naming `field`.
 */
export async function findHealthCheckFor(
  db: Db,
  actor: Actor,
  id: string,
  organizationId: string | null,
  field: string,
): Promise<HealthCheckRow> {
  const row = await healthCheckRepository.findHealthCheckById(db, id);
  if (!row || !canRead(actor, row.organizationId) || row.organizationId !== organizationId)
    throw invalidReference(field, `Health check ${id} does not exist in the organization of the ${objectOf(field)}.`);
  return row;
}

function objectOf(field: string): string {
  return field === 'health_check' ? 'devices to upgrade' : field;
}

/**
 * The check an upgrade runs, as the copy it keeps: the chosen one (`choice` an id), none (`choice`
 * null), or, when nothing was chosen (undefined), the category's default.
 */
export async function resolveUpgradeHealthCheck(
  db: Db,
  actor: Actor,
  input: { choice: string | null | undefined; categoryDefault: string | null; organizationId: string | null },
): Promise<HealthCheckSnapshot | null> {
  if (input.choice === null) return null;
  if (input.choice !== undefined) {
    const row = await findHealthCheckFor(db, actor, input.choice, input.organizationId, 'health_check');
    return { id: row.id, name: row.name, probes: probesOf(row) };
  }
  if (input.categoryDefault === null) return null;
  // The category's default is applied as it stands; an admin chose it, so reading it needs no more rights.
  const row = await healthCheckRepository.findHealthCheckById(db, input.categoryDefault);
  return row ? { id: row.id, name: row.name, probes: probesOf(row) } : null;
}
