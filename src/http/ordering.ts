import { Type } from '@sinclair/typebox';

export { type OrderingTerm, parseOrdering } from '../platform/db/ordering.js';

/** The `ordering` query parameter: DRF-style `ordering=-created,version` (see platform/db/ordering.ts). */
export function orderingQuery(allowed: readonly string[], defaultOrdering: string) {
  return Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        `Comma-separated fields to sort by, "-" for descending. Fields: ${allowed.join(', ')}. ` +
        `Default: ${defaultOrdering}.`,
    }),
  );
}
