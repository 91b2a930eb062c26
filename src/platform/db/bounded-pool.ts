import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * The pool as Kysely sees it, with every wait on the database bounded and every such failure
 * recognisable by its `code` (mapped to 503 DatabaseUnavailable in pg-errors.ts), never by message:
 *
 * - Waiting for a connection (a free pooled one, or a new one) fails after the pool's
 *   `connectionTimeoutMillis` with a message-only error from pg-pool; it becomes a
 *   `DatabaseStalledError` with code `DATABASE_CONNECT_TIMEOUT`.
 * - A statement that runs into `statement_timeout` is cancelled by PostgreSQL itself (SQLSTATE 57014).
 *   A server that does not answer at all (frozen, or a network that drops packets) cannot cancel
 *   anything, so a query that has no answer `queryGraceMs` after its statement timeout fails with
 *   code `DATABASE_QUERY_TIMEOUT` and its connection is discarded rather than returned to the pool,
 *   where a late answer would confuse the next query.
 */

export const DATABASE_CONNECT_TIMEOUT = 'DATABASE_CONNECT_TIMEOUT';
export const DATABASE_QUERY_TIMEOUT = 'DATABASE_QUERY_TIMEOUT';

/** A bounded wait on the database ran out; `code` says which one. */
export class DatabaseStalledError extends Error {
  constructor(
    message: string,
    readonly code: typeof DATABASE_CONNECT_TIMEOUT | typeof DATABASE_QUERY_TIMEOUT,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DatabaseStalledError';
  }
}

export interface PoolBounds {
  /** How long a query may wait for a connection, in milliseconds (the pool's connectionTimeoutMillis). */
  connectTimeoutMs: number;
  /** Client-side limit of one query in milliseconds, or null for none. */
  queryTimeoutMs: number | null;
}

interface Checkout {
  client: pg.PoolClient;
  /** Set when this checkout's connection must not go back to the pool. */
  broken: boolean;
}

export function boundedPool(pool: pg.Pool, bounds: PoolBounds): PostgresPool {
  // Kysely keeps one connection object per client it is given, so each pg client keeps one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, { wrapper: PostgresPoolClient; checkout: Checkout }>();
  return {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        // Errors with a code (ECONNREFUSED, an SQLSTATE such as 28P01) speak for themselves; pg-pool's
        // own timeouts carry none.
        if (typeof (error as { code?: unknown }).code === 'string') throw error;
        throw new DatabaseStalledError(
          `No database connection became available within ${bounds.connectTimeoutMs / 1000} s.`,
          DATABASE_CONNECT_TIMEOUT,
          { cause: error },
        );
      }
      let entry = wrappers.get(client);
      if (!entry) {
        const checkout: Checkout = { client, broken: false };
        // pg-pool listens for errors of idle clients only. A client checked out but between queries
        // (inside a transaction, say) that loses its server would emit 'error' with no listener and
        // crash the process; instead it is marked broken and discarded on release.
        client.on('error', () => {
          checkout.broken = true;
        });
        entry = { checkout, wrapper: wrapClient(checkout, bounds.queryTimeoutMs) };
        wrappers.set(client, entry);
      }
      entry.checkout.broken = false;
      return entry.wrapper;
    },
    end: () => pool.end(),
  };
}

function wrapClient(checkout: Checkout, queryTimeoutMs: number | null): PostgresPoolClient {
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query(...args: unknown[]): unknown {
    const client = checkout.client as unknown as { query(...a: unknown[]): unknown };
    const result = client.query(...args);
    if (queryTimeoutMs === null || !(result instanceof Promise)) return result;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        checkout.broken = true;
        reject(
          new DatabaseStalledError(
            `The database did not answer within ${queryTimeoutMs / 1000} s.`,
            DATABASE_QUERY_TIMEOUT,
          ),
        );
      }, queryTimeoutMs);
      result.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
  return {
    query,
    release() {
      // Passing an error makes pg-pool close the connection instead of reusing it.
      checkout.client.release(checkout.broken ? new Error('query timed out on the client side') : undefined);
    },
  };
}
