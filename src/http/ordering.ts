import { Type } from '@sinclair/typebox';
import { invalid } from '../platform/errors.js';

/** DRF-style `ordering=-created,version`: fields from an allowed list, `-` for descending. */

export interface OrderingTerm<F extends string> {
  column: F;
  direction: 'asc' | 'desc';
}

export function orderingQuery(allowed: readonly string[], defaultOrdering: string) {
  return Type.Optional(Type.String({
    maxLength: 200,
    description: `Comma-separated fields to sort by, "-" for descending. Fields: ${allowed.join(', ')}. Default: ${defaultOrdering}.`,
  }));
}

export function parseOrdering<F extends string>(raw: string | undefined, allowed: readonly F[], defaultOrdering: string): OrderingTerm<F>[] {
  const terms = (raw === undefined || raw.trim() === '' ? defaultOrdering : raw).split(',').map((term) => term.trim()).filter(Boolean);
  return terms.map((term) => {
    const descending = term.startsWith('-');
    const column = descending ? term.slice(1) : term;
    if (!(allowed as readonly string[]).includes(column)) {
      throw invalid(`Cannot order by "${column}": use ${allowed.join(', ')} (prefix "-" for descending).`, { ordering: `unknown field ${column}` });
    }
    return { column: column as F, direction: descending ? 'desc' : 'asc' };
  });
}
