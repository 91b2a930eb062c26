/**
 * The table of every fleetflash setting: its config-file key, its environment variable, its default
 * and how a raw value is checked. `config.ts` turns this table into the frozen `Config` object;
 * `docs/settings.md` documents the same rows (a test keeps the two in step).
 *
 * Values from the environment are strings; values from the JSON config file keep their JSON type.
 * Each parser accepts both and throws a `SettingError` with a message a person can act on.
 */

import { DEFAULT_DENIED_NETWORKS, parseNetwork } from './address-policy.js';

export class SettingError extends Error {}

export interface SettingSpec<T> {
  /** Dotted key in the JSON config file, e.g. `retry_options.max_retries`. */
  key: string;
  /** Environment variable that overrides the file. */
  env: string;
  default: T;
  parse: (raw: unknown) => T;
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER): (raw: unknown) => number {
  return (raw) => {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new SettingError(`must be a whole number, got ${JSON.stringify(raw)}`);
    }
    if (value < min || value > max) {
      throw new SettingError(`must be between ${min} and ${max}, got ${value}`);
    }
    return value;
  };
}

/** Seconds, fractions allowed (tests shrink waits to milliseconds: 0.05). */
function seconds(min: number, max: number): (raw: unknown) => number {
  return (raw) => {
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new SettingError(`must be a number of seconds, got ${JSON.stringify(raw)}`);
    }
    if (value < min || value > max) throw new SettingError(`must be between ${min} and ${max} seconds, got ${value}`);
    return value;
  };
}

/** Whole days from 1 to 100 years, or "keep forever" (null), written 0, null, an empty string or `forever`. */
function retentionDays(raw: unknown): number | null {
  if (raw === null || raw === '' || raw === 0 || raw === '0' || raw === 'forever') return null;
  return integer(1, 36_525)(raw);
}

function boolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const lowered = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(lowered)) return true;
    if (['0', 'false', 'no', 'off'].includes(lowered)) return false;
  }
  throw new SettingError(`must be true or false, got ${JSON.stringify(raw)}`);
}

function text(options: { allowEmpty?: boolean } = {}): (raw: unknown) => string {
  return (raw) => {
    if (typeof raw !== 'string') throw new SettingError(`must be a string, got ${JSON.stringify(raw)}`);
    if (!options.allowEmpty && raw.trim() === '') throw new SettingError('must not be empty');
    return raw;
  };
}

function optionalText(raw: unknown): string | null {
  if (raw === null || raw === '') return null;
  return text()(raw);
}

function oneOf<T extends string>(choices: readonly T[]): (raw: unknown) => T {
  return (raw) => {
    if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
    throw new SettingError(`must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  };
}

/** Bytes, or null for "no limit". The environment spells null as `unlimited` or an empty string. */
function nullableBytes(raw: unknown): number | null {
  if (raw === null || raw === '' || raw === 'unlimited' || raw === 'null') return null;
  return integer(1)(raw);
}

function secretKey(raw: unknown): string | null {
  const value = optionalText(raw);
  if (value !== null && value.length < 32)
    throw new SettingError('must be at least 32 characters (generate one with: openssl rand -hex 32)');
  return value;
}

function databaseUrl(raw: unknown): string | null {
  const value = optionalText(raw);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingError('must be a URL such as postgres://user:password@host:5432/fleetflash');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new SettingError(`must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return value;
}

export interface CustomImageType {
  /** Image type key: the sysupgrade file name without the `openwrt-<version>-` prefix. */
  type: string;
  /** Human-readable hardware name shown in the UI. */
  label: string;
  /** Board names (`board_name` as the router reports it) the image fits. */
  boards: string[];
}

/** A list setting: a JSON array in the file, the same array as JSON text in the environment. */
function jsonArray(raw: unknown, shape: string): unknown[] {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return [];
    try {
      value = JSON.parse(raw);
    } catch {
      throw new SettingError(`must be a JSON array of ${shape} objects`);
    }
  }
  if (value === null) return [];
  if (!Array.isArray(value)) throw new SettingError(`must be an array of ${shape} objects`);
  return value;
}

/**
 * Custom image types. The file takes an array of `{type, label, boards}`; the environment takes
 * the same array as JSON. The seed's tuple shape (`[type, {label, boards}]`) is accepted as well.
 */
function customImages(raw: unknown): CustomImageType[] {
  return jsonArray(raw, '{"type", "label", "boards"}').map((entry: unknown, index) => {
    const normalised =
      Array.isArray(entry) && entry.length === 2 && typeof entry[1] === 'object'
        ? { type: entry[0], ...(entry[1] as object) }
        : entry;
    const candidate = normalised as { type?: unknown; label?: unknown; boards?: unknown };
    if (typeof candidate !== 'object' || candidate === null) {
      throw new SettingError(`entry ${index} must be an object with type, label and boards`);
    }
    if (typeof candidate.type !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._,+-]{0,127}$/.test(candidate.type)) {
      throw new SettingError(
        `entry ${index}: "type" must be an image type such as "ath79-generic-myboard-squashfs-sysupgrade.bin"`,
      );
    }
    if (typeof candidate.label !== 'string' || candidate.label.trim() === '') {
      throw new SettingError(`entry ${index} (${candidate.type}): "label" must be a non-empty string`);
    }
    // A bare string here was a real data bug in the system we replace: it turned into a list of
    // single characters. Refuse it instead of guessing.
    if (
      !Array.isArray(candidate.boards) ||
      candidate.boards.length === 0 ||
      !candidate.boards.every((board) => typeof board === 'string' && board.trim() !== '')
    ) {
      throw new SettingError(`entry ${index} (${candidate.type}): "boards" must be a non-empty array of board names`);
    }
    return { type: candidate.type, label: candidate.label, boards: candidate.boards as string[] };
  });
}

export interface CustomUpgrader {
  /** Regular expression matched against the device's OS string, e.g. "^MyOS ". */
  osPattern: string;
  /** Module path (absolute, or relative to the working directory) whose default export is an Upgrader. */
  module: string;
}

function customUpgraders(raw: unknown): CustomUpgrader[] {
  return jsonArray(raw, '{"os_pattern", "module"}').map((entry: unknown, index) => {
    const candidate = entry as { os_pattern?: unknown; module?: unknown };
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.os_pattern !== 'string' ||
      typeof candidate.module !== 'string' ||
      candidate.module === ''
    ) {
      throw new SettingError(`entry ${index} must be {"os_pattern": "<regular expression>", "module": "<path>"}`);
    }
    try {
      new RegExp(candidate.os_pattern);
    } catch {
      throw new SettingError(`entry ${index}: "os_pattern" is not a valid regular expression`);
    }
    return { osPattern: candidate.os_pattern, module: candidate.module };
  });
}

/** A list of strings: a JSON array in the file, the same array as JSON text or comma-separated in the environment. */
function stringList(pattern: RegExp, shape: string): (raw: unknown) => string[] {
  return (raw) => {
    let value = raw;
    if (typeof raw === 'string') {
      const trimmed = raw.trim();
      if (trimmed === '') return [];
      value = trimmed.startsWith('[')
        ? (() => {
            try {
              return JSON.parse(trimmed) as unknown;
            } catch {
              throw new SettingError(`must be a JSON array of ${shape}, or a comma-separated list`);
            }
          })()
        : trimmed.split(',').map((item) => item.trim());
    }
    if (value === null) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && pattern.test(item))) {
      throw new SettingError(`must be a list of ${shape}`);
    }
    return value as string[];
  };
}

function httpUrl(raw: unknown): string {
  const value = text()(raw).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingError('must be a URL such as https://downloads.openwrt.org');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SettingError(`must start with http:// or https://, got ${url.protocol}//`);
  return value;
}

/** A usign public key: its base64 line (the "untrusted comment" line may be included). */
function usignKey(raw: unknown): string | null {
  const value = optionalText(raw);
  if (value === null) return null;
  const line =
    value
      .split('\n')
      .map((part) => part.trim())
      .filter((part) => part !== '' && !part.startsWith('untrusted comment:'))[0] ?? '';
  const bytes = Buffer.from(line, 'base64');
  if (bytes.length !== 42 || bytes.subarray(0, 2).toString('latin1') !== 'Ed') {
    throw new SettingError("must be a usign (signify) Ed25519 public key, e.g. the second line of OpenWrt's key file");
  }
  return line;
}

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Which reverse proxies to believe about the client address (X-Forwarded-For) and protocol:
 * `false`; a number of proxies in front of fleetflash (`true` means 1); or the proxies' addresses
 * and CIDR ranges. Never "every hop": a client could then pick its own address by sending
 * X-Forwarded-For itself, and escape per-address limits such as login throttling.
 */
function trustProxy(raw: unknown): false | number | string[] {
  if (typeof raw === 'boolean') return raw ? 1 : false;
  if (typeof raw === 'string' && /^(true|false|yes|no|on|off)$/i.test(raw.trim())) return boolean(raw) ? 1 : false;
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)))
    return integer(0, 20)(raw) || false;
  const entries = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : []).map((entry) =>
    typeof entry === 'string' ? entry.trim() : entry,
  );
  const valid = (entry: unknown) =>
    typeof entry === 'string' && (PROXY_ADDRESS_NAMES.includes(entry) || isIpOrCidr(entry));
  if (entries.length === 0 || !entries.every(valid)) {
    throw new SettingError(
      `must be true/false, a number of proxies, or proxy addresses/CIDR ranges such as "127.0.0.1,10.0.0.0/8", ` +
        `got ${JSON.stringify(raw)}`,
    );
  }
  return entries as string[];
}

function isIpOrCidr(entry: string): boolean {
  try {
    parseNetwork(entry);
    return true;
  } catch {
    return false;
  }
}

/** A list of networks in CIDR notation (a bare address is one host); each is checked here, at boot. */
function smtpUrl(raw: unknown): string | null {
  const value = optionalText(raw);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingError('must be a URL such as smtp://user:password@mail.example.com:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new SettingError(`must start with smtp:// or smtps://, got ${url.protocol}//`);
  return value;
}

function networkList(raw: unknown): string[] {
  const entries = stringList(/^\S+$/, 'networks such as "10.0.0.0/8" or "fd00::/8"')(raw);
  return entries.map((entry) => {
    try {
      return parseNetwork(entry).cidr;
    } catch (error) {
      throw new SettingError((error as Error).message);
    }
  });
}

export const STORAGE_BACKENDS = ['local', 's3'] as const;
export const IMAGE_TRANSFERS = ['push', 'pull'] as const;
export type ImageTransfer = (typeof IMAGE_TRANSFERS)[number];

/** The object store's URL: no credentials in it (they would reach logs with it). */
function s3Endpoint(raw: unknown): string | null {
  if (optionalText(raw) === null) return null;
  const value = httpUrl(raw);
  if (new URL(value).username || new URL(value).password)
    throw new SettingError('must not carry credentials: use storage.s3.access_key_id and secret_access_key');
  return value;
}

/** A secret: its value never appears in a message (the message names the setting only). */
function secretText(raw: unknown): string | null {
  if (raw === null || raw === '') return null;
  if (typeof raw !== 'string') throw new SettingError('must be a string');
  return raw;
}

/** Object keys begin with it: letters, digits and `!-_.*'()/`, no leading slash, no `..`. */
function keyPrefix(raw: unknown): string {
  const value = text({ allowEmpty: true })(raw).trim();
  if (value === '') return '';
  if (!/^[A-Za-z0-9!_.*'()/-]+$/.test(value) || value.startsWith('/') || value.split('/').includes('..'))
    throw new SettingError(`must be letters, digits and !-_.*'()/ without a leading slash, got ${JSON.stringify(raw)}`);
  return value.endsWith('/') ? value : `${value}/`;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting, in the order docs/settings.md lists them. */
export const SETTINGS = {
  host: { key: 'host', env: 'HOST', default: '127.0.0.1', parse: text() },
  port: { key: 'port', env: 'PORT', default: 8000, parse: integer(0, 65535) },
  publicUrl: { key: 'public_url', env: 'FLEETFLASH_PUBLIC_URL', default: null, parse: optionalText },
  trustProxy: {
    key: 'trust_proxy',
    env: 'FLEETFLASH_TRUST_PROXY',
    default: false as false | number | string[],
    parse: trustProxy,
  },
  dataDir: { key: 'data_dir', env: 'FLEETFLASH_DATA_DIR', default: './data', parse: text() },
  webDir: { key: 'web_dir', env: 'FLEETFLASH_WEB_DIR', default: null, parse: optionalText },
  databaseUrl: { key: 'database_url', env: 'DATABASE_URL', default: null, parse: databaseUrl },
  /** A direct connection (not through a transaction-mode pooler) for LISTEN and migrations; default: database_url. */
  databaseListenUrl: {
    key: 'database_listen_url',
    env: 'FLEETFLASH_DATABASE_LISTEN_URL',
    default: null,
    parse: databaseUrl,
  },
  databasePoolSize: {
    key: 'database_pool_size',
    env: 'FLEETFLASH_DATABASE_POOL_SIZE',
    default: 10,
    parse: integer(2, 500),
  },
  /** Seconds a query may wait for a database connection before the request answers 503. */
  databaseConnectTimeout: {
    key: 'database_connect_timeout',
    env: 'FLEETFLASH_DATABASE_CONNECT_TIMEOUT',
    default: 10,
    parse: seconds(0.05, 600),
  },
  /** Seconds one SQL statement of an HTTP request may run before PostgreSQL cancels it (answer: 503). */
  databaseStatementTimeout: {
    key: 'database_statement_timeout',
    env: 'FLEETFLASH_DATABASE_STATEMENT_TIMEOUT',
    default: 30,
    parse: seconds(0.05, 3600),
  },
  /** Seconds one SQL statement of background work may run; 0 means no limit. */
  databaseWorkerStatementTimeout: {
    key: 'database_worker_statement_timeout',
    env: 'FLEETFLASH_DATABASE_WORKER_STATEMENT_TIMEOUT',
    default: 600,
    parse: seconds(0, 86400),
  },
  /** Where stored files (firmware images, image-build outputs) live: this machine's disk or an object store. */
  storageBackend: {
    key: 'storage.backend',
    env: 'FLEETFLASH_STORAGE_BACKEND',
    default: 'local',
    parse: oneOf(STORAGE_BACKENDS),
  },
  /** The S3 API's base URL; null: AWS S3 of `storage.s3.region`. */
  s3Endpoint: { key: 'storage.s3.endpoint', env: 'FLEETFLASH_S3_ENDPOINT', default: null, parse: s3Endpoint },
  s3Bucket: { key: 'storage.s3.bucket', env: 'FLEETFLASH_S3_BUCKET', default: null, parse: optionalText },
  s3Region: { key: 'storage.s3.region', env: 'FLEETFLASH_S3_REGION', default: 'us-east-1', parse: text() },
  /** Null with the secret too: the SDK's own chain (AWS_* variables, instance or pod role). */
  s3AccessKeyId: {
    key: 'storage.s3.access_key_id',
    env: 'FLEETFLASH_S3_ACCESS_KEY_ID',
    default: null,
    parse: optionalText,
  },
  s3SecretAccessKey: {
    key: 'storage.s3.secret_access_key',
    env: 'FLEETFLASH_S3_SECRET_ACCESS_KEY',
    default: null,
    parse: secretText,
  },
  s3ForcePathStyle: {
    key: 'storage.s3.force_path_style',
    env: 'FLEETFLASH_S3_FORCE_PATH_STYLE',
    default: false,
    parse: boolean,
  },
  s3KeyPrefix: { key: 'storage.s3.key_prefix', env: 'FLEETFLASH_S3_KEY_PREFIX', default: '', parse: keyPrefix },
  /** Downloads answer 302 to a presigned URL of the object store instead of streaming through fleetflash. */
  s3PresignedDownloads: {
    key: 'storage.s3.presigned_downloads',
    env: 'FLEETFLASH_S3_PRESIGNED_DOWNLOADS',
    default: false,
    parse: boolean,
  },
  s3PresignedUrlExpiry: {
    key: 'storage.s3.presigned_url_expiry',
    env: 'FLEETFLASH_S3_PRESIGNED_URL_EXPIRY',
    default: 300,
    parse: integer(1, 7 * 24 * 3600),
  },
  adminUsername: { key: 'admin_username', env: 'FLEETFLASH_ADMIN_USERNAME', default: null, parse: optionalText },
  adminPassword: { key: 'admin_password', env: 'FLEETFLASH_ADMIN_PASSWORD', default: null, parse: optionalText },
  secretKey: { key: 'secret_key', env: 'FLEETFLASH_SECRET_KEY', default: null, parse: secretKey },
  sessionTtl: { key: 'session_ttl', env: 'FLEETFLASH_SESSION_TTL', default: 14 * 24 * 3600, parse: integer(60) },
  /** Seconds an authenticated token or session is remembered per process (0: look it up on every request). */
  authCacheTtl: { key: 'auth_cache_ttl', env: 'FLEETFLASH_AUTH_CACHE_TTL', default: 10, parse: seconds(0, 60) },
  secureCookies: { key: 'secure_cookies', env: 'FLEETFLASH_SECURE_COOKIES', default: false, parse: boolean },
  /** Failed logins allowed for one username from one client address per window. */
  loginMaxFailures: {
    key: 'login_throttle.max_failures',
    env: 'FLEETFLASH_LOGIN_MAX_FAILURES',
    default: 5,
    parse: integer(1, 1_000_000),
  },
  /** Failed logins allowed from one client address, whatever the usernames, per window. */
  loginMaxFailuresPerAddress: {
    key: 'login_throttle.max_failures_per_address',
    env: 'FLEETFLASH_LOGIN_MAX_FAILURES_PER_ADDRESS',
    default: 50,
    parse: integer(1, 1_000_000),
  },
  /** Seconds of the failed-login window. */
  loginThrottleWindow: {
    key: 'login_throttle.window',
    env: 'FLEETFLASH_LOGIN_THROTTLE_WINDOW',
    default: 900,
    parse: seconds(1, 7 * 24 * 3600),
  },
  logLevel: { key: 'log_level', env: 'LOG_LEVEL', default: 'info', parse: oneOf(LOG_LEVELS) },
  apiEnabled: { key: 'api_enabled', env: 'FLEETFLASH_API_ENABLED', default: true, parse: boolean },
  /** Seconds a build list (count or page) is remembered per process (0: ask the database every time). */
  listCacheTtl: { key: 'list_cache_ttl', env: 'FLEETFLASH_LIST_CACHE_TTL', default: 60, parse: seconds(0, 3600) },
  maxFileSize: {
    key: 'max_file_size',
    env: 'FLEETFLASH_MAX_FILE_SIZE',
    default: 30 * 1024 * 1024,
    parse: nullableBytes,
  },
  customOpenwrtImages: {
    key: 'custom_openwrt_images',
    env: 'FLEETFLASH_CUSTOM_OPENWRT_IMAGES',
    default: [],
    parse: customImages,
  },
  retryMaxRetries: {
    key: 'retry_options.max_retries',
    env: 'FLEETFLASH_RETRY_MAX_RETRIES',
    default: 4,
    parse: integer(0, 100),
  },
  retryBackoff: {
    key: 'retry_options.retry_backoff',
    env: 'FLEETFLASH_RETRY_BACKOFF',
    default: 60,
    parse: seconds(0.001, 86400),
  },
  retryBackoffMax: {
    key: 'retry_options.retry_backoff_max',
    env: 'FLEETFLASH_RETRY_BACKOFF_MAX',
    default: 600,
    parse: seconds(0.001, 86400),
  },
  retryJitter: { key: 'retry_options.retry_jitter', env: 'FLEETFLASH_RETRY_JITTER', default: true, parse: boolean },
  taskTimeout: { key: 'task_timeout', env: 'FLEETFLASH_TASK_TIMEOUT', default: 600, parse: seconds(0.1, 86400) },
  upgradeConcurrency: {
    key: 'upgrade_concurrency',
    env: 'FLEETFLASH_UPGRADE_CONCURRENCY',
    default: 10_000,
    parse: integer(1, 100_000),
  },
  upgradeMaxSshSessions: {
    key: 'upgrade_max_ssh_sessions',
    env: 'FLEETFLASH_UPGRADE_MAX_SSH_SESSIONS',
    default: 100,
    parse: integer(1, 100_000),
  },
  upgradeMaxTransfers: {
    key: 'upgrade_max_transfers',
    env: 'FLEETFLASH_UPGRADE_MAX_TRANSFERS',
    default: 50,
    parse: integer(1, 100_000),
  },
  upgradeLease: { key: 'upgrade_lease', env: 'FLEETFLASH_UPGRADE_LEASE', default: 30, parse: seconds(0.5, 3600) },
  upgradePollInterval: {
    key: 'upgrade_poll_interval',
    env: 'FLEETFLASH_UPGRADE_POLL_INTERVAL',
    default: 1,
    parse: seconds(0.01, 60),
  },
  upgradeGlobalConcurrency: {
    key: 'upgrade_global_concurrency',
    env: 'FLEETFLASH_UPGRADE_GLOBAL_CONCURRENCY',
    default: 1000,
    parse: integer(1, 1_000_000),
  },
  rolloutMaxConcurrent: {
    key: 'rollout_max_concurrent',
    env: 'FLEETFLASH_ROLLOUT_MAX_CONCURRENT',
    default: 100,
    parse: integer(1, 100_000),
  },
  rolloutCheckInterval: {
    key: 'rollout_check_interval',
    env: 'FLEETFLASH_ROLLOUT_CHECK_INTERVAL',
    default: 2,
    parse: seconds(0.01, 600),
  },
  /**
   * Operations a mass upgrade's launch writes in its own transaction (the first in rollout order); the workers
   * write the rest in chunks of this size (batch-controller.ts).
   */
  rolloutLaunchChunk: {
    key: 'rollout_launch_chunk',
    env: 'FLEETFLASH_ROLLOUT_LAUNCH_CHUNK',
    default: 5000,
    parse: integer(1, 1_000_000),
  },
  offlineDeadline: {
    key: 'offline_deadline',
    env: 'FLEETFLASH_OFFLINE_DEADLINE',
    default: 7 * 24 * 3600,
    parse: seconds(1, 366 * 24 * 3600),
  },
  /**
   * Seconds before a maintenance window closes in which no upgrade starts and no flash begins: an upgrade
   * that would start (or reach its flash) later waits for the window's next opening.
   */
  windowEndMargin: {
    key: 'window_end_margin',
    env: 'FLEETFLASH_WINDOW_END_MARGIN',
    default: 15 * 60,
    parse: seconds(0, 24 * 3600),
  },
  offlineRetryBackoffMax: {
    key: 'offline_retry_backoff_max',
    env: 'FLEETFLASH_OFFLINE_RETRY_BACKOFF_MAX',
    default: 3600,
    parse: seconds(0.01, 7 * 24 * 3600),
  },
  /**
   * Days audit-log entries are kept before the hourly purge deletes them; 0 (or null, or "forever") keeps
   * them forever. Read as null for "forever".
   */
  auditRetentionDays: {
    key: 'audit_retention_days',
    env: 'FLEETFLASH_AUDIT_RETENTION_DAYS',
    default: 365 as number | null,
    parse: retentionDays,
  },
  /** Configuration backups kept per device (the newest); the hourly purge deletes older ones. */
  backupsKeepPerDevice: {
    key: 'backups.keep_per_device',
    env: 'FLEETFLASH_BACKUPS_KEEP_PER_DEVICE',
    default: 5,
    parse: integer(1, 10_000),
  },
  /** Days a configuration backup is kept at most (0: no age limit, only `backups.keep_per_device`). */
  backupsMaxAgeDays: {
    key: 'backups.max_age_days',
    env: 'FLEETFLASH_BACKUPS_MAX_AGE_DAYS',
    default: 90,
    parse: integer(0, 36_500),
  },
  eventRetention: {
    key: 'event_retention',
    env: 'FLEETFLASH_EVENT_RETENTION',
    default: 24 * 3600,
    parse: seconds(60, 366 * 24 * 3600),
  },
  /** Seconds an event stream stays open before the server ends it; the client resumes with Last-Event-ID. */
  eventsStreamMaxLifetime: {
    key: 'events.stream_max_lifetime',
    env: 'FLEETFLASH_EVENTS_STREAM_MAX_LIFETIME',
    default: 3600,
    parse: seconds(0.1, 7 * 24 * 3600),
  },
  /** Seconds between re-checks of an event stream's caller besides the ones access changes trigger (at most 30). */
  eventsAccessRecheckInterval: {
    key: 'events.access_recheck_interval',
    env: 'FLEETFLASH_EVENTS_ACCESS_RECHECK_INTERVAL',
    default: 30,
    parse: seconds(0.05, 30),
  },
  /** Bytes an event stream may have waiting for a client that does not read them; beyond, the stream is closed. */
  eventsStreamMaxBuffer: {
    key: 'events.stream_max_buffer',
    env: 'FLEETFLASH_EVENTS_STREAM_MAX_BUFFER',
    default: 1024 * 1024,
    parse: integer(1024, 1024 * 1024 * 1024),
  },
  asuEnabled: { key: 'image_builds.enabled', env: 'FLEETFLASH_IMAGE_BUILDS_ENABLED', default: true, parse: boolean },
  asuUpstreamUrl: {
    key: 'image_builds.upstream_url',
    env: 'FLEETFLASH_UPSTREAM_URL',
    default: 'https://downloads.openwrt.org',
    parse: httpUrl,
  },
  asuUpstreamRefresh: {
    key: 'image_builds.upstream_refresh',
    env: 'FLEETFLASH_UPSTREAM_REFRESH',
    default: 600,
    parse: seconds(1, 7 * 24 * 3600),
  },
  asuUpstreamTimeout: {
    key: 'image_builds.upstream_timeout',
    env: 'FLEETFLASH_UPSTREAM_TIMEOUT',
    default: 30,
    parse: seconds(0.1, 600),
  },
  asuSigningKey: {
    key: 'image_builds.signing_key',
    env: 'FLEETFLASH_IMAGEBUILDER_SIGNING_KEY',
    default: null,
    parse: usignKey,
  },
  asuFeeds: {
    key: 'image_builds.feeds',
    env: 'FLEETFLASH_IMAGEBUILDER_FEEDS',
    default: ['base', 'luci', 'packages', 'routing', 'telephony'],
    parse: stringList(/^[a-z0-9_-]{1,64}$/, 'feed names'),
  },
  asuAllowDefaults: {
    key: 'image_builds.allow_defaults',
    env: 'FLEETFLASH_ALLOW_DEFAULTS',
    default: false,
    parse: boolean,
  },
  asuMaxDefaultsLength: {
    key: 'image_builds.max_defaults_length',
    env: 'FLEETFLASH_MAX_DEFAULTS_LENGTH',
    default: 20480,
    parse: integer(0, 1024 * 1024),
  },
  asuMaxRootfsSizeMb: {
    key: 'image_builds.max_custom_rootfs_size_mb',
    env: 'FLEETFLASH_MAX_CUSTOM_ROOTFS_SIZE_MB',
    default: 1024,
    parse: integer(1, 1024 * 1024),
  },
  asuMaxPackages: {
    key: 'image_builds.max_packages',
    env: 'FLEETFLASH_MAX_PACKAGES',
    default: 1000,
    parse: integer(1, 100_000),
  },
  asuRepositoryAllowList: {
    key: 'image_builds.repository_allow_list',
    env: 'FLEETFLASH_REPOSITORY_ALLOW_LIST',
    default: [],
    parse: stringList(/^https?:\/\/[^\s]+$/, 'http(s) URL prefixes'),
  },
  asuBuildTtl: {
    key: 'image_builds.build_ttl',
    env: 'FLEETFLASH_BUILD_TTL',
    default: 24 * 3600,
    parse: seconds(1, 366 * 24 * 3600),
  },
  asuBuildTtlVersioned: {
    key: 'image_builds.build_ttl_versioned',
    env: 'FLEETFLASH_BUILD_TTL_VERSIONED',
    default: 7 * 24 * 3600,
    parse: seconds(1, 366 * 24 * 3600),
  },
  asuBuildDefaultsTtl: {
    key: 'image_builds.build_defaults_ttl',
    env: 'FLEETFLASH_BUILD_DEFAULTS_TTL',
    default: 1800,
    parse: seconds(1, 366 * 24 * 3600),
  },
  asuUserErrorTtl: {
    key: 'image_builds.user_error_ttl',
    env: 'FLEETFLASH_BUILD_USER_ERROR_TTL',
    default: 600,
    parse: seconds(0, 7 * 24 * 3600),
  },
  asuBuildConcurrency: {
    key: 'image_builds.concurrency',
    env: 'FLEETFLASH_BUILD_CONCURRENCY',
    default: 2,
    parse: integer(1, 256),
  },
  asuBuildTimeout: {
    key: 'image_builds.timeout',
    env: 'FLEETFLASH_BUILD_TIMEOUT',
    default: 600,
    parse: seconds(1, 24 * 3600),
  },
  asuBuildMaxAttempts: {
    key: 'image_builds.max_attempts',
    env: 'FLEETFLASH_BUILD_MAX_ATTEMPTS',
    default: 3,
    parse: integer(1, 20),
  },
  asuBuildRetryDelay: {
    key: 'image_builds.retry_delay',
    env: 'FLEETFLASH_BUILD_RETRY_DELAY',
    default: 30,
    parse: seconds(0, 24 * 3600),
  },
  asuBuildLease: { key: 'image_builds.lease', env: 'FLEETFLASH_BUILD_LEASE', default: 60, parse: seconds(0.5, 3600) },
  asuMaxOutputSize: {
    key: 'image_builds.max_output_size',
    env: 'FLEETFLASH_BUILD_MAX_OUTPUT_SIZE',
    default: 512 * 1024 * 1024,
    parse: integer(1024),
  },
  asuMaxQueued: {
    key: 'image_builds.max_queued',
    env: 'FLEETFLASH_BUILD_MAX_QUEUED',
    default: 500,
    parse: integer(1, 1_000_000),
  },
  asuClientMaxQueued: {
    key: 'image_builds.client_max_queued',
    env: 'FLEETFLASH_BUILD_CLIENT_MAX_QUEUED',
    default: 5,
    parse: integer(1, 100_000),
  },
  asuClientRateLimit: {
    key: 'image_builds.client_rate_limit',
    env: 'FLEETFLASH_BUILD_CLIENT_RATE_LIMIT',
    default: 30,
    parse: integer(1, 1_000_000),
  },
  asuClientRateWindow: {
    key: 'image_builds.client_rate_window',
    env: 'FLEETFLASH_BUILD_CLIENT_RATE_WINDOW',
    default: 3600,
    parse: seconds(1, 7 * 24 * 3600),
  },
  asuImagebuilderDir: {
    key: 'image_builds.imagebuilder_dir',
    env: 'FLEETFLASH_IMAGEBUILDER_DIR',
    default: null,
    parse: optionalText,
  },
  asuImagebuilderUser: {
    key: 'image_builds.build_user',
    env: 'FLEETFLASH_BUILD_USER',
    default: 'nobody',
    parse: text({ allowEmpty: true }),
  },
  asuImagebuilderCacheTtl: {
    key: 'image_builds.imagebuilder_cache_ttl',
    env: 'FLEETFLASH_IMAGEBUILDER_CACHE_TTL',
    default: 24 * 3600,
    parse: seconds(1, 366 * 24 * 3600),
  },
  asuStatsRetention: {
    key: 'image_builds.stats_retention',
    env: 'FLEETFLASH_BUILD_STATS_RETENTION',
    default: 90 * 24 * 3600,
    parse: seconds(3600, 10 * 366 * 24 * 3600),
  },
  upgraders: { key: 'upgraders', env: 'FLEETFLASH_UPGRADERS', default: [], parse: customUpgraders },
  openwrtConnectTimeout: {
    key: 'openwrt.connect_timeout',
    env: 'FLEETFLASH_OPENWRT_CONNECT_TIMEOUT',
    default: 10,
    parse: seconds(0.1, 600),
  },
  openwrtCommandTimeout: {
    key: 'openwrt.command_timeout',
    env: 'FLEETFLASH_OPENWRT_COMMAND_TIMEOUT',
    default: 60,
    parse: seconds(0.1, 3600),
  },
  openwrtReconnectDelay: {
    key: 'openwrt.reconnect_delay',
    env: 'FLEETFLASH_OPENWRT_RECONNECT_DELAY',
    default: 120,
    parse: seconds(0, 3600),
  },
  openwrtReconnectRetryDelay: {
    key: 'openwrt.reconnect_retry_delay',
    env: 'FLEETFLASH_OPENWRT_RECONNECT_RETRY_DELAY',
    default: 20,
    parse: seconds(0, 3600),
  },
  openwrtReconnectMaxRetries: {
    key: 'openwrt.reconnect_max_retries',
    env: 'FLEETFLASH_OPENWRT_RECONNECT_MAX_RETRIES',
    default: 15,
    parse: integer(0, 1000),
  },
  openwrtUpgradeTimeout: {
    key: 'openwrt.upgrade_timeout',
    env: 'FLEETFLASH_OPENWRT_UPGRADE_TIMEOUT',
    default: 90,
    parse: seconds(0.1, 3600),
  },
  /** How the image reaches a router upgraded over SSH: sent through the session, or downloaded by the router. */
  openwrtImageTransfer: {
    key: 'openwrt.image_transfer',
    env: 'FLEETFLASH_OPENWRT_IMAGE_TRANSFER',
    default: 'push',
    parse: oneOf(IMAGE_TRANSFERS),
  },
  /** Networks device addresses may be in (CIDR); checked when a device is saved and again, after DNS, on connecting. */
  deviceAllowedNetworks: {
    key: 'devices.allowed_networks',
    env: 'FLEETFLASH_DEVICE_ALLOWED_NETWORKS',
    default: ['0.0.0.0/0', '::/0'],
    parse: networkList,
  },
  /** Networks device addresses may never be in; wins over `devices.allowed_networks` and `devices.allow_loopback`. */
  deviceDeniedNetworks: {
    key: 'devices.denied_networks',
    env: 'FLEETFLASH_DEVICE_DENIED_NETWORKS',
    default: DEFAULT_DENIED_NETWORKS,
    parse: networkList,
  },
  /**
   * Seconds after its last contact (registration, or a successful SSH connection) a device counts as
   * offline in the fleet view; a device never seen is offline too.
   */
  deviceOfflineAfter: {
    key: 'devices.offline_after',
    env: 'FLEETFLASH_DEVICE_OFFLINE_AFTER',
    default: 900,
    parse: integer(1, 366 * 24 * 3600),
  },
  /**
   * Seconds between runs of the reachability check: an SSH key exchange (no login) with each active
   * device that has a pinned host key and was not seen for half of `devices.offline_after`, so
   * "reachable" stays true of devices that answer; also the time budget of one run. 0: off. It sends no
   * credentials and pins no key, so a device registered at an address someone else owns gains them nothing.
   */
  deviceReachabilityCheckInterval: {
    key: 'devices.reachability_check_interval',
    env: 'FLEETFLASH_DEVICE_REACHABILITY_CHECK_INTERVAL',
    default: 300,
    parse: integer(0, 24 * 3600),
  },
  /** Whether a device may be at a loopback address (the server's own machine): for the demo and tests. */
  deviceAllowLoopback: {
    key: 'devices.allow_loopback',
    env: 'FLEETFLASH_DEVICE_ALLOW_LOOPBACK',
    default: false,
    parse: boolean,
  },
  /** Seconds one webhook POST may take (connect, send, answer) before the attempt counts as failed. */
  webhookTimeout: {
    key: 'notifications.webhook_timeout',
    env: 'FLEETFLASH_WEBHOOK_TIMEOUT',
    default: 10,
    parse: seconds(0.1, 300),
  },
  /** Attempts of one webhook POST or email before its delivery is given up as failed. */
  notificationMaxAttempts: {
    key: 'notifications.max_attempts',
    env: 'FLEETFLASH_NOTIFICATION_MAX_ATTEMPTS',
    default: 8,
    parse: integer(1, 100),
  },
  /** Wait after the first failed attempt; doubled after each further one, up to `notifications.retry_backoff_max`. */
  notificationRetryBackoff: {
    key: 'notifications.retry_backoff',
    env: 'FLEETFLASH_NOTIFICATION_RETRY_BACKOFF',
    default: 30,
    parse: seconds(0.01, 24 * 3600),
  },
  /** Longest wait between two attempts of a delivery. */
  notificationRetryBackoffMax: {
    key: 'notifications.retry_backoff_max',
    env: 'FLEETFLASH_NOTIFICATION_RETRY_BACKOFF_MAX',
    default: 3600,
    parse: seconds(0.01, 7 * 24 * 3600),
  },
  /** Consecutive failed attempts to one webhook that open its circuit (no attempts for a cool-down). */
  webhookCircuitThreshold: {
    key: 'notifications.circuit_threshold',
    env: 'FLEETFLASH_WEBHOOK_CIRCUIT_THRESHOLD',
    default: 5,
    parse: integer(1, 1000),
  },
  /** First cool-down of an open circuit; doubled each time the one attempt after it fails again. */
  webhookCircuitCooldown: {
    key: 'notifications.circuit_cooldown',
    env: 'FLEETFLASH_WEBHOOK_CIRCUIT_COOLDOWN',
    default: 60,
    parse: seconds(0.01, 24 * 3600),
  },
  /** Longest cool-down of an open circuit. */
  webhookCircuitCooldownMax: {
    key: 'notifications.circuit_cooldown_max',
    env: 'FLEETFLASH_WEBHOOK_CIRCUIT_COOLDOWN_MAX',
    default: 3600,
    parse: seconds(0.01, 7 * 24 * 3600),
  },
  /** Seconds notifications, their deliveries and delivery attempts are kept. */
  notificationRetention: {
    key: 'notifications.retention',
    env: 'FLEETFLASH_NOTIFICATION_RETENTION',
    default: 30 * 24 * 3600,
    parse: seconds(3600, 3660 * 24 * 3600),
  },
  /**
   * Seconds failed operations of one mass upgrade are gathered into one `batch.operations_failed` digest
   * (counts, the first devices and reasons) instead of a notice each; 0: no digest, the failures are told in
   * the batch's next paused/finished/failed/cancelled notice. Operations outside a batch notify one by one.
   */
  notificationBatchFailureFold: {
    key: 'notifications.batch_failure_fold',
    env: 'FLEETFLASH_NOTIFICATION_BATCH_FAILURE_FOLD',
    default: 300,
    parse: integer(0, 24 * 3600),
  },
  /** Networks webhook receivers may be in (CIDR), checked after DNS at every attempt. */
  webhookAllowedNetworks: {
    key: 'webhooks.allowed_networks',
    env: 'FLEETFLASH_WEBHOOK_ALLOWED_NETWORKS',
    default: ['0.0.0.0/0', '::/0'],
    parse: networkList,
  },
  /** Networks webhook receivers may never be in; wins over the two settings beside it. */
  webhookDeniedNetworks: {
    key: 'webhooks.denied_networks',
    env: 'FLEETFLASH_WEBHOOK_DENIED_NETWORKS',
    default: DEFAULT_DENIED_NETWORKS,
    parse: networkList,
  },
  /**
   * Private and special-purpose networks (CIDR) webhook receivers may be in after all: RFC 1918, CGNAT, ULA,
   * link-local, multicast and the like (address-policy.ts lists them) are refused unless listed here.
   */
  webhookAllowedInternalNetworks: {
    key: 'webhooks.allowed_internal_networks',
    env: 'FLEETFLASH_WEBHOOK_ALLOWED_INTERNAL_NETWORKS',
    default: [] as string[],
    parse: networkList,
  },
  /** Whether a webhook may point at a loopback address (the server's own machine). */
  webhookAllowLoopback: {
    key: 'webhooks.allow_loopback',
    env: 'FLEETFLASH_WEBHOOK_ALLOW_LOOPBACK',
    default: false,
    parse: boolean,
  },
  /**
   * SMTP server as one URL (`smtp://user:password@host:587`, `smtps://…:465`); email is off when
   * neither it nor `email.smtp_host` is set.
   */
  smtpUrl: { key: 'email.smtp_url', env: 'FLEETFLASH_SMTP_URL', default: null, parse: smtpUrl },
  /** SMTP server host name (instead of `email.smtp_url`). */
  smtpHost: { key: 'email.smtp_host', env: 'FLEETFLASH_SMTP_HOST', default: null, parse: optionalText },
  /** SMTP port. */
  smtpPort: { key: 'email.smtp_port', env: 'FLEETFLASH_SMTP_PORT', default: 587, parse: integer(1, 65535) },
  /** SMTP user name; none: no authentication. */
  smtpUser: { key: 'email.smtp_user', env: 'FLEETFLASH_SMTP_USER', default: null, parse: optionalText },
  /** SMTP password: a secret, never repeated in a message about the setting. */
  smtpPassword: { key: 'email.smtp_password', env: 'FLEETFLASH_SMTP_PASSWORD', default: null, parse: secretText },
  /** `starttls` (upgrade required), `tls` (TLS from the first byte, port 465) or `none` (plain: local relays only). */
  smtpTls: {
    key: 'email.smtp_tls',
    env: 'FLEETFLASH_SMTP_TLS',
    default: 'starttls' as 'starttls' | 'tls' | 'none',
    parse: oneOf(['starttls', 'tls', 'none'] as const),
  },
  /** The From address of notification emails, e.g. `fleetflash <fleetflash@example.com>`. */
  emailFrom: { key: 'email.from', env: 'FLEETFLASH_EMAIL_FROM', default: null, parse: optionalText },
  /**
   * Seconds from the start of one poll of an idle pull agent to the start of its next (± 10 % jitter, the agent
   * adds it); sent to the agent. A poll held for `agent.long_poll` is followed at once.
   */
  agentPollInterval: {
    key: 'agent.poll_interval',
    env: 'FLEETFLASH_AGENT_POLL_INTERVAL',
    default: 60,
    parse: integer(5, 24 * 3600),
  },
  /**
   * Seconds the server holds an agent's poll open when it has nothing for it (long poll): a released
   * operation reaches the agent within a moment rather than at its next poll. Keep it below the
   * proxy's idle timeout in front of the server.
   */
  agentLongPoll: { key: 'agent.long_poll', env: 'FLEETFLASH_AGENT_LONG_POLL', default: 55, parse: seconds(0, 300) },
  /**
   * Seconds the agent upgrader waits for the device's agent to take a published job (by a poll) before
   * the attempt ends as `unreachable` (retried; a mass upgrade's offline wait applies).
   */
  agentPickupTimeout: {
    key: 'agent.pickup_timeout',
    env: 'FLEETFLASH_AGENT_PICKUP_TIMEOUT',
    default: 300,
    parse: seconds(0.05, 7 * 24 * 3600),
  },
  /**
   * Seconds without a report of the agent while it prepares a flash (backup, download, checks) before
   * the attempt ends as `transfer-interrupted` (retried).
   */
  agentReportTimeout: {
    key: 'agent.report_timeout',
    env: 'FLEETFLASH_AGENT_REPORT_TIMEOUT',
    default: 300,
    parse: seconds(0.05, 24 * 3600),
  },
  /** Image download requests one device's agent may make per minute (each may resume with Range). */
  agentDownloadRateLimit: {
    key: 'agent.download_rate_limit',
    env: 'FLEETFLASH_AGENT_DOWNLOAD_RATE_LIMIT',
    default: 30,
    parse: integer(1, 100_000),
  },
} satisfies Record<string, SettingSpec<unknown>>;

export type SettingName = keyof typeof SETTINGS;
export type SettingValues = { [K in SettingName]: ReturnType<(typeof SETTINGS)[K]['parse']> };
