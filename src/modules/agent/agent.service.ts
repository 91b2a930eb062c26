import type { Db } from '../../database.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { notifyWorkers } from '../upgrades/operation.repository.js';
import type { LongPolls } from './agent-long-poll.js';
import type { AgentIdentity } from './agent-tokens.js';
import type { AgentProbe, AgentTicket } from './agent.table.js';
import * as repository from './agent.repository.js';

/**
 * What the server answers the pull agent's polls and reports (docs/agent-protocol.md): the job of the
 * device's operation, handed out one action at a time, and the reports stored once per (operation, seq).
 */

/** What a poll hands the agent (null: nothing now). `attempt` names the operation's attempt the job is of. */
export type PollAnswer =
  | { action: 'upgrade' | 'restore'; operation: string; attempt: number; ticket: AgentTicket }
  | { action: 'probe'; operation: string; attempt: number; probe: AgentProbe }
  | { action: 'flash' | 'cancel'; operation: string };

export interface PollInput {
  bootId: string;
  release: string;
  agentVersion: string;
  /** The operation the agent works on ('' if none). */
  operation: string;
  /** The agent's phase of that operation (`ready`: it waits for `flash`); '' from agents that do not say. */
  phase: string;
  /** The longest poll the agent waits for, in seconds (0: it did not say). */
  longPoll: number;
}

/** What the agent said in its poll, besides its identity. */
export interface PollState {
  /** The operation the agent works on ('' if none). */
  operation: string;
  /** Its phase ('' when the agent does not say: agents 1.0.x). */
  phase: string;
  /**
   * How long ago a `flash` must have been handed out to be handed out again to an agent that does not say
   * its phase (at most once per long poll: one that ignores it polls again at once).
   */
  resendAfterMs: number;
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
 * know the operation (it restarted without its state) gets `upgrade` (or `restore`) again. A `flash`
 * whose answer was lost (no `flashing` report came) is handed out again to the agent working on the
 * operation. A `probe` goes to any poll of the device (the agent forgot the job after its `booted`
 * report). Handing out an action wakes the worker waiting for it.
 */
export async function nextAction(
  db: Db,
  deviceId: string,
  poll: PollState,
  now = new Date(),
): Promise<PollAnswer | null> {
  const job = await repository.findDeviceJob(db, deviceId);
  if (!job) return null;
  const knows = poll.operation === job.operationId;
  const ended = job.operationStatus !== 'in-progress';
  if (ended || job.action === 'cancel') {
    // The operation is over (or this attempt gave up): an agent still on it stops, unless it started the flash.
    if (ended && job.operationStatus !== 'pending') await repository.deleteJob(db, job.operationId);
    if (!knows || (await repository.hasReport(db, job.operationId, 'flashing'))) return null;
    return { action: 'cancel', operation: job.operationId };
  }
  const { attempt } = job;
  if (job.action === 'upgrade' || job.action === 'restore') {
    if (knows && job.deliveredAction === job.action) return null;
    if (!(await repository.markDelivered(db, job.operationId, job.action, now))) return null;
    await notifyWorkers(db, { type: 'wake', id: job.operationId });
    return { action: job.action, operation: job.operationId, attempt, ticket: job.ticket };
  }
  if (job.action === 'probe') {
    if (job.deliveredAction === 'probe' || !job.ticket.probe) return null;
    if (!(await repository.markDelivered(db, job.operationId, 'probe', now))) return null;
    return { action: 'probe', operation: job.operationId, attempt, probe: job.ticket.probe };
  }
  // flash: only to the agent that has the verified image (the one working on the operation).
  if (!knows) return null;
  if (job.deliveredAction === 'flash' && !(await flashLost(db, job, poll, now))) return null;
  if (!(await repository.markDelivered(db, job.operationId, 'flash', now))) return null;
  await notifyWorkers(db, { type: 'wake', id: job.operationId });
  return { action: 'flash', operation: job.operationId };
}

/**
 * Whether a `flash` handed out before went missing: the agent polls for the operation and never reported
 * `flashing`. An agent that says it is `ready` gets it again at once; one that does not say (it may ignore
 * the order and poll again at once) once the previous hand-out is a long poll old.
 */
async function flashLost(
  db: Db,
  job: { operationId: string; deliveredAt: Date | null },
  poll: PollState,
  now: Date,
): Promise<boolean> {
  if (poll.phase !== '' && poll.phase !== 'ready') return false;
  if (poll.phase === '' && now.getTime() - (job.deliveredAt?.getTime() ?? 0) < poll.resendAfterMs) return false;
  return !(await repository.hasReport(db, job.operationId, 'flashing'));
}

/**
 * The long poll: the device's next action, waiting up to `holdMs` for one (woken by the device's job
 * notifications through `polls`, armed before each read so a change between the read and the wait
 * is not lost); null when nothing came, the agent hung up or the server stops (`abort`). Nothing is
 * handed out once `abort` fired: an answer nobody receives would be lost.
 */
export async function awaitAction(
  db: Db,
  polls: LongPolls,
  deviceId: string,
  poll: PollState,
  options: { holdMs: number; abort: AbortSignal },
): Promise<PollAnswer | null> {
  const deadline = Date.now() + options.holdMs;
  for (;;) {
    if (options.abort.aborted) return null;
    const wake = polls.arm(deviceId);
    try {
      const answer = await nextAction(db, deviceId, poll);
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
  booted: ['boot_id', 'release', 'revision'],
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
  /** The attempt the agent works on (null: an agent 1.0.x, which does not say). */
  attempt: number | null;
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
 * nothing. Returns whether the agent must stop (the operation was cancelled and it has not flashed, or the
 * report is of an earlier attempt than the job's: not stored, the agent forgets that job and its next poll
 * gets the current one). `flashing` and `booted` are stored whatever their attempt: they tell what the device did.
 */
export async function storeReport(db: Db, identity: AgentIdentity, report: ReportInput, now = new Date()) {
  const operation = await findDeviceOperation(db, identity.deviceId, report.operation);
  const job = await repository.findJob(db, operation.id);
  const flashWord = report.step === 'flashing' || report.step === 'booted';
  if (job && report.attempt !== null && report.attempt !== job.attempt && !flashWord) {
    await repository.recordAgentContact(db, identity.deviceId, {}, now);
    return { stop: true, repeated: false };
  }
  const stored = await repository.insertReport(db, {
    operationId: operation.id,
    seq: report.seq,
    attempt: report.attempt,
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
  const stop =
    operation.flashStartedAt === null &&
    !flashWord &&
    (['cancelled', 'failed', 'aborted'].includes(operation.status) || job?.action === 'cancel');
  return { stop, repeated: !stored };
}

/** Checks a ticket URL's operation and returns the job it belongs to (404 when there is none). */
export async function findTicketJob(db: Db, operationId: string) {
  const job = await repository.findJob(db, operationId);
  if (!job) throw notFound('operation', operationId);
  return job;
}

/** A backup upload is taken only while the job is an upgrade that asked for one (409 otherwise). */
export function assertJobTakesBackup(job: { action: string; ticket: AgentTicket }): void {
  if (job.action !== 'upgrade' || job.ticket.backup === 'off')
    throw conflict('Conflict', 'This job takes no configuration backup now: it asked for none, or is past it.');
}

/** Stores an uploaded backup archive for the worker (only while the job waits for one and holds none yet). */
export async function storeUploadedBackup(db: Db, operationId: string, archive: Buffer): Promise<void> {
  if (archive.length === 0) throw invalid('The backup upload is empty: post the sysupgrade -b archive.');
  if (!(await repository.storeBackupArchive(db, operationId, archive)))
    throw conflict('Conflict', 'This job holds an uploaded backup already, or takes none now.');
}

/** Whether the device may still be upgraded by its agent (a device switched back to SSH may not). */
export async function assertAgentManaged(db: Db, deviceId: string): Promise<void> {
  const device = await repository.findAgentDevice(db, deviceId);
  if (device?.management !== 'agent')
    throw new AppError('AgentTokenInvalid', 'The device is no longer managed by its agent: enroll it again.');
}
