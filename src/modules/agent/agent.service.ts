import type { Db } from '../../database.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { notifyWorkers } from '../upgrades/operation.repository.js';
import type { LongPolls } from './agent-long-poll.js';
import type { AgentIdentity } from './agent-tokens.js';
import type { AgentProbe, AgentTicket } from './agent.table.js';
import * as repository from './agent.repository.js';

/**
 * What the server answers the pull agent's polls and reports (docs/agent-protocol.md): the job of the
 * device's operation, handed out one action at a time, and the reports stored once per (operation, seq).
 */

/** What a poll hands the agent (null: nothing now). */
export type PollAnswer =
  | { action: 'upgrade' | 'restore'; operation: string; ticket: AgentTicket }
  | { action: 'probe'; operation: string; probe: AgentProbe }
  | { action: 'flash' | 'cancel'; operation: string };

export interface PollInput {
  bootId: string;
  release: string;
  agentVersion: string;
  /** The operation the agent works on ('' if none). */
  operation: string;
}

/** Records what the poll says about the device (its last poll, boot id, release, agent version). */
export async function recordPoll(db: Db, identity: AgentIdentity, input: PollInput, now = new Date()): Promise<void> {
  await repository.recordAgentContact(
    db,
    identity.deviceId,
    { bootId: input.bootId, release: input.release, agentVersion: input.agentVersion },
    now,
  );
}

/**
 * The device's job, if it has something for the agent now. Each action is handed out once to an agent
 * working on the operation (a second poll during the download gets nothing); an agent that does not
 * know the operation (it restarted without its state) gets `upgrade` (or `restore`) again. A `probe`
 * goes to any poll of the device (the agent forgot the job after its `booted` report). Handing out an
 * action wakes the worker waiting for it.
 */
export async function nextAction(
  db: Db,
  deviceId: string,
  working: string,
  now = new Date(),
): Promise<PollAnswer | null> {
  const job = await repository.findDeviceJob(db, deviceId);
  if (!job) return null;
  const knows = working === job.operationId;
  const ended = job.operationStatus !== 'in-progress';
  if (ended || job.action === 'cancel') {
    // The operation is over (or this attempt gave up): an agent still on it stops, unless it flashed already.
    if (ended && job.operationStatus !== 'pending') await repository.deleteJob(db, job.operationId);
    return knows && job.deliveredAction !== 'flash' ? { action: 'cancel', operation: job.operationId } : null;
  }
  if (job.action === 'upgrade' || job.action === 'restore') {
    if (knows && job.deliveredAction === job.action) return null;
    if (!(await repository.markDelivered(db, job.operationId, job.action, now))) return null;
    await notifyWorkers(db, { type: 'wake', id: job.operationId });
    return { action: job.action, operation: job.operationId, ticket: job.ticket };
  }
  if (job.action === 'probe') {
    if (job.deliveredAction === 'probe' || !job.ticket.probe) return null;
    if (!(await repository.markDelivered(db, job.operationId, 'probe', now))) return null;
    return { action: 'probe', operation: job.operationId, probe: job.ticket.probe };
  }
  // flash: only to the agent that has the verified image (the one working on the operation).
  if (!knows || job.deliveredAction === 'flash') return null;
  if (!(await repository.markDelivered(db, job.operationId, 'flash', now))) return null;
  await notifyWorkers(db, { type: 'wake', id: job.operationId });
  return { action: 'flash', operation: job.operationId };
}

/**
 * The long poll: the device's next action, waiting up to `holdMs` for one (woken by the device's job
 * notifications through `polls`, armed before each read so a change between the read and the wait
 * is not lost); null when nothing came, the agent hung up or the server stops (`abort`).
 */
export async function awaitAction(
  db: Db,
  polls: LongPolls,
  deviceId: string,
  working: string,
  options: { holdMs: number; abort: AbortSignal },
): Promise<PollAnswer | null> {
  const deadline = Date.now() + options.holdMs;
  for (;;) {
    const wake = polls.arm(deviceId);
    try {
      const answer = await nextAction(db, deviceId, working);
      const left = deadline - Date.now();
      if (answer || left <= 0 || options.abort.aborted) return answer;
      await wake.wait(left, options.abort);
    } finally {
      wake.disarm();
    }
  }
}

// --- reports -----------------------------------------------------------------------------------

/** The steps of `POST /agent/v1/report` and the fields each carries. */
export const REPORT_STEPS = {
  log: ['message'],
  checked: ['message'],
  downloading: ['bytes'],
  downloaded: [],
  verified: [],
  backup: ['message'],
  ready: [],
  flashing: [],
  booted: ['boot_id', 'release'],
  probe: ['index', 'exit', 'timed_out', 'output'],
  failed: ['code', 'message'],
} as const satisfies Record<string, readonly string[]>;
export type ReportStep = keyof typeof REPORT_STEPS;

export function isReportStep(step: string): step is ReportStep {
  return Object.hasOwn(REPORT_STEPS, step);
}

export interface ReportInput {
  operation: string;
  seq: number;
  step: ReportStep;
  fields: Record<string, string>;
}

/** The operation, when it is the device's (another device's, or none: 404). */
export async function findDeviceOperation(db: Db, deviceId: string, operationId: string) {
  const operation = await repository.findOperation(db, operationId);
  if (!operation || operation.deviceId !== deviceId) throw notFound('operation', operationId);
  return operation;
}

/**
 * Stores a report once and wakes the worker waiting for it; a repeat (same operation and seq) changes
 * nothing. Returns whether the agent must stop (the operation was cancelled and it has not flashed).
 */
export async function storeReport(db: Db, identity: AgentIdentity, report: ReportInput, now = new Date()) {
  const operation = await findDeviceOperation(db, identity.deviceId, report.operation);
  const stored = await repository.insertReport(db, {
    operationId: operation.id,
    seq: report.seq,
    step: report.step,
    fields: report.fields,
  });
  if (report.step === 'booted') {
    await repository.recordAgentContact(
      db,
      identity.deviceId,
      { bootId: report.fields.boot_id, release: report.fields.release },
      now,
    );
  } else {
    await repository.recordAgentContact(db, identity.deviceId, {}, now);
  }
  if (stored) await notifyWorkers(db, { type: 'wake', id: operation.id });
  const job = await repository.findJob(db, operation.id);
  const stop =
    operation.flashStartedAt === null &&
    report.step !== 'flashing' &&
    report.step !== 'booted' &&
    (['cancelled', 'failed', 'aborted'].includes(operation.status) || job?.action === 'cancel');
  return { stop, repeated: !stored };
}

/** Checks a ticket URL's operation and returns the job it belongs to (404 when there is none). */
export async function findTicketJob(db: Db, operationId: string) {
  const job = await repository.findJob(db, operationId);
  if (!job) throw notFound('operation', operationId);
  return job;
}

/** Stores an uploaded backup archive for the worker (only while the job waits for one). */
export async function storeUploadedBackup(db: Db, operationId: string, archive: Buffer): Promise<void> {
  if (archive.length === 0) throw invalid('The backup upload is empty: post the sysupgrade -b archive.');
  if (!(await repository.storeBackupArchive(db, operationId, archive))) throw notFound('operation', operationId);
}

/** Whether the device may still be upgraded by its agent (a device switched back to SSH may not). */
export async function assertAgentManaged(db: Db, deviceId: string): Promise<void> {
  const device = await repository.findAgentDevice(db, deviceId);
  if (device?.management !== 'agent')
    throw new AppError('AgentTokenInvalid', 'The device is no longer managed by its agent: enroll it again.');
}
