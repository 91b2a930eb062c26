import type { Db } from '../../database.js';
import type { Actor } from '../accounts/actor.js';
import { defaultHealthCheckOfCategory } from '../firmware/category.service.js';
import { resolveUpgradeHealthCheck } from '../health-checks/health-check.service.js';
import type { StoredHealthCheck } from './health-check-to-run.js';

/**
 * The health check a requested upgrade keeps (a copy): the one its request names, none for an explicit
 * null, else the default of the category of the build it installs.
 */
export async function healthCheckForUpgrade(
  db: Db,
  actor: Actor,
  input: { choice: string | null | undefined; categoryId: string; organizationId: string | null },
): Promise<StoredHealthCheck | null> {
  const categoryDefault = input.choice === undefined ? await defaultHealthCheckOfCategory(db, input.categoryId) : null;
  return resolveUpgradeHealthCheck(db, actor, { ...input, categoryDefault });
}
