import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { storableText } from './operation.repository.js';

/**
 * The two writes a running operation makes most often — a log line and a progress step, some thirty
 * per upgrade — grouped across the operations of one worker process: while one statement is on its
 * way, the writes that arrive meanwhile wait and then go together in one statement (group commit).
 *
 * Why: a mass upgrade runs a hundred operations at once, and each write was a round trip of its own,
 * with its own run of the event trigger and its own NOTIFY that every event pump then reads: about
 * a fifth of the worker's CPU per operation (bench:mass-upgrade). Grouped, a round trip, a trigger
 * run and a notification serve every operation that wrote meanwhile. No write waits for a timer: a
 * lone write goes at once, as before.
 *
 * Deadlocks: a statement that writes several operations' rows could deadlock with another such
 * statement (the lease renewal, a mass upgrade's cancel) that takes the same rows' locks in another
 * order. Every statement that writes rows of running operations in bulk therefore locks them in id
 * order first (`ORDER BY id FOR UPDATE`): this one, extendLeases and cancelBatchOperations.
 *
 * What stays the same: each write is the same conditional statement as in operation.repository.ts
 * (a log line is numbered after the operation's previous one; a progress step is written only while
 * this worker holds the operation, and says whether it did), each caller's promise settles when its
 * own write is committed, and one operation's writes are made in the order it asked for them (a
 * group holds at most one write per operation: a second one waits for the next group).
 */

type Level = 'info' | 'warning' | 'error';

interface Pending {
  operationId: string;
  write: { kind: 'log'; level: Level; message: string } | { kind: 'progress'; progress: number; at: Date };
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

export class OperationWrites {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<Database>,
    /** The worker whose lease a progress step requires. */
    private readonly owner: string,
  ) {}

  /** Appends a log line to the operation's log (nothing when the operation is gone). */
  appendLog(operationId: string, level: Level, message: string): Promise<void> {
    return this.enqueue(operationId, { kind: 'log', level, message }).then(() => {});
  }

  /** Sets the operation's progress; false when this worker no longer holds it (cancelled, taken over). */
  updateProgress(operationId: string, progress: number): Promise<boolean> {
    return this.enqueue(operationId, { kind: 'progress', progress, at: new Date() });
  }

  private enqueue(operationId: string, write: Pending['write']): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ operationId, write, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // The writes of this turn of the event loop join the first group.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const group: Pending[] = [];
      const rest: Pending[] = [];
      const inGroup = new Set<string>();
      const deferred = new Set<string>();
      for (const item of this.queue) {
        // One write per operation and group, and none of an operation after one of its writes was deferred.
        if (inGroup.has(item.operationId) || deferred.has(item.operationId)) {
          deferred.add(item.operationId);
          rest.push(item);
        } else {
          inGroup.add(item.operationId);
          group.push(item);
        }
      }
      this.queue = rest;
      const logs = group.filter((item) => item.write.kind === 'log');
      const steps = group.filter((item) => item.write.kind === 'progress');
      await Promise.all([
        this.settle(logs, (items) => this.writeLogs(items)),
        this.settle(steps, (items) => this.writeSteps(items)),
      ]);
    }
    this.flushing = false;
  }

  private async settle(items: Pending[], write: (items: Pending[]) => Promise<Set<string>>): Promise<void> {
    if (items.length === 0) return;
    try {
      const written = await write(items);
      for (const item of items) item.resolve(written.has(item.operationId));
    } catch (error) {
      if (items.length === 1) {
        items[0]!.reject(error);
        return;
      }
      // The group's statement failed (a deadlock, a value the table refuses): one write must never fail
      // the other operations that shared its statement, so each is written again on its own and only the
      // writes that fail alone are rejected.
      for (const item of items) await this.settle([item], write);
    }
  }

  /** The log lines of a group, each numbered after its operation's previous line, in one statement. */
  private async writeLogs(items: Pending[]): Promise<Set<string>> {
    const ids = items.map((item) => item.operationId);
    const levels = items.map((item) => (item.write.kind === 'log' ? item.write.level : 'info'));
    const messages = items.map((item) => (item.write.kind === 'log' ? storableText(item.write.message) : ''));
    const result = await sql<{ operationId: string }>`
      WITH input AS (
        SELECT * FROM unnest(${ids}::uuid[], ${levels}::text[], ${messages}::text[]) WITH ORDINALITY
          AS i(operation_id, level, message, n)
      ), locked AS (
        SELECT id FROM upgrade_operations WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE
      ), next AS (
        UPDATE upgrade_operations o SET log_seq = o.log_seq + 1
        FROM input i JOIN locked l ON l.id = i.operation_id WHERE o.id = i.operation_id
        RETURNING o.id, o.log_seq
      )
      INSERT INTO upgrade_operation_logs (operation_id, seq, level, message)
      SELECT i.operation_id, next.log_seq, i.level, i.message FROM input i JOIN next ON next.id = i.operation_id
      ORDER BY i.n
      RETURNING operation_id`.execute(this.db);
    return new Set(result.rows.map((row) => row.operationId));
  }

  /** The progress steps of a group, each only while this worker holds its operation, in one statement. */
  private async writeSteps(items: Pending[]): Promise<Set<string>> {
    const ids = items.map((item) => item.operationId);
    const values = items.map((item) => (item.write.kind === 'progress' ? item.write.progress : 0));
    const at = items.map((item) => (item.write.kind === 'progress' ? item.write.at : new Date()));
    const result = await sql<{ id: string }>`
      WITH locked AS (
        SELECT id FROM upgrade_operations WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE
      )
      UPDATE upgrade_operations o SET progress = i.progress, modified = i.at
      FROM unnest(${ids}::uuid[], ${values}::int[], ${at}::timestamptz[]) AS i(id, progress, at)
      JOIN locked l ON l.id = i.id
      WHERE o.id = i.id AND o.lease_owner = ${this.owner} AND o.status = 'in-progress'
      RETURNING o.id`.execute(this.db);
    return new Set(result.rows.map((row) => row.id));
  }
}
