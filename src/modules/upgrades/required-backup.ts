import type { Db } from '../../database.js';
import { type Upgrader, UpgradeFailed } from '../upgraders/upgrader.js';
import { hasBackupInRetryChain } from './operation.repository.js';
import type { OperationRow } from './upgrades.table.js';

/**
 * The engine's guard for the backup option `required`, checked when the flash begins. Taking the
 * backup is the upgrader's step (only it knows how the device writes one); an upgrader that does not
 * declare `capabilities.backup` may ignore `backupMode` and would flash with no backup although the
 * option says one is required. Such an upgrade ends with `backup-failed` before the flash, unless a
 * backup of the operation (or of the upgrade it retries) was kept after all.
 */
export async function assertRequiredBackupKept(
  db: Db,
  upgrader: Upgrader,
  operation: Pick<OperationRow, 'id' | 'kind' | 'backupMode'>,
): Promise<void> {
  if (operation.kind !== 'upgrade' || operation.backupMode !== 'required') return;
  if (upgrader.capabilities?.backup === true) return;
  if (await hasBackupInRetryChain(db, operation.id)) return;
  throw new UpgradeFailed(
    'backup-failed',
    `The ${upgrader.name} upgrader took no configuration backup, and the backup option is "required": nothing ` +
      'was flashed. Upgrade with the backup option "best-effort" or "off" to flash without one.',
  );
}
