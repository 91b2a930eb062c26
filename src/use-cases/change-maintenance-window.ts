import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { type Actor, assertCanWrite } from '../modules/accounts/actor.js';
import {
  deleteWindow,
  getWindow,
  updateWindow,
  type WindowInput,
  type WindowRules,
} from '../modules/maintenance-windows/maintenance-window.service.js';
import type { MaintenanceWindowRow } from '../modules/maintenance-windows/maintenance-windows.table.js';
import { assertWindowNotInUse, wakeOperationsOfWindow } from '../modules/upgrades/window-wait.service.js';

/**
 * Changing or deleting a maintenance window, in one transaction with its effect on upgrades: the
 * operations waiting for it are decided again at once (new hours may open it now, or later), and a
 * window a running mass upgrade names cannot be deleted (the batch would lose its hours silently).
 */

export async function updateMaintenanceWindow(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  changes: WindowInput,
  rules: WindowRules,
): Promise<MaintenanceWindowRow> {
  return db.transaction().execute(async (trx) => {
    const row = await updateWindow(trx, actor, id, changes, rules);
    await wakeOperationsOfWindow(trx, id);
    return row;
  });
}

export async function deleteMaintenanceWindow(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await getWindow(trx, actor, id);
    assertCanWrite(actor, current.organizationId, 'maintenance windows');
    await assertWindowNotInUse(trx, id);
    await wakeOperationsOfWindow(trx, id);
    await deleteWindow(trx, actor, current);
  });
}
