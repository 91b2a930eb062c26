/**
 * The closed set of error codes fleetflash answers with, their HTTP status and what each means.
 * docs/api.md carries the same table (a test checks that every code is documented).
 * Services throw `AppError`s through the small factories below; the HTTP error handler turns them
 * into `{detail, code, fields?}`.
 */
export const ERROR_CODES = {
  ValidationFailed: {
    status: 400,
    meaning: 'The request body, query or path did not match the schema; `fields` names each offending field.',
  },
  InvalidJson: { status: 400, meaning: 'The body is not valid JSON.' },
  InvalidMultipart: { status: 400, meaning: 'The multipart upload is malformed or lacks the `file` part.' },
  NoUpgradeCandidates: {
    status: 400,
    meaning: 'A mass upgrade found no device to upgrade; `detail` and `fields` say which filter left none.',
  },
  NoCustomImageModels: {
    status: 400,
    meaning:
      'Custom images: no device model to build for (no fleet device runs this category, or every model was ' +
      'refused); `detail` says why for each.',
  },
  SelectionTooLarge: {
    status: 400,
    meaning:
      'A bulk action on devices chose more devices than it may act on at once (10,000 for a selection, 1,000 ' +
      'for a bulk retry or cancel): narrow the filters or the selection.',
  },
  BuildHasNoImages: { status: 400, meaning: 'A mass upgrade of a build that has no images: upload images first.' },
  UnknownImageType: {
    status: 400,
    meaning: "The image type is not in the hardware table, the custom image setting, or the image's own metadata.",
  },
  ImageMetadataMismatch: { status: 400, meaning: "The image's embedded metadata contradicts the image type given." },
  NotAnImage: {
    status: 400,
    meaning:
      'The uploaded file has no OpenWrt metadata and is not in the format its type implies, or is implausibly ' +
      'small; upload it with `force=true` if you are sure.',
  },
  InvalidReference: {
    status: 400,
    meaning: 'A referenced object (category, organization, user) does not exist or is not visible to you.',
  },
  ImageDoesNotFit: {
    status: 400,
    meaning: "The image is not built for the device's board, or belongs to another organization.",
  },
  InvalidUpgradeOptions: {
    status: 400,
    meaning: 'The upgrade options are unknown, or combined in a way sysupgrade refuses (`fields` names them).',
  },
  DeviceAddressNotAllowed: {
    status: 400,
    meaning:
      'The device address is in a network devices may not be reached at (settings `devices.*`); ' +
      '`fields.management_ip` says which rule refused it.',
  },
  WebhookUrlNotAllowed: {
    status: 400,
    meaning:
      'The webhook URL is not an http(s) URL fleetflash may post to (settings `webhooks.*`); `fields.url` says why.',
  },
  NotAuthenticated: { status: 401, meaning: 'No valid session cookie or API token was sent.' },
  InvalidCredentials: { status: 401, meaning: 'Username or password is wrong, or the account is inactive.' },
  AgentTokenInvalid: {
    status: 401,
    meaning:
      "The pull agent's device token is unknown, revoked, or replaced by a newer one it already used: enroll the " +
      'device again.',
  },
  AgentNotEnrolled: {
    status: 409,
    meaning: 'The device is not managed by a pull agent, or its device token was revoked: enroll the agent first.',
  },
  InvalidRegistrationSecret: {
    status: 401,
    meaning:
      'Device registration: the organization is unknown, inactive, has no registration secret, or the secret is wrong.',
  },
  PermissionDenied: { status: 403, meaning: 'You can see the object but your role does not allow this action.' },
  ApiDisabled: { status: 403, meaning: 'The firmware REST API is disabled for API tokens (setting `api_enabled`).' },
  RouteNotFound: { status: 404, meaning: 'No endpoint at this path and method.' },
  OrganizationNotFound: { status: 404, meaning: 'No organization with this id is visible to you.' },
  UserNotFound: { status: 404, meaning: 'No user with this id is visible to you.' },
  MembershipNotFound: { status: 404, meaning: 'The user is not a member of this organization.' },
  TokenNotFound: { status: 404, meaning: 'No API token with this id belongs to you.' },
  CategoryNotFound: { status: 404, meaning: 'No firmware category with this id is visible to you.' },
  BuildNotFound: { status: 404, meaning: 'No firmware build with this id is visible to you.' },
  ImageNotFound: { status: 404, meaning: 'No firmware image with this id exists in this build.' },
  DeviceNotFound: { status: 404, meaning: 'No device with this id is visible to you.' },
  CredentialsNotFound: { status: 404, meaning: 'No credentials with this id are visible to you.' },
  DeviceFirmwareNotFound: {
    status: 404,
    meaning: 'The device has no firmware record yet: PUT one to start an upgrade.',
  },
  OperationNotFound: { status: 404, meaning: 'No upgrade operation with this id is visible to you.' },
  BatchNotFound: { status: 404, meaning: 'No mass upgrade with this id is visible to you.' },
  WebhookNotFound: { status: 404, meaning: 'No webhook with this id is visible to you.' },
  NotificationNotFound: { status: 404, meaning: 'No notification with this id is addressed to you.' },
  MaintenanceWindowNotFound: { status: 404, meaning: 'No maintenance window with this id is visible to you.' },
  HealthCheckNotFound: { status: 404, meaning: 'No health check with this id is visible to you.' },
  BackupNotFound: { status: 404, meaning: 'No configuration backup with this id belongs to the device.' },
  InvalidPage: { status: 404, meaning: 'The page number is past the last page.' },
  MethodNotAllowed: { status: 405, meaning: 'The resource does not support this method (images are immutable).' },
  DuplicateSlug: { status: 409, meaning: 'Another organization already has this slug.' },
  DuplicateUsername: { status: 409, meaning: 'Another user already has this username.' },
  DuplicateMembership: { status: 409, meaning: 'The user is already a member of this organization.' },
  LastAdmin: { status: 409, meaning: 'The change would leave the organization without an admin.' },
  LastSuperuser: { status: 409, meaning: 'The change would leave fleetflash without an active superuser.' },
  DuplicateCategoryName: { status: 409, meaning: 'The organization already has a category with this name.' },
  DuplicateBuildVersion: { status: 409, meaning: 'The category already has a build with this version.' },
  DuplicateOsIdentifier: { status: 409, meaning: 'Another build of the same organization has this OS identifier.' },
  DuplicateImageType: { status: 409, meaning: 'The build already has an image of this hardware type.' },
  DuplicateMacAddress: { status: 409, meaning: 'The organization already has a device with this MAC address.' },
  DuplicateCredentialsName: { status: 409, meaning: 'The organization already has credentials with this name.' },
  DuplicateHealthCheckName: { status: 409, meaning: 'The organization already has a health check with this name.' },
  DuplicateMaintenanceWindowName: {
    status: 409,
    meaning: 'The organization already has a maintenance window with this name.',
  },
  MaintenanceWindowInUse: {
    status: 409,
    meaning: 'A running mass upgrade (scheduled, in progress or paused) uses the maintenance window: end it first.',
  },
  DeviceDeactivated: { status: 409, meaning: 'The device is deactivated: activate it before upgrading it.' },
  NoCredentials: {
    status: 409,
    meaning: "The device has no SSH credentials (its own, or its organization's default): add some first.",
  },
  NoUpgrader: { status: 409, meaning: "No upgrader is registered for the device's OS string." },
  UpgradeAlreadyRunning: { status: 409, meaning: 'The device already has an upgrade pending or in progress.' },
  CancelNotPossible: {
    status: 409,
    meaning: 'The operation can no longer be cancelled (finished, or flashing started); `detail` says which.',
  },
  RetryNotPossible: { status: 409, meaning: 'Only failed, aborted or cancelled operations can be retried.' },
  BatchStateConflict: {
    status: 409,
    meaning:
      'The mass upgrade is not in a state that allows this action (e.g. resuming one that is not paused); ' +
      '`detail` says which.',
  },
  ImageInUse: {
    status: 409,
    meaning: 'The image is being installed by a pending or running upgrade: cancel it first.',
  },
  Conflict: { status: 409, meaning: 'The change conflicts with the current state of another object.' },
  FileTooLarge: { status: 413, meaning: 'The uploaded file exceeds the `max_file_size` setting; nothing was stored.' },
  PayloadTooLarge: { status: 413, meaning: 'The request body exceeds the size the endpoint accepts.' },
  UnsupportedMediaType: { status: 415, meaning: 'The Content-Type is not one this endpoint accepts.' },
  RangeNotSatisfiable: { status: 416, meaning: 'The requested byte range lies outside the file.' },
  TooManyRequests: { status: 429, meaning: 'Too many attempts; wait for the time in Retry-After.' },
  InternalError: {
    status: 500,
    meaning: 'An unexpected error; the server log holds the details under the request id.',
  },
  DatabaseUnavailable: { status: 503, meaning: 'The database cannot be reached or is overloaded; retry later.' },
  StorageUnavailable: {
    status: 503,
    meaning:
      'The object store holding the files (setting `storage.backend`) cannot be reached or refused the request; ' +
      'nothing was recorded. Retry later.',
  },
  CrossSiteRequest: {
    status: 403,
    meaning:
      "A change made with a session cookie (or a login) did not come from fleetflash's own pages: neither " +
      'Origin, Sec-Fetch-Site nor Referer shows the same origin.',
  },
  InvalidUrl: { status: 400, meaning: 'The URL is malformed (e.g. a bad percent-encoding such as `%zz`).' },
  MalformedRequest: { status: 400, meaning: 'The HTTP request could not be parsed.' },
  RequestTimeout: { status: 408, meaning: 'The client did not send the whole request in time.' },
  UriTooLong: { status: 414, meaning: 'A path segment is longer than 100 characters.' },
  HeadersTooLarge: { status: 431, meaning: 'The request headers are larger than the server accepts (16 KiB in all).' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.headers = options?.headers;
  }

  readonly headers: Record<string, string> | undefined;
}

type NotFoundCode = Extract<ErrorCode, `${string}NotFound`>;

const entityCodes = {
  device: 'DeviceNotFound',
  credentials: 'CredentialsNotFound',
  operation: 'OperationNotFound',
  organization: 'OrganizationNotFound',
  user: 'UserNotFound',
  membership: 'MembershipNotFound',
  token: 'TokenNotFound',
  category: 'CategoryNotFound',
  build: 'BuildNotFound',
  image: 'ImageNotFound',
  webhook: 'WebhookNotFound',
  notification: 'NotificationNotFound',
  backup: 'BackupNotFound',
} as const satisfies Record<string, NotFoundCode>;

export type Entity = keyof typeof entityCodes;

export function notFound(entity: Entity, id?: string): AppError {
  const labels: Partial<Record<Entity, string>> = {
    image: 'firmware image',
    build: 'firmware build',
    category: 'firmware category',
    operation: 'upgrade operation',
    backup: 'configuration backup',
  };
  const label = labels[entity] ?? entity;
  return new AppError(entityCodes[entity], id === undefined ? `${label} not found` : `${label} ${id} not found`);
}

export function invalid(message: string, fields?: Record<string, string>): AppError {
  return new AppError('ValidationFailed', message, fields);
}

export function invalidReference(field: string, message: string): AppError {
  return new AppError('InvalidReference', message, { [field]: message });
}

export function forbidden(message: string): AppError {
  return new AppError('PermissionDenied', message);
}

export function conflict(
  code: Extract<ErrorCode, `Duplicate${string}` | `Last${string}` | 'Conflict'>,
  message: string,
  fields?: Record<string, string>,
): AppError {
  return new AppError(code, message, fields);
}

export function notAuthenticated(
  message = 'Authentication required: log in, or send "Authorization: Bearer <token>"',
): AppError {
  return new AppError('NotAuthenticated', message);
}
