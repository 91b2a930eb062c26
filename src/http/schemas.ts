import { type Static, Type, type TSchema } from '@sinclair/typebox';

/** Schemas shared by every module's routes. */

/**
 * A value or null, spelled with OpenAPI 3.0's `nullable` rather than `anyOf [T, null]`: the
 * response serializer handles `nullable` with a plain null check, while for `anyOf` it must
 * validate every value at run time to pick a branch (which made list answers several times slower).
 */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options, nullable: true });
}

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const DateTime = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Uuid });

export const ErrorResponse = Type.Object(
  {
    detail: Type.String({ description: 'What went wrong and how to fix it.' }),
    code: Type.String({ description: 'Stable machine-readable error code (see docs/api.md).' }),
    fields: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Message per offending field.' })),
  },
  { title: 'Error' },
);

export const PaginationQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1, description: 'Page number, from 1.' })),
  page_size: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Results per page (max 100).' }),
  ),
};

export const OrganizationFilterQuery = {
  organization: Type.Optional(
    Type.String({ maxLength: 64, description: 'Only objects of the organization with this slug.' }),
  ),
};

export function Paginated<T extends TSchema>(item: T) {
  return Type.Object({
    count: Type.Integer({ description: 'Total number of results across all pages.' }),
    next: Nullable(Type.String(), { description: 'URL of the next page, or null.' }),
    previous: Nullable(Type.String(), { description: 'URL of the previous page, or null.' }),
    results: Type.Array(item),
  });
}

/** Error responses most routes can give, by status, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}

export const NoContent = Type.Null({ description: 'No content' });

/**
 * A closed vocabulary (an `as const` set) as one OpenAPI `enum` of strings. Unlike a union of
 * literals (`anyOf` of `const`s) it reads as an enum in the document and the generated UI types, and
 * the response serializer writes it as a plain string.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { title?: string; description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
