import type { Db } from '../../database.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { type AuditContext, recordAudit } from '../audit/record-audit.js';
import type { BatchRow } from './upgrades.table.js';

/** Records a single-device upgrade action (`upgrade.*`) on operation `operationId`, in `db`'s transaction. */
export async function recordUpgradeAudit(
  db: Db,
  context: AuditContext,
  action: Extract<AuditAction, `upgrade.${string}`>,
  operation: { operationId: string; organizationId: string; deviceId: string; deviceName: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, context, {
    action,
    organizationId: operation.organizationId,
    target: { type: 'operation', id: operation.operationId, label: operation.deviceName },
    details: { device: operation.deviceId, ...details },
  });
}

/** Records a mass-upgrade action (`batch.*`), in `db`'s transaction; the label is the build version. */
export async function recordBatchAudit(
  db: Db,
  context: AuditContext,
  action: Extract<AuditAction, `batch.${string}`>,
  batch: Pick<BatchRow, 'id' | 'organizationId' | 'buildVersion'>,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, context, {
    action,
    organizationId: batch.organizationId,
    target: { type: 'batch', id: batch.id, label: batch.buildVersion },
    details,
  });
}
