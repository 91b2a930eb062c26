import type { Db } from '../../database.js';
import { type AuditContext, changedFields, recordAudit } from '../audit/record-audit.js';
import type { DeviceRow } from './devices.table.js';

/** What the audit log keeps of a device, under the API's field names. */
function auditedFields(device: DeviceRow) {
  return {
    name: device.name,
    mac_address: device.macAddress,
    model: device.model,
    board_name: device.boardName,
    os: device.os,
    management_ip: device.managementIp,
    ssh_port: device.sshPort,
    group: device.groupName,
    location: device.location,
    is_active: device.isActive,
    credentials: device.credentialsId,
  };
}

function target(device: DeviceRow) {
  return { type: 'device' as const, id: device.id, label: device.name };
}

/**
 * Records a device's creation (`device.created`, or `device.registered` when the router announced
 * itself), change or deletion, in `db`'s transaction. A change that changed nothing is not recorded
 * (a router re-registering with the same facts at every boot would flood the log).
 */
export async function recordDeviceAudit(
  db: Db,
  context: AuditContext,
  change:
    | { action: 'device.created' | 'device.registered' | 'device.deleted'; device: DeviceRow }
    | { action: 'device.updated' | 'device.registered'; previous: DeviceRow; device: DeviceRow },
): Promise<void> {
  const { device } = change;
  if ('previous' in change) {
    const details = changedFields(auditedFields(change.previous), auditedFields(device));
    if (Object.keys(details).length === 0) return;
    await recordAudit(db, context, {
      action: change.action,
      organizationId: device.organizationId,
      target: target(device),
      details,
    });
    return;
  }
  await recordAudit(db, context, {
    action: change.action,
    organizationId: device.organizationId,
    target: target(device),
    details: change.action === 'device.deleted' ? { mac_address: device.macAddress } : auditedFields(device),
  });
}
