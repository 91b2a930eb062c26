import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASE_CONNECT_TIMEOUT, DATABASE_QUERY_TIMEOUT } from './bounded-pool.js';
import { isTransientDatabaseError } from './pg-errors.js';
import { withSavepoint } from './savepoint.js';

/** An error as pg or Node reports it: a message and a `code`. */
const coded = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });

describe('isTransientDatabaseError', () => {
  it('counts SQLSTATE classes 40, 08, 53 and 57, socket errors and bounded-pool timeouts as transient', () => {
    for (const code of ['40001', '40P01', '08006', '08000', '53300', '53200', '57P01', '57014']) {
      expect(isTransientDatabaseError(coded(code)), code).toBe(true);
    }
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', DATABASE_CONNECT_TIMEOUT, DATABASE_QUERY_TIMEOUT]) {
      expect(isTransientDatabaseError(coded(code)), code).toBe(true);
    }
  });

  it("counts errors of the statement or the item (constraints, bad data, a bug) as the item's own", () => {
    for (const code of ['23505', '23503', '22P02', '42P01', '42703', 'P0001', 'XX000']) {
      expect(isTransientDatabaseError(coded(code)), code).toBe(false);
    }
    expect(isTransientDatabaseError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isTransientDatabaseError('a string')).toBe(false);
    expect(isTransientDatabaseError(null)).toBe(false);
  });
});

/**
 * A Kysely whose connection records each statement and throws what `failures` holds for the
 * statement that starts with that text: withSavepoint's control flow without a server.
 */
function scripted(failures: Record<string, Error>) {
  const statements: string[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      statements.push(query.sql);
      const failure = Object.entries(failures).find(([start]) => query.sql.startsWith(start));
      if (failure) throw failure[1];
      return { rows: [] };
    },
    // biome-ignore lint/correctness/useYield: never streams
    async *streamQuery() {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<object>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, statements };
}

describe('withSavepoint', () => {
  it("rolls an item's own error back to the savepoint and returns it", async () => {
    const { db, statements } = scripted({});
    const error = coded('23503');
    const outcome = await db.transaction().execute((trx) => withSavepoint(trx, () => Promise.reject(error)));
    expect(outcome).toEqual({ ok: false, error });
    expect(statements).toEqual([
      'SAVEPOINT fleetflash_item',
      'ROLLBACK TO SAVEPOINT fleetflash_item',
      'RELEASE SAVEPOINT fleetflash_item',
    ]);
  });

  it('throws a transient error on, for the whole transaction to be tried again', async () => {
    for (const code of ['40P01', '08006', '57P01', 'ECONNRESET']) {
      const { db } = scripted({});
      const error = coded(code);
      await expect(db.transaction().execute((trx) => withSavepoint(trx, () => Promise.reject(error)))).rejects.toBe(
        error,
      );
    }
  });

  it('throws the original error with the failed rollback as its cause (a connection lost without a code)', async () => {
    const lost = new Error('Client has encountered a connection error and is not queryable');
    const { db } = scripted({ 'ROLLBACK TO SAVEPOINT': lost });
    const original = new Error('Connection terminated unexpectedly');
    const thrown = await db
      .transaction()
      .execute((trx) => withSavepoint(trx, () => Promise.reject(original)))
      .catch((error: unknown) => error);
    expect(thrown).toBe(original);
    expect((thrown as Error).cause).toBe(lost);
  });

  it('keeps a cause the original error has, beside the failed rollback', async () => {
    const lost = new Error('not queryable');
    const { db } = scripted({ 'ROLLBACK TO SAVEPOINT': lost });
    const inner = new Error('inner');
    const original = new Error('outer', { cause: inner });
    const thrown = await db
      .transaction()
      .execute((trx) => withSavepoint(trx, () => Promise.reject(original)))
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors).toEqual([original, lost]);
    expect(original.cause).toBe(inner);
  });
});
