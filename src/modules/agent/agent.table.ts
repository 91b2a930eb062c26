import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Timestamp } from '../accounts/accounts.table.js';

/** A device token of the pull agent (stored hashed; see migrations/0029_pull_agent.sql). */
export interface AgentTokensTable {
  id: Generated<string>;
  deviceId: string;
  tokenHash: Buffer;
  prefix: string;
  sealedToken: string | null;
  created: Timestamp;
  replacedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  firstUsedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lastUsedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A health-check probe handed to the agent with `action=probe` (one at a time, after proof of boot). */
export interface AgentProbe {
  /** Its number within the check (1, 2, …): the `probe` report names it. */
  index: number;
  command: string;
  /** Whole seconds the agent lets it run before killing it. */
  timeoutSeconds: number;
}

/**
 * What the job hands the agent with `action=upgrade` (the image) or `action=restore` (the configuration
 * backup, whose sha256 and size these are), and later the probe of `action=probe`.
 */
export interface AgentTicket {
  sha256: string;
  size: number;
  /** sysupgrade flags, e.g. ["-c", "-F"] (none for a restore). */
  flags: string[];
  backup: 'required' | 'best-effort' | 'off';
  /** The release the device must run after the flash (a restore: the one it runs now). */
  release: string;
  /** The capability of the ticket URLs (see platform/tickets.ts). */
  ticket: string;
  /** A restore: the board the backup was taken on (the agent refuses it on another). */
  board?: string;
  /** The probe of `action=probe`. */
  probe?: AgentProbe;
}

/** `upgrade` and `restore` start a job, `flash` carries it out, `probe` runs a health probe after the boot. */
export const AGENT_ACTIONS = ['upgrade', 'restore', 'flash', 'probe', 'cancel'] as const;
export type AgentAction = (typeof AGENT_ACTIONS)[number];

export interface AgentJobsTable {
  operationId: string;
  deviceId: string;
  action: AgentAction;
  attempt: number;
  ticket: ColumnType<AgentTicket, string, string>;
  deliveredAction: ColumnType<AgentAction | null, AgentAction | null | undefined, AgentAction | null>;
  /** When `deliveredAction` was last handed out (a lost `flash` answer is handed out again). */
  deliveredAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  pickedUpAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  backupArchive: Buffer | null;
  created: Timestamp;
  modified: Timestamp;
}

export interface AgentReportsTable {
  operationId: string;
  seq: number;
  /** The attempt the agent worked on (the `attempt=` of its job); null from agents 1.0.x. */
  attempt: ColumnType<number | null, number | null | undefined, number | null>;
  step: string;
  fields: ColumnType<Record<string, string>, string | undefined, string>;
  received: Timestamp;
}

export type AgentTokenRow = Selectable<AgentTokensTable>;
export type AgentJobRow = Selectable<AgentJobsTable>;
export type AgentReportRow = Selectable<AgentReportsTable>;
