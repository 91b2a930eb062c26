import {
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SqlBool,
  sql,
  type StringReference,
} from 'kysely';

/**
 * Organizations isolate (docs/api.md): every query of tenant data is narrowed to the caller's
 * organizations, a superuser sees all, and shared rows (organization null) are readable by all
 * where a table has them. This is the one place that turns that rule into SQL.
 */

/** Organizations whose rows a caller may see: their ids, or null for all (a superuser). */
export type OrganizationScope = readonly string[] | null;

/**
 * The condition "`column` is one of the organizations of `scope`" (always true for null, never for
 * none). With `shared`, rows of no organization (null) match too. For a query builder's `where`.
 */
export function inOrganizationScope<DB, TB extends keyof DB>(
  _eb: ExpressionBuilder<DB, TB>,
  column: StringReference<DB, TB>,
  scope: OrganizationScope,
  options: { shared?: boolean } = {},
): Expression<SqlBool> {
  return organizationScopeSql(column, scope, options);
}

/** The same condition for hand-written SQL (`column` as in the query, e.g. `d.organization_id`). */
export function organizationScopeSql(
  column: string,
  scope: OrganizationScope,
  options: { shared?: boolean } = {},
): RawBuilder<SqlBool> {
  if (scope === null) return sql<SqlBool>`true`;
  const ref = sql.ref(column);
  const member = scope.length > 0 ? sql<SqlBool>`${ref} = ANY(${[...scope]}::uuid[])` : sql<SqlBool>`false`;
  return options.shared ? sql<SqlBool>`(${ref} IS NULL OR ${member})` : member;
}
