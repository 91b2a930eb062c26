import { type Generated, type Kysely, sql } from 'kysely';
import { type AnyDb, withTablesOf } from './db/database.js';

/** One periodic task's row: when it is due and which worker holds it. */
export interface ScheduledTasksTable {
  name: string;
  intervalSeconds: number;
  nextRunAt: Generated<Date>;
  leaseOwner: Generated<string | null>;
  leaseExpiresAt: Generated<Date | null>;
  lastStartedAt: Generated<Date | null>;
  lastFinishedAt: Generated<Date | null>;
  lastError: Generated<string | null>;
}

interface TasksDatabase {
  scheduledTasks: ScheduledTasksTable;
}

const tasksOf = (db: AnyDb): Kysely<TasksDatabase> => withTablesOf<TasksDatabase>(db);

/**
 * Adds the tasks this code knows (due at once when new) and sets their interval; a shortened
 * interval brings the next run forward. Rows of tasks this code does not know are left alone.
 */
export async function registerScheduledTasks(
  db: AnyDb,
  tasks: { name: string; intervalSeconds: number }[],
): Promise<void> {
  if (tasks.length === 0) return;
  const rows = tasks.map((task) => ({ name: task.name, intervalSeconds: task.intervalSeconds }));
  await tasksOf(db)
    .insertInto('scheduledTasks')
    .values(rows)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        intervalSeconds: eb.ref('excluded.intervalSeconds'),
        nextRunAt: sql<Date>`least(
        scheduled_tasks.next_run_at, now() + make_interval(secs => excluded.interval_seconds))`,
      })),
    )
    .execute();
}

/**
 * Leases up to `limit` due tasks among `names` that no live worker holds. The due rows are picked once,
 * in a materialized CTE: inside `WHERE name IN (…)` a LIMIT … SKIP LOCKED subquery may run again and lease more.
 */
export async function claimDueTasks(
  db: AnyDb,
  owner: string,
  names: string[],
  leaseSeconds: number,
  limit: number,
): Promise<string[]> {
  const result = await sql<{ name: string }>`
    WITH due AS MATERIALIZED (
      SELECT name FROM scheduled_tasks
      WHERE name = ANY(${names}::text[]) AND next_run_at <= now() AND (lease_owner IS NULL OR lease_expires_at < now())
      ORDER BY next_run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    UPDATE scheduled_tasks t SET lease_owner = ${owner},
      lease_expires_at = now() + make_interval(secs => ${leaseSeconds}), last_started_at = now()
    FROM due WHERE t.name = due.name
    RETURNING t.name`.execute(db);
  return result.rows.map((row) => row.name);
}

export async function renewTaskLeases(
  db: AnyDb,
  owner: string,
  names: string[],
  leaseSeconds: number,
): Promise<string[]> {
  const rows = await tasksOf(db)
    .updateTable('scheduledTasks')
    .set({ leaseExpiresAt: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('name', 'in', names)
    .where('leaseOwner', '=', owner)
    .returning('name')
    .execute();
  return rows.map((row) => row.name);
}

/** Records a run's end (if this worker still holds the task) and when the task is due again. */
export async function finishTask(
  db: AnyDb,
  owner: string,
  name: string,
  nextInSeconds: number,
  error: string | null,
): Promise<void> {
  await tasksOf(db)
    .updateTable('scheduledTasks')
    .set({
      leaseOwner: null,
      leaseExpiresAt: null,
      lastFinishedAt: sql<Date>`now()`,
      lastError: error,
      nextRunAt: sql<Date>`now() + make_interval(secs => ${nextInSeconds})`,
    })
    .where('name', '=', name)
    .where('leaseOwner', '=', owner)
    .execute();
}

/** Gives a task back unrun (the worker is stopping): another worker runs it now. */
export async function releaseTask(db: AnyDb, owner: string, name: string): Promise<void> {
  await tasksOf(db)
    .updateTable('scheduledTasks')
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where('name', '=', name)
    .where('leaseOwner', '=', owner)
    .execute();
}

/**
 * When the next of `names` can be claimed: its due time, or the end of the lease that holds it
 * (a task another worker runs is not claimable before; waking earlier would only spin).
 */
export async function nextTaskDue(db: AnyDb, names: string[]): Promise<Date | null> {
  const result = await sql<{ due: Date | null }>`
    SELECT min(CASE WHEN lease_owner IS NOT NULL AND lease_expires_at >= now()
      THEN greatest(next_run_at, lease_expires_at) ELSE next_run_at END) AS due
    FROM scheduled_tasks WHERE name = ANY(${names}::text[])`.execute(db);
  return result.rows[0]?.due ?? null;
}
