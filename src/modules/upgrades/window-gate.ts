import type { Db } from '../../database.js';
import type { Clock } from '../../platform/clock.js';
import { findWindowDeciding, scheduleOf } from '../maintenance-windows/maintenance-window.service.js';
import { decideStart, formatLocal, type WindowSchedule } from '../maintenance-windows/window-schedule.js';
import type { DeviceRow } from '../devices/devices.table.js';
import { findBatchWindowId, rescheduleForWindow } from './window-wait.repository.js';
import type { OperationRow } from './upgrades.table.js';

/**
 * The maintenance-window rule of the upgrade worker: an operation starts only inside its window (the
 * mass upgrade's own, else its device's by group, then location) and more than the end margin before
 * the window closes; the flash itself is checked again, since a transfer takes time. An operation
 * outside its window goes back to pending until the next opening, its attempt not counted.
 */

/** Thrown from beginFlash when the window closed (or came within the margin) during the transfer. */
export class OutsideMaintenanceWindow extends Error {
  constructor(readonly gate: WindowGate) {
    super(`outside maintenance window "${gate.name}"`);
  }
}

export class WindowGate {
  constructor(
    readonly id: string,
    readonly name: string,
    private readonly schedule: WindowSchedule,
    private readonly clock: Clock,
    private readonly marginMs: number,
  ) {}

  decide() {
    return decideStart(this.schedule, this.clock.now(), this.marginMs);
  }

  /** "2026-12-04 01:00 Europe/Berlin": an instant as the window's local time, for log lines. */
  describe(instant: Date): string {
    return `${formatLocal(instant, this.schedule.timeZone)} ${this.schedule.timeZone}`;
  }

  /**
   * Puts the operation back until the window's next opening, with a log line saying so. Returns false
   * when this worker no longer holds it (cancelled meanwhile).
   */
  async waitForOpening(db: Db, operationId: string, owner: string, log: (message: string) => Promise<void>) {
    const decision = this.decide();
    const opens = decision.allowed ? null : decision.opens;
    const now = this.clock.now().getTime();
    // No period of the coming week leaves room before the margin (or none is readable): look again in a day.
    const delaySeconds = opens === null ? 24 * 3600 : Math.max(0, (opens.getTime() - now) / 1000);
    await log(
      opens === null
        ? `Waiting for maintenance window "${this.name}": none of its periods in the coming week is longer than ` +
            `the end margin (${this.marginMs / 60_000} min), so it never opens; checking again in a day. ` +
            'The attempt is not counted.'
        : `Waiting for maintenance window "${this.name}" (opens ${this.describe(opens)}); the attempt is not counted.`,
    );
    return rescheduleForWindow(db, operationId, owner, { delaySeconds, windowId: this.id, opensAt: opens });
  }
}

/**
 * The gate of a claimed operation, or null when nothing restricts it: a single upgrade started with
 * ignore_maintenance_window, or a device without a window in a batch without one. A recorded flash gets
 * its gate too: it is verified whatever the hour (the runner skips the gate for that), but if the device
 * proves the flash never happened, the image is sent again only inside the window.
 */
export async function windowGateFor(
  db: Db,
  clock: Clock,
  marginSeconds: number,
  operation: Pick<OperationRow, 'batchId' | 'ignoreMaintenanceWindow'>,
  device: Pick<DeviceRow, 'organizationId' | 'groupName' | 'location'>,
): Promise<WindowGate | null> {
  if (operation.ignoreMaintenanceWindow) return null;
  const batchWindowId = operation.batchId === null ? null : await findBatchWindowId(db, operation.batchId);
  const window = await findWindowDeciding(db, batchWindowId, device);
  if (!window) return null;
  return new WindowGate(window.id, window.name, scheduleOf(window), clock, marginSeconds * 1000);
}
