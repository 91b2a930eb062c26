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
import * as windowRepository from './maintenance-window.repository.js';
import type { MaintenanceWindowRow } from './maintenance-windows.table.js';
import { checkStoredSchedule } from './stored-schedule.js';
import {
  canonicalTimeZone,
  decideStart,
  parseTimeOfDay,
  type SchedulePeriod,
  type WindowSchedule,
} from './window-schedule.js';

/**
 * Maintenance windows: weekly hours in a time zone in which an organization's devices may start an
 * upgrade. A window covers the devices of the groups and locations it names (a group decides before a
 * location; each group and each location belongs to at most one window), and a mass upgrade may name a
 * window of its own that overrides them. Admins write, operators read.
 */

export interface WindowInput {
  organization?: string | undefined;
  name?: string | undefined;
  timeZone?: string | undefined;
  schedule?: SchedulePeriod[] | undefined;
  appliesTo?: { groups?: string[] | undefined; locations?: string[] | undefined } | undefined;
}

/** The setting a window's hours are checked against: no flash starts within this of a period's end. */
export interface WindowRules {
  endMarginSeconds: number;
}

export async function listWindows(
  db: Db,
  actor: Actor,
  organizationId: string | null | undefined,
  page: { limit: number; offset: number },
) {
  if (organizationId === null) return { rows: [], count: 0 };
  const filter = { organizationIds: readableOrganizationIds(actor), organizationId };
  const [rows, count] = await Promise.all([
    windowRepository.listWindows(db, filter, page),
    windowRepository.countWindows(db, filter),
  ]);
  return { rows, count };
}

/** A window the actor can read (locked for update with `forUpdate`, in a transaction that deletes it). */
export async function getWindow(
  db: Db,
  actor: Actor,
  id: string,
  { forUpdate = false } = {},
): Promise<MaintenanceWindowRow> {
  const row = await windowRepository.findWindowById(db, id, forUpdate ? 'update' : undefined);
  if (!row || !canRead(actor, row.organizationId)) throw windowNotFound(id);
  return row;
}

function windowNotFound(id: string): AppError {
  return new AppError('MaintenanceWindowNotFound', `maintenance window ${id} not found`);
}

/** The IANA name as ICU spells it, or a 400 saying what is accepted. */
function checkTimeZone(name: string): string {
  const canonical = canonicalTimeZone(name.trim());
  if (canonical === null) {
    throw invalid(
      `"${name}" is not a time zone this server knows: give an IANA name such as "Europe/Berlin" or ` +
        '"America/New_York" (offsets and abbreviations such as "CET" do not follow daylight saving).',
      { time_zone: 'unknown time zone' },
    );
  }
  return canonical;
}

/** The name without surrounding blanks; a name of blanks only is a 400 on `name`. */
function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid('Give the window a name (it is blank).', { name: 'blank' });
  return trimmed;
}

function checkSchedule(periods: SchedulePeriod[]): void {
  periods.forEach((period, index) => {
    if (parseTimeOfDay(period.start) === parseTimeOfDay(period.end)) {
      throw invalid(
        `Period ${index + 1} starts and ends at ${period.start}: give an end after the start, or before it for a ` +
          'window that crosses midnight.',
        { [`schedule.${index}.end`]: 'equals the start' },
      );
    }
  });
}

/**
 * Refuses hours in which nothing could ever start: no period of the coming week (touching periods merged,
 * daylight saving applied) is longer than the end margin. Its upgrades would wait forever.
 */
function checkOpens(timeZone: string, schedule: SchedulePeriod[], rules: WindowRules, now = new Date()): void {
  const decision = decideStart({ timeZone, periods: schedule }, now, rules.endMarginSeconds * 1000);
  if (decision.allowed || decision.opens !== null) return;
  const minutes = Math.round(rules.endMarginSeconds / 60);
  const periods = schedule.map((period) => `${period.days.join(',')} ${period.start}–${period.end}`);
  throw invalid(
    `This window never opens: none of its periods (${periods.join('; ')}) is longer than the end margin ` +
      `(setting window_end_margin, ${minutes} min), and no flash starts within the margin of a period's end. ` +
      'Make a period longer.',
    Object.fromEntries(
      schedule.map((_, index) => [`schedule.${index}.end`, `not more than ${minutes} min after the start`]),
    ),
  );
}

/** Refuses groups and locations another window of the organization already covers. */
async function assertNamesFree(
  trx: Db,
  organizationId: string,
  names: { groups: string[]; locations: string[] },
  exceptId: string | null,
): Promise<void> {
  await windowRepository.lockOrganizationWindows(trx, organizationId);
  const others = await windowRepository.findWindowsNaming(trx, organizationId, names, exceptId);
  const fields: Record<string, string> = {};
  const taken: string[] = [];
  for (const other of others) {
    const groups = other.groups.filter((group) => names.groups.includes(group));
    const locations = other.locations.filter((location) => names.locations.includes(location));
    if (groups.length > 0) fields['applies_to.groups'] = `already in window "${other.name}": ${groups.join(', ')}`;
    if (locations.length > 0)
      fields['applies_to.locations'] = `already in window "${other.name}": ${locations.join(', ')}`;
    taken.push(`"${other.name}" (${[...groups, ...locations].join(', ')})`);
  }
  if (taken.length > 0) {
    throw conflict(
      'Conflict',
      `A device group or location belongs to one maintenance window at most, and these are taken by ${taken.join(
        ', ',
      )}: remove them there first.`,
      fields,
    );
  }
}

/** What the audit log keeps of a window. */
function auditedFields(row: MaintenanceWindowRow) {
  return {
    name: row.name,
    time_zone: row.timeZone,
    schedule: row.schedule,
    groups: row.groups,
    locations: row.locations,
  };
}

export async function createWindow(
  db: Db,
  actor: Actor,
  input: WindowInput,
  rules: WindowRules,
): Promise<MaintenanceWindowRow> {
  const organizationId = owningOrganizationId(actor, input.organization, 'maintenance window');
  assertCanWrite(actor, organizationId, 'maintenance windows');
  const name = checkName(input.name ?? '');
  const timeZone = checkTimeZone(input.timeZone ?? '');
  const schedule = input.schedule ?? [];
  checkSchedule(schedule);
  checkOpens(timeZone, schedule, rules);
  const names = { groups: input.appliesTo?.groups ?? [], locations: input.appliesTo?.locations ?? [] };
  return inTransaction(db, async (trx) => {
    await assertNamesFree(trx, organizationId, names, null);
    const row = await windowRepository.insertWindow(trx, {
      organizationId,
      name,
      timeZone,
      schedule: JSON.stringify(schedule),
      ...names,
    });
    await recordAudit(trx, actor, {
      action: 'maintenance_window.created',
      organizationId,
      target: { type: 'maintenance_window', id: row.id, label: row.name },
      details: auditedFields(row),
    });
    return row;
  });
}

/**
 * Changes a window in `trx` (the use case that calls it also wakes the operations waiting for it, so
 * that they are decided again under the new hours).
 */
export async function updateWindow(
  trx: Db,
  actor: Actor,
  id: string,
  changes: WindowInput,
  rules: WindowRules,
): Promise<MaintenanceWindowRow> {
  const current = await getWindow(trx, actor, id);
  assertCanWrite(actor, current.organizationId, 'maintenance windows');
  if (changes.organization !== undefined && changes.organization !== current.organizationId) {
    throw invalid('A maintenance window cannot move to another organization: create one there.', {
      organization: 'cannot be changed',
    });
  }
  if (changes.schedule !== undefined) checkSchedule(changes.schedule);
  const timeZone = changes.timeZone !== undefined ? checkTimeZone(changes.timeZone) : current.timeZone;
  if (changes.schedule !== undefined || changes.timeZone !== undefined)
    checkOpens(timeZone, changes.schedule ?? scheduleOf(current).periods, rules);
  const names = {
    groups: changes.appliesTo?.groups ?? current.groups,
    locations: changes.appliesTo?.locations ?? current.locations,
  };
  await assertNamesFree(trx, current.organizationId, names, id);
  const row = await windowRepository.updateWindow(trx, id, {
    ...(changes.name !== undefined ? { name: checkName(changes.name) } : {}),
    ...(changes.timeZone !== undefined ? { timeZone } : {}),
    ...(changes.schedule !== undefined ? { schedule: JSON.stringify(changes.schedule) } : {}),
    ...names,
  });
  if (!row) throw windowNotFound(id);
  const details = changedFields(auditedFields(current), auditedFields(row));
  if (Object.keys(details).length > 0)
    await recordAudit(trx, actor, {
      action: 'maintenance_window.updated',
      organizationId: row.organizationId,
      target: { type: 'maintenance_window', id: row.id, label: row.name },
      details,
    });
  return row;
}

/** Deletes a window in `trx` (the use case checks first that no running mass upgrade names it). */
export async function deleteWindow(trx: Db, actor: Actor, current: MaintenanceWindowRow): Promise<void> {
  assertCanWrite(actor, current.organizationId, 'maintenance windows');
  await windowRepository.deleteWindow(trx, current.id);
  await recordAudit(trx, actor, {
    action: 'maintenance_window.deleted',
    organizationId: current.organizationId,
    target: { type: 'maintenance_window', id: current.id, label: current.name },
    details: auditedFields(current),
  });
}

/**
 * A window a mass upgrade of `organizationId` may name: one of that organization, visible to the actor. A
 * superuser's batch across organizations (`organizationId` null) may name none: one organization's hours
 * would decide for another's devices. The row is locked for share until the launch commits (see
 * findWindowById).
 */
export async function findWindowForBatch(
  db: Db,
  actor: Actor,
  id: string,
  organizationId: string | null,
): Promise<MaintenanceWindowRow> {
  if (organizationId === null) {
    throw invalid(
      'A mass upgrade across several organizations cannot name a maintenance window: a window belongs to one ' +
        "organization. Launch one mass upgrade per organization, or leave maintenance_window out (each device's " +
        'own window applies).',
      { maintenance_window: 'the devices belong to several organizations' },
    );
  }
  const row = await windowRepository.findWindowById(db, id, 'share');
  if (!row || !canRead(actor, row.organizationId) || row.organizationId !== organizationId)
    throw invalidReference(
      'maintenance_window',
      `Maintenance window ${id} does not exist in the organization of the devices to upgrade.`,
    );
  return row;
}

/**
 * The window that decides when an operation may start: the batch's own, else the device's (by group, then
 * location).
 */
export async function findWindowDeciding(
  db: Db,
  batchWindowId: string | null,
  device: { organizationId: string; groupName: string; location: string },
): Promise<MaintenanceWindowRow | undefined> {
  if (batchWindowId !== null) {
    const own = await windowRepository.findWindowById(db, batchWindowId);
    if (own) return own;
  }
  return windowRepository.findWindowForDevice(db, device);
}

/** A window's schedule for the time-zone math; a stored schedule this version cannot read has no periods. */
export function scheduleOf(row: MaintenanceWindowRow): WindowSchedule {
  const stored = checkStoredSchedule(row.schedule);
  return { timeZone: row.timeZone, periods: stored.ok ? stored.value : [] };
}
