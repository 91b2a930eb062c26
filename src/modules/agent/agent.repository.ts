import { sql } from 'kysely';
import type { Db } from '../../database.js';
import { AGENT_CHANNEL } from '../../platform/events.js';
import type { AgentAction, AgentJobRow, AgentProbe, AgentReportRow, AgentTicket } from './agent.table.js';

/**
 * The pull agent's rows: the job an operation offers its agent, the agent's reports (its device tokens:
 * agent-token.repository.ts).
 */

// --- devices -----------------------------------------------------------------------------------

/** Records what a poll (or an enrollment) said about the device. */
export async function recordAgentContact(
  db: Db,
  deviceId: string,
  seen: { bootId?: string | undefined; release?: string | undefined; agentVersion?: string | undefined },
  now: Date,
): Promise<void> {
  await db
    .updateTable('devices')
    .set({
      agentLastPollAt: now,
      lastSeen: now,
      ...(seen.bootId ? { agentBootId: seen.bootId } : {}),
      ...(seen.release ? { agentRelease: seen.release } : {}),
      ...(seen.agentVersion ? { agentVersion: seen.agentVersion } : {}),
    })
    .where('id', '=', deviceId)
    .execute();
}

/** Hands the device back to SSH management (its agent's polls are refused from now on). */
export async function setManagedOverSsh(db: Db, deviceId: string): Promise<void> {
  await db.updateTable('devices').set({ management: 'ssh' }).where('id', '=', deviceId).execute();
}

/** The agent fields of a device. */
export async function findAgentDevice(db: Db, deviceId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'organizationId', 'management', 'agentBootId', 'agentRelease', 'agentLastPollAt', 'agentVersion'])
    .where('id', '=', deviceId)
    .executeTakeFirst();
}

/** The operation's fields the agent endpoints check. */
export async function findOperation(db: Db, operationId: string) {
  return db
    .selectFrom('upgradeOperations')
    .select(['id', 'deviceId', 'kind', 'status', 'flashStartedAt', 'imageId', 'backupId'])
    .where('id', '=', operationId)
    .executeTakeFirst();
}

// --- jobs --------------------------------------------------------------------------------------

/**
 * Publishes the job of an operation's attempt (replacing an earlier attempt's, whose reports are
 * forgotten: the agent starts the job again and may number its reports from 1 again).
 */
export async function publishJob(
  db: Db,
  job: { operationId: string; deviceId: string; attempt: number; action: 'upgrade' | 'restore'; ticket: AgentTicket },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('agentReports').where('operationId', '=', job.operationId).execute();
    await trx
      .insertInto('agentJobs')
      .values({ ...job, ticket: JSON.stringify(job.ticket) })
      .onConflict((oc) =>
        oc.column('operationId').doUpdateSet({
          action: job.action,
          attempt: job.attempt,
          ticket: JSON.stringify(job.ticket),
          deliveredAction: null,
          deliveredAt: null,
          pickedUpAt: null,
          // An archive an earlier attempt's agent uploaded is not this attempt's backup.
          backupArchive: null,
          modified: new Date(),
        }),
      )
      .execute();
    await notifyAgent(trx, job.deviceId);
  });
}

/** Moves the job to another action (flash, cancel) and wakes the device's poll. */
export async function setJobAction(db: Db, operationId: string, action: AgentAction): Promise<void> {
  const row = await db
    .updateTable('agentJobs')
    .set({ action, modified: new Date() })
    .where('operationId', '=', operationId)
    .returning('deviceId')
    .executeTakeFirst();
  if (row) await notifyAgent(db, row.deviceId);
}

/**
 * Hands the agent the next health probe after proof of boot: the job's action becomes `probe`, not yet
 * delivered (each probe is handed out once), and the device's poll is woken.
 */
export async function publishProbe(db: Db, operationId: string, probe: AgentProbe): Promise<boolean> {
  const row = await db
    .updateTable('agentJobs')
    .set({
      action: 'probe',
      ticket: sql`ticket || jsonb_build_object('probe', ${JSON.stringify(probe)}::jsonb)`,
      deliveredAction: null,
      modified: new Date(),
    })
    .where('operationId', '=', operationId)
    .returning('deviceId')
    .executeTakeFirst();
  if (row) await notifyAgent(db, row.deviceId);
  return row !== undefined;
}

export async function deleteJob(db: Db, operationId: string): Promise<void> {
  await db.deleteFrom('agentJobs').where('operationId', '=', operationId).execute();
}

export async function findJob(db: Db, operationId: string): Promise<Omit<AgentJobRow, 'backupArchive'> | undefined> {
  return db
    .selectFrom('agentJobs')
    .select([
      'operationId',
      'deviceId',
      'action',
      'attempt',
      'ticket',
      'deliveredAction',
      'deliveredAt',
      'pickedUpAt',
      'created',
      'modified',
    ])
    .where('operationId', '=', operationId)
    .executeTakeFirst();
}

/** The device's job with its operation's status (a device has one active operation, so one job that matters). */
export async function findDeviceJob(db: Db, deviceId: string) {
  return db
    .selectFrom('agentJobs as j')
    .innerJoin('upgradeOperations as o', 'o.id', 'j.operationId')
    .select([
      'j.operationId',
      'j.deviceId',
      'j.action',
      'j.attempt',
      'j.ticket',
      'j.deliveredAction',
      'j.deliveredAt',
      'j.pickedUpAt',
      'j.modified',
    ])
    .select(['o.status as operationStatus', 'o.flashStartedAt'])
    .where('j.deviceId', '=', deviceId)
    .orderBy('j.modified', 'desc')
    .executeTakeFirst();
}

/** Records that the action was handed to the agent (the first upgrade hand-out is the pickup). */
export async function markDelivered(db: Db, operationId: string, action: AgentAction, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('agentJobs')
    .set((eb) => ({
      deliveredAction: action,
      deliveredAt: now,
      pickedUpAt: eb.fn.coalesce('pickedUpAt', sql<Date>`${now}::timestamptz`),
    }))
    .where('operationId', '=', operationId)
    .where('action', '=', action)
    .returning('operationId')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Stores the uploaded backup archive of the job (the worker keeps it as the operation's backup): only
 * while the job is an upgrade that asked for a backup and holds none yet; false otherwise.
 */
export async function storeBackupArchive(db: Db, operationId: string, archive: Buffer): Promise<boolean> {
  const row = await db
    .updateTable('agentJobs')
    .set({ backupArchive: archive })
    .where('operationId', '=', operationId)
    .where('action', '=', 'upgrade')
    .where(sql<string>`ticket->>'backup'`, '<>', 'off')
    .where('backupArchive', 'is', null)
    .returning('operationId')
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes the uploaded backup archive of the job (null: none uploaded), clearing it. */
export async function takeBackupArchive(db: Db, operationId: string): Promise<Buffer | null> {
  const row = await db
    .selectFrom('agentJobs')
    .select('backupArchive')
    .where('operationId', '=', operationId)
    .executeTakeFirst();
  if (!row?.backupArchive) return null;
  await db.updateTable('agentJobs').set({ backupArchive: null }).where('operationId', '=', operationId).execute();
  return row.backupArchive;
}

// --- reports -----------------------------------------------------------------------------------

/** Stores a report once; false when (operation, seq) was stored before (a retried report). */
export async function insertReport(
  db: Db,
  report: { operationId: string; seq: number; attempt: number | null; step: string; fields: Record<string, string> },
): Promise<boolean> {
  const result = await db
    .insertInto('agentReports')
    .values({ ...report, fields: JSON.stringify(report.fields) })
    .onConflict((oc) => oc.columns(['operationId', 'seq']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether the operation has a report of this step (e.g. `flashing`: the agent started the flash). */
export async function hasReport(db: Db, operationId: string, step: string): Promise<boolean> {
  const row = await db
    .selectFrom('agentReports')
    .select('seq')
    .where('operationId', '=', operationId)
    .where('step', '=', step)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * After a takeover: turns a job whose `flash` was never handed out into `cancel`, in one statement, so a
 * poll cannot take the flash in between; false when the flash was handed out (the device may be flashing).
 */
export async function cancelUndeliveredFlash(db: Db, operationId: string): Promise<boolean> {
  const row = await db
    .updateTable('agentJobs')
    .set({ action: 'cancel', modified: new Date() })
    .where('operationId', '=', operationId)
    .where('deliveredAction', 'is distinct from', 'flash')
    .returning('deviceId')
    .executeTakeFirst();
  if (row) await notifyAgent(db, row.deviceId);
  return row !== undefined;
}

/** The operation's reports after `afterSeq`, in order. */
export async function findReports(db: Db, operationId: string, afterSeq = 0): Promise<AgentReportRow[]> {
  return db
    .selectFrom('agentReports')
    .selectAll()
    .where('operationId', '=', operationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute();
}

/** Wakes the polls of the device, on every API node (see EventPump.onAgentJob). */
export async function notifyAgent(db: Db, deviceId: string): Promise<void> {
  await sql`SELECT pg_notify(${AGENT_CHANNEL}, ${deviceId})`.execute(db);
}
