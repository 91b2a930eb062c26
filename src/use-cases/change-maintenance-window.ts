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
    const before = await getWindow(trx, actor, id);
    const row = await updateWindow(trx, actor, id, changes, rules);
    // A new name changes no decision: only the hours and the devices covered wake the waiting upgrades.
    if (decidesDifferently(before, row)) await wakeOperationsOfWindow(trx, id);
    return row;
  });
}

function decidesDifferently(before: MaintenanceWindowRow, after: MaintenanceWindowRow): boolean {
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((name) => b.includes(name));
  return (
    before.timeZone !== after.timeZone ||
    JSON.stringify(before.schedule) !== JSON.stringify(after.schedule) ||
    !sameSet(before.groups, after.groups) ||
    !sameSet(before.locations, after.locations)
  );
}

export async function deleteMaintenanceWindow(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Locked first: a mass upgrade launch naming it (which locks it for share) finishes before the check.
    const current = await getWindow(trx, actor, id, { forUpdate: true });
    assertCanWrite(actor, current.organizationId, 'maintenance windows');
    await assertWindowNotInUse(trx, id);
    await wakeOperationsOfWindow(trx, id);
    await deleteWindow(trx, actor, current);
  });
}
