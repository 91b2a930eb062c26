import type { SelectQueryBuilder, StringReference } from 'kysely';
import { invalid } from '../errors.js';

/** DRF-style `ordering=-created,version`: fields from an allowed list, `-` for descending. */

export interface OrderingTerm<F extends string> {
  column: F;
  direction: 'asc' | 'desc';
}

/** The terms of `raw` (or of `defaultOrdering` when it is empty); an unknown field is a 400 naming the allowed ones. */
export function parseOrdering<F extends string>(
  raw: string | undefined,
  allowed: readonly F[],
  defaultOrdering: string,
): OrderingTerm<F>[] {
  const given = raw === undefined || raw.trim() === '' ? defaultOrdering : raw;
  const terms = given
    .split(',')
    .map((term) => term.trim())
    .filter(Boolean);
  return terms.map((term) => {
    const descending = term.startsWith('-');
    const column = descending ? term.slice(1) : term;
    if (!(allowed as readonly string[]).includes(column)) {
      throw invalid(`Cannot order by "${column}": use ${allowed.join(', ')} (prefix "-" for descending).`, {
        ordering: `unknown field ${column}`,
      });
    }
    return { column: column as F, direction: descending ? 'desc' : 'asc' };
  });
}

/** Sorts `query` by the terms, each field through `columns` (the field's column in this query). */
export function orderByTerms<DB, TB extends keyof DB, O, F extends string>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: Readonly<Record<F, StringReference<DB, TB>>>,
  terms: readonly OrderingTerm<F>[],
): SelectQueryBuilder<DB, TB, O> {
  let ordered = query;
  for (const { column, direction } of terms) ordered = ordered.orderBy(columns[column], direction);
  return ordered;
}
