import { AppError, type ErrorCode } from '../errors.js';
import { DATABASE_CONNECT_TIMEOUT, DATABASE_QUERY_TIMEOUT } from './bounded-pool.js';

/**
 * The one place PostgreSQL errors become `AppError`s: by SQLSTATE and constraint name, never by
 * message text. Unique constraints are listed by name with the field and message a person needs.
 */

interface ConstraintInfo {
  code: ErrorCode;
  field: string;
  message: string;
}

const UNIQUE_CONSTRAINTS: Record<string, ConstraintInfo> = {
  organizations_slug_key: {
    code: 'DuplicateSlug',
    field: 'slug',
    message: 'An organization with this slug already exists: choose another slug.',
  },
  users_username_key: {
    code: 'DuplicateUsername',
    field: 'username',
    message: 'A user with this username already exists: choose another username.',
  },
  memberships_pkey: {
    code: 'DuplicateMembership',
    field: 'user',
    message: 'This user is already a member of the organization: change their role instead.',
  },
  firmware_categories_name_key: {
    code: 'DuplicateCategoryName',
    field: 'name',
    message: 'This organization already has a category with this name (shared categories count as one organization).',
  },
  firmware_builds_version_key: {
    code: 'DuplicateBuildVersion',
    field: 'version',
    message: 'This category already has a build with this version.',
  },
  firmware_builds_os_key: {
    code: 'DuplicateOsIdentifier',
    field: 'os',
    message:
      'Another build of this organization already has this OS identifier: each OS identifier must point to one build.',
  },
  firmware_images_type_key: {
    code: 'DuplicateImageType',
    field: 'type',
    message: 'This build already has an image of this hardware type: delete it first to replace it.',
  },
  devices_mac_address_key: {
    code: 'DuplicateMacAddress',
    field: 'mac_address',
    message: 'This organization already has a device with this MAC address.',
  },
  credentials_name_key: {
    code: 'DuplicateCredentialsName',
    field: 'name',
    message: 'This organization already has credentials with this name.',
  },
  credentials_default_key: {
    code: 'Conflict',
    field: 'is_default',
    message: 'This organization already has default credentials: unset them first.',
  },
  maintenance_windows_name_key: {
    code: 'DuplicateMaintenanceWindowName',
    field: 'name',
    message: 'This organization already has a maintenance window with this name.',
  },
  health_checks_name_key: {
    code: 'DuplicateHealthCheckName',
    field: 'name',
    message: 'This organization already has a health check with this name.',
  },
  upgrade_operations_one_active_key: {
    code: 'UpgradeAlreadyRunning',
    field: 'device',
    message: 'This device already has an upgrade pending or in progress: wait for it, or cancel it.',
  },
};

/** Foreign keys whose violation means "still in use": the message says what to remove first. */
const IN_USE_CONSTRAINTS: Record<string, string> = {
  firmware_categories_organization_id_fkey:
    'The organization still owns firmware categories: delete them first, or deactivate the organization instead.',
  firmware_builds_organization_id_fkey:
    'The organization still owns firmware builds: delete them first, or deactivate the organization instead.',
  devices_organization_id_fkey:
    'The organization still owns devices: delete them first, or deactivate the organization instead.',
};

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
}

/**
 * Codes meaning "the database cannot serve this now": network errors, server shutting down or
 * starting (57P0x), too many connections (53300, 53400), a statement cancelled by statement_timeout
 * (57014), and the bounded waits of bounded-pool.ts (no free connection, no answer at all).
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53400',
  '57014',
  DATABASE_CONNECT_TIMEOUT,
  DATABASE_QUERY_TIMEOUT,
]);

/** SQLSTATE classes of a failure of the moment, not of the statement: 40 transaction rollback
 * (serialization failure, deadlock), 08 connection exception, 53 insufficient resources, 57 operator
 * intervention (shutdown, statement cancelled). */
const TRANSIENT_CLASSES = new Set(['40', '08', '53', '57']);

/**
 * Whether `error` says the database could not do the work now (the same work may succeed on a retry)
 * rather than that the work itself is wrong: SQLSTATE classes 40, 08, 53 and 57, network errors of
 * the connection and the bounded waits of bounded-pool.ts. A connection lost without a code
 * ("Connection terminated unexpectedly" from pg) cannot be told by its code; withSavepoint notices it
 * when the rollback to the savepoint fails on the dead connection.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as PgError;
  if (typeof code !== 'string') return false;
  return UNAVAILABLE.has(code) || CONNECTION_ERRNOS.has(code) || TRANSIENT_CLASSES.has(code.slice(0, 2));
}

/** Socket errors (Node's errno codes) of a connection that broke under a query. */
const CONNECTION_ERRNOS = new Set(['EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN']);

export function mapDatabaseError(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, column } = error as PgError;
  if (typeof code !== 'string') return null;
  if (code === '23505') {
    const info = constraint ? UNIQUE_CONSTRAINTS[constraint] : undefined;
    if (info) return new AppError(info.code, info.message, { [info.field]: info.message }, { cause: error });
    return new AppError('Conflict', 'The change conflicts with an existing object.', undefined, { cause: error });
  }
  if (code === '23503') {
    const inUse = constraint ? IN_USE_CONSTRAINTS[constraint] : undefined;
    if (inUse) return new AppError('Conflict', inUse, undefined, { cause: error });
    return new AppError(
      'Conflict',
      'The change refers to an object that no longer exists, or removes one still in use.',
      undefined,
      { cause: error },
    );
  }
  if (code === '23514' || code === '23502' || code.startsWith('22')) {
    const field = column ?? constraint?.replace(/^[a-z_]+?_(\w+)_check$/, '$1');
    const message = 'A value is out of the accepted range or has the wrong format.';
    return new AppError('ValidationFailed', message, field ? { [field]: message } : undefined, { cause: error });
  }
  if (code === '40001' || code === '40P01') {
    return new AppError('Conflict', 'The change collided with a concurrent change: retry it.', undefined, {
      cause: error,
    });
  }
  if (UNAVAILABLE.has(code) || code.startsWith('08')) {
    return new AppError('DatabaseUnavailable', 'The database is unavailable: retry in a moment.', undefined, {
      cause: error,
      headers: { 'retry-after': '5' },
    });
  }
  return null;
}
