import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { boundedPool } from './bounded-pool.js';

/**
 * A Kysely instance or an open transaction over tables this code does not name. Platform code knows
 * only its own tables (the composed schema of every module is src/database.ts, above the modules):
 * it accepts any database and narrows it to the tables it uses with `withTablesOf`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the tables are unknown here on purpose (see above)
export type AnyDb = Kysely<any> | Transaction<any>;

/** `db` seen as a database holding (at least) the tables of `DB`, for typed queries on them. */
export function withTablesOf<DB>(db: AnyDb): Kysely<DB> {
  return db as Kysely<DB>;
}

// bigint (int8) columns and count(*) come back as JS numbers: sizes and counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseConnection<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Bounds on how long one process waits on the database (seconds; null = no statement limit). */
export interface DatabaseTimeouts {
  /** Waiting for a pooled or new connection; then the caller gets a DATABASE_CONNECT_TIMEOUT error. */
  connectTimeout: number;
  /** PostgreSQL's statement_timeout for every query of this pool (cancelled: SQLSTATE 57014). */
  statementTimeout: number | null;
}

/** Defaults for pools opened outside a configured process (tests, benchmarks): no statement limit. */
const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectTimeout: 10, statementTimeout: null };

/**
 * A frozen server cannot cancel a statement itself; the client gives up this long after the
 * statement timeout (time for PostgreSQL's own cancellation to arrive first).
 */
const CLIENT_GRACE_MS = 5_000;

/**
 * Opens a pool of at most `poolSize` connections over the tables `DB` (src/database.ts composes them).
 * Every wait is bounded (see `DatabaseTimeouts` and bounded-pool.ts); the API and the workers of one
 * process use separate pools with their own bounds.
 */
export function connectDatabase<DB>(
  connectionString: string,
  poolSize: number,
  logger: Logger,
  timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS,
): DatabaseConnection<DB> {
  const connectTimeoutMs = Math.round(timeouts.connectTimeout * 1000);
  const statementTimeoutMs =
    timeouts.statementTimeout === null ? null : Math.max(1, Math.round(timeouts.statementTimeout * 1000));
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    ...(statementTimeoutMs === null ? {} : { statement_timeout: statementTimeoutMs }),
  });
  // An idle client whose server went away emits 'error'; without a listener that would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  const bounded = boundedPool(pool, {
    connectTimeoutMs,
    queryTimeoutMs: statementTimeoutMs === null ? null : statementTimeoutMs + CLIENT_GRACE_MS,
  });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: bounded }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  return { db, pool, close: () => db.destroy() };
}

/** A LIKE/ILIKE pattern matching values that contain `text` literally (%, _ and \ escaped). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
