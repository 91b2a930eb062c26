import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';
import {
  SETTINGS,
  SettingError,
  type CustomImageType,
  type CustomUpgrader,
  type ImageTransfer,
  type SettingName,
  type SettingValues,
} from './settings.js';

/**
 * The one place that reads `process.env` and the optional JSON config file. Every invalid setting
 * is reported at once (`ConfigError.problems`), so an operator fixes them in one go.
 */

export interface S3StorageConfig {
  /** Base URL of the S3 API; null: AWS S3 of the region. */
  endpoint: string | null;
  bucket: string;
  region: string;
  /** Null: the AWS SDK's own credential chain (AWS_* variables, instance or pod role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  /** Every key begins with it ('' or ending in '/'). */
  keyPrefix: string;
  /** Downloads redirect (302) to a presigned URL valid `presignedUrlExpiry` seconds. */
  presignedDownloads: boolean;
  presignedUrlExpiry: number;
}

export type StorageConfig = { backend: 'local' } | { backend: 's3'; s3: S3StorageConfig };

/** How notification emails leave: an SMTP server given as a URL, or by its parts. */
export interface EmailConfig {
  smtp:
    | { url: string }
    | { host: string; port: number; tls: 'starttls' | 'tls' | 'none'; user: string | null; password: string | null };
  from: string;
}

export interface Config {
  server: {
    host: string;
    port: number;
    /** Base URL clients use to reach the server (for links in API answers); derived from requests when null. */
    publicUrl: string | null;
    /** Reverse proxies believed about X-Forwarded-*: none (false), how many hops, or their addresses. */
    trustProxy: false | number | string[];
  };
  /** Absolute path of the data folder (embedded PostgreSQL, files, generated secret). */
  dataDir: string;
  /** Where stored files live: `<dataDir>/files`, or an S3-compatible object store shared by every machine. */
  storage: StorageConfig;
  /** Absolute path of the built web UI (index.html and assets); served at / when it exists. */
  webDir: string;
  database: {
    url: string | null;
    /**
     * Direct connection (bypassing a transaction-mode pooler) for LISTEN and the migration lock; null: `url`.
     */
    listenUrl: string | null;
    poolSize: number;
    /** Seconds to wait for a connection. */
    connectTimeout: number;
    /** Statement timeout (seconds) of the pool that serves HTTP requests. */
    statementTimeout: number;
    /** Statement timeout (seconds) of background work and CLI commands; null = none. */
    workerStatementTimeout: number | null;
  };
  security: {
    /** Encrypts stored device credentials; generated into the data folder when not set. */
    secretKey: string | null;
    sessionTtlSeconds: number;
    /** Seconds an authenticated credential is remembered per process (auth-cache.ts); 0: off. */
    authCacheTtlSeconds: number;
    secureCookies: boolean;
    /** Failed-login budgets shared by every process (see login-throttle.ts). */
    loginThrottle: { maxFailures: number; maxFailuresPerAddress: number; window: number };
  };
  bootstrap: { adminUsername: string | null; adminPassword: string | null };
  log: { level: SettingValues['logLevel'] };
  /** The audit log: days its entries are kept (null: forever). */
  audit: { retentionDays: number | null };
  /** Configuration backups taken before flashes: how many per device, and for how many days (0: no limit). */
  backups: { keepPerDevice: number; maxAgeDays: number };
  /**
   * Live events (seconds): how long they are kept for clients that resume, how long one stream lasts, how often its
   * caller is re-checked.
   */
  events: { retention: number; streamMaxLifetime: number; accessRecheckInterval: number; streamMaxBuffer: number };
  firmware: {
    apiEnabled: boolean;
    /** Seconds a build list is remembered per process (catalog-cache.ts); 0: off. */
    listCacheTtlSeconds: number;
    /** Bytes; null means no limit. */
    maxFileSize: number | null;
    customOpenwrtImages: CustomImageType[];
  };
  /** Durations in seconds (fractions allowed). */
  upgrades: {
    retry: { maxRetries: number; retryBackoff: number; retryBackoffMax: number; retryJitter: boolean };
    taskTimeout: number;
    /** Operations one process holds at once, waiting ones included. */
    concurrency: number;
    /** Operations of one process talking to their devices at once (an SSH session each). */
    maxSshSessions: number;
    /** Image transfers of one process at once. */
    maxTransfers: number;
    lease: number;
    pollInterval: number;
    /** Operations in progress at once across every worker. */
    globalConcurrency: number;
    /** Default of a mass upgrade's max_concurrent. */
    rolloutMaxConcurrent: number;
    rolloutCheckInterval: number;
    /** Operations a launch writes itself; the workers write the rest in chunks of this size. */
    launchChunk: number;
    /** Default time a mass upgrade with wait_for_offline waits for offline devices. */
    offlineDeadline: number;
    offlineRetryBackoffMax: number;
    /** Seconds before a maintenance window closes in which no upgrade starts and no flash begins. */
    windowEndMargin: number;
    customUpgraders: CustomUpgrader[];
    openwrt: {
      connectTimeout: number;
      commandTimeout: number;
      reconnectDelay: number;
      reconnectRetryDelay: number;
      reconnectMaxRetries: number;
      upgradeTimeout: number;
      /**
       * `push`: the image goes through the SSH session; `pull`: the router downloads it from `public_url`
       * with a ticket URL (and it is pushed when that fails).
       */
      imageTransfer: ImageTransfer;
    };
  };
  /** Webhooks and notification deliveries. Durations in seconds. */
  notifications: {
    webhookTimeout: number;
    maxAttempts: number;
    retryBackoff: number;
    retryBackoffMax: number;
    retention: number;
    /** The circuit breaker per webhook (settings `notifications.circuit_*`). */
    circuit: { threshold: number; cooldown: number; cooldownMax: number };
    /**
     * Seconds a failed operation of a mass upgrade waits to be told in one `batch.operations_failed`
     * digest with the others of its batch; 0: told with the batch's next paused/finished/failed/cancelled notice.
     */
    batchFailureFold: number;
    /**
     * Networks webhook receivers may be in (the rule of address-policy.ts, settings `webhooks.*`): private and
     * other special-purpose addresses only when listed in `allowedInternalNetworks`.
     */
    webhookNetworks: {
      allowedNetworks: string[];
      deniedNetworks: string[];
      allowLoopback: boolean;
      allowedInternalNetworks: string[];
    };
    /** Null: no SMTP server set, email is off. */
    email: EmailConfig | null;
  };
  /** The pull agent of routers the server cannot reach (docs/agent-protocol.md). Durations in seconds. */
  agent: {
    pollInterval: number;
    longPoll: number;
    pickupTimeout: number;
    reportTimeout: number;
    /** Image download requests per device and minute. */
    downloadRateLimit: number;
  };
  /** Networks fleetflash may connect to for devices (see address-policy.ts for the rule). */
  devices: {
    allowedNetworks: string[];
    deniedNetworks: string[];
    allowLoopback: boolean;
    /** Seconds after the last contact a device counts as offline (the fleet view's "reachable"). */
    offlineAfter: number;
    /** Seconds between runs of the reachability check (an SSH key exchange, no login); 0: off. */
    reachabilityCheckInterval: number;
  };
  /** Custom image builds (the Attended SysUpgrade service). Durations in seconds. */
  imageBuilds: {
    enabled: boolean;
    upstreamUrl: string;
    upstreamRefresh: number;
    upstreamTimeout: number;
    /** usign public key (base64 line) that must have signed each target's sha256sums; null: checksums only. */
    signingKey: string | null;
    feeds: string[];
    allowDefaults: boolean;
    maxDefaultsLength: number;
    maxRootfsSizeMb: number;
    maxPackages: number;
    repositoryAllowList: string[];
    buildTtl: number;
    buildTtlVersioned: number;
    buildDefaultsTtl: number;
    userErrorTtl: number;
    concurrency: number;
    timeout: number;
    maxAttempts: number;
    retryDelay: number;
    lease: number;
    /** Bytes a build may write into its output folder. */
    maxOutputSize: number;
    maxQueued: number;
    clientMaxQueued: number;
    clientRateLimit: number;
    clientRateWindow: number;
    /** Absolute path of the ImageBuilder cache and build folders. */
    imagebuilderDir: string;
    /** Unprivileged user builds run as when fleetflash runs as root ('' = as fleetflash itself). */
    buildUser: string;
    imagebuilderCacheTtl: number;
    statsRetention: number;
  };
  /** Where the config file was read from, if any. */
  configFile: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

function lookup(file: Record<string, unknown>, dottedKey: string): { found: boolean; value: unknown } {
  let current: unknown = file;
  for (const part of dottedKey.split('.')) {
    if (typeof current !== 'object' || current === null || !(part in current))
      return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

function readConfigFile(filePath: string, problems: string[]): Record<string, unknown> {
  let raw: string;
  try {
    raw = readFileSync(filePath, 'utf8');
  } catch (error) {
    problems.push(
      `FLEETFLASH_CONFIG: cannot read ${filePath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push(`FLEETFLASH_CONFIG: ${filePath} must hold a JSON object`);
      return {};
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    problems.push(`FLEETFLASH_CONFIG: ${filePath} is not valid JSON (${(error as Error).message})`);
    return {};
  }
}

const knownTopLevelKeys = new Set(Object.values(SETTINGS).map((spec) => spec.key.split('.')[0]));

/**
 * Builds the configuration from an environment and the file it names (`FLEETFLASH_CONFIG`).
 * Pure apart from reading that file; tests pass their own `env`.
 */
export function parseConfig(env: Env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const configFile = env.FLEETFLASH_CONFIG ? path.resolve(cwd, env.FLEETFLASH_CONFIG) : null;
  const file = configFile ? readConfigFile(configFile, problems) : {};
  for (const key of Object.keys(file)) {
    if (!knownTopLevelKeys.has(key))
      problems.push(`config file key "${key}" is not a fleetflash setting (see docs/settings.md)`);
  }

  const values = {} as Record<SettingName, unknown>;
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const fromEnv = env[spec.env];
    const fromFile = lookup(file, spec.key);
    const source = fromEnv !== undefined ? `${spec.env}=${JSON.stringify(fromEnv)}` : `config file key "${spec.key}"`;
    const raw = fromEnv !== undefined ? fromEnv : fromFile.found ? fromFile.value : undefined;
    if (raw === undefined) {
      values[name] = spec.default;
      continue;
    }
    try {
      values[name] = spec.parse(raw);
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      problems.push(`${source}: ${error.message}`);
    }
  }
  const v = values as SettingValues;
  if (problems.length === 0 && v.retryBackoffMax < v.retryBackoff) {
    problems.push(
      `retry_options.retry_backoff_max (${v.retryBackoffMax}) must not be smaller than retry_options.retry_backoff ` +
        `(${v.retryBackoff})`,
    );
  }
  if (problems.length === 0 && v.storageBackend === 's3' && v.s3Bucket === null)
    problems.push('storage.s3.bucket (FLEETFLASH_S3_BUCKET) must be set when storage.backend is s3');
  if (problems.length === 0 && (v.s3AccessKeyId === null) !== (v.s3SecretAccessKey === null)) {
    problems.push(
      'storage.s3.access_key_id and storage.s3.secret_access_key go together: set both, or neither to use the ' +
        "AWS SDK's own credential chain",
    );
  }
  if (problems.length === 0 && v.databaseListenUrl !== null && v.databaseUrl === null) {
    problems.push(
      'database_listen_url (FLEETFLASH_DATABASE_LISTEN_URL) needs database_url (DATABASE_URL): ' +
        'the embedded PostgreSQL is reached directly',
    );
  }
  if (problems.length === 0 && v.openwrtImageTransfer === 'pull' && v.publicUrl === null) {
    problems.push(
      'openwrt.image_transfer "pull" (FLEETFLASH_OPENWRT_IMAGE_TRANSFER) needs public_url (FLEETFLASH_PUBLIC_URL): ' +
        'the address routers download images from',
    );
  }
  if (problems.length === 0) problems.push(...emailProblems(v));
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    server: {
      host: v.host,
      port: v.port,
      publicUrl: v.publicUrl?.replace(/\/+$/, '') ?? null,
      trustProxy: v.trustProxy,
    },
    dataDir: path.resolve(cwd, v.dataDir),
    storage: storageConfig(v),
    webDir: v.webDir ? path.resolve(cwd, v.webDir) : path.join(PROJECT_ROOT, 'web', 'dist'),
    database: {
      url: v.databaseUrl,
      listenUrl: v.databaseListenUrl,
      poolSize: v.databasePoolSize,
      connectTimeout: v.databaseConnectTimeout,
      statementTimeout: v.databaseStatementTimeout,
      workerStatementTimeout: v.databaseWorkerStatementTimeout === 0 ? null : v.databaseWorkerStatementTimeout,
    },
    security: {
      secretKey: v.secretKey,
      sessionTtlSeconds: v.sessionTtl,
      authCacheTtlSeconds: v.authCacheTtl,
      secureCookies: v.secureCookies,
      loginThrottle: {
        maxFailures: v.loginMaxFailures,
        maxFailuresPerAddress: v.loginMaxFailuresPerAddress,
        window: v.loginThrottleWindow,
      },
    },
    bootstrap: { adminUsername: v.adminUsername, adminPassword: v.adminPassword },
    log: { level: v.logLevel },
    audit: { retentionDays: v.auditRetentionDays },
    backups: { keepPerDevice: v.backupsKeepPerDevice, maxAgeDays: v.backupsMaxAgeDays },
    events: {
      retention: v.eventRetention,
      streamMaxLifetime: v.eventsStreamMaxLifetime,
      accessRecheckInterval: v.eventsAccessRecheckInterval,
      streamMaxBuffer: v.eventsStreamMaxBuffer,
    },
    firmware: {
      apiEnabled: v.apiEnabled,
      listCacheTtlSeconds: v.listCacheTtl,
      maxFileSize: v.maxFileSize,
      customOpenwrtImages: v.customOpenwrtImages,
    },
    upgrades: {
      retry: {
        maxRetries: v.retryMaxRetries,
        retryBackoff: v.retryBackoff,
        retryBackoffMax: v.retryBackoffMax,
        retryJitter: v.retryJitter,
      },
      taskTimeout: v.taskTimeout,
      concurrency: v.upgradeConcurrency,
      maxSshSessions: v.upgradeMaxSshSessions,
      maxTransfers: v.upgradeMaxTransfers,
      lease: v.upgradeLease,
      pollInterval: v.upgradePollInterval,
      globalConcurrency: v.upgradeGlobalConcurrency,
      rolloutMaxConcurrent: v.rolloutMaxConcurrent,
      rolloutCheckInterval: v.rolloutCheckInterval,
      launchChunk: v.rolloutLaunchChunk,
      offlineDeadline: v.offlineDeadline,
      offlineRetryBackoffMax: v.offlineRetryBackoffMax,
      windowEndMargin: v.windowEndMargin,
      customUpgraders: v.upgraders,
      openwrt: {
        connectTimeout: v.openwrtConnectTimeout,
        commandTimeout: v.openwrtCommandTimeout,
        reconnectDelay: v.openwrtReconnectDelay,
        reconnectRetryDelay: v.openwrtReconnectRetryDelay,
        reconnectMaxRetries: v.openwrtReconnectMaxRetries,
        upgradeTimeout: v.openwrtUpgradeTimeout,
        imageTransfer: v.openwrtImageTransfer,
      },
    },
    notifications: {
      webhookTimeout: v.webhookTimeout,
      maxAttempts: v.notificationMaxAttempts,
      retryBackoff: v.notificationRetryBackoff,
      retryBackoffMax: v.notificationRetryBackoffMax,
      retention: v.notificationRetention,
      circuit: {
        threshold: v.webhookCircuitThreshold,
        cooldown: v.webhookCircuitCooldown,
        cooldownMax: Math.max(v.webhookCircuitCooldown, v.webhookCircuitCooldownMax),
      },
      batchFailureFold: v.notificationBatchFailureFold,
      webhookNetworks: {
        allowedNetworks: v.webhookAllowedNetworks,
        deniedNetworks: v.webhookDeniedNetworks,
        allowLoopback: v.webhookAllowLoopback,
        allowedInternalNetworks: v.webhookAllowedInternalNetworks,
      },
      email: emailConfig(v),
    },
    agent: {
      pollInterval: v.agentPollInterval,
      longPoll: v.agentLongPoll,
      pickupTimeout: v.agentPickupTimeout,
      reportTimeout: v.agentReportTimeout,
      downloadRateLimit: v.agentDownloadRateLimit,
    },
    devices: {
      allowedNetworks: v.deviceAllowedNetworks,
      deniedNetworks: v.deviceDeniedNetworks,
      allowLoopback: v.deviceAllowLoopback,
      offlineAfter: v.deviceOfflineAfter,
      reachabilityCheckInterval: v.deviceReachabilityCheckInterval,
    },
    imageBuilds: {
      enabled: v.asuEnabled,
      upstreamUrl: v.asuUpstreamUrl,
      upstreamRefresh: v.asuUpstreamRefresh,
      upstreamTimeout: v.asuUpstreamTimeout,
      signingKey: v.asuSigningKey,
      feeds: v.asuFeeds,
      allowDefaults: v.asuAllowDefaults,
      maxDefaultsLength: v.asuMaxDefaultsLength,
      maxRootfsSizeMb: v.asuMaxRootfsSizeMb,
      maxPackages: v.asuMaxPackages,
      repositoryAllowList: v.asuRepositoryAllowList,
      buildTtl: v.asuBuildTtl,
      buildTtlVersioned: v.asuBuildTtlVersioned,
      buildDefaultsTtl: v.asuBuildDefaultsTtl,
      userErrorTtl: v.asuUserErrorTtl,
      concurrency: v.asuBuildConcurrency,
      timeout: v.asuBuildTimeout,
      maxAttempts: v.asuBuildMaxAttempts,
      retryDelay: v.asuBuildRetryDelay,
      lease: v.asuBuildLease,
      maxOutputSize: v.asuMaxOutputSize,
      maxQueued: v.asuMaxQueued,
      clientMaxQueued: v.asuClientMaxQueued,
      clientRateLimit: v.asuClientRateLimit,
      clientRateWindow: v.asuClientRateWindow,
      imagebuilderDir: path.resolve(cwd, v.asuImagebuilderDir ?? path.join(v.dataDir, 'imagebuilder')),
      buildUser: v.asuImagebuilderUser.trim(),
      imagebuilderCacheTtl: v.asuImagebuilderCacheTtl,
      statsRetention: v.asuStatsRetention,
    },
    configFile,
  });
}

function emailProblems(v: SettingValues): string[] {
  if (v.smtpUrl !== null && v.smtpHost !== null)
    return ['email.smtp_url and email.smtp_host both name the SMTP server: set one of them'];
  if ((v.smtpUrl !== null || v.smtpHost !== null) && v.emailFrom === null)
    return ['email.from (FLEETFLASH_EMAIL_FROM) must be set when an SMTP server is: it is the sender of every email'];
  return [];
}

function emailConfig(v: SettingValues): EmailConfig | null {
  if (v.emailFrom === null) return null;
  if (v.smtpUrl !== null) return { smtp: { url: v.smtpUrl }, from: v.emailFrom };
  if (v.smtpHost === null) return null;
  const smtp = { host: v.smtpHost, port: v.smtpPort, tls: v.smtpTls, user: v.smtpUser, password: v.smtpPassword };
  return { smtp, from: v.emailFrom };
}

function storageConfig(v: SettingValues): StorageConfig {
  if (v.storageBackend === 'local') return { backend: 'local' };
  return {
    backend: 's3',
    s3: {
      endpoint: v.s3Endpoint,
      bucket: v.s3Bucket ?? '',
      region: v.s3Region,
      credentials:
        v.s3AccessKeyId !== null && v.s3SecretAccessKey !== null
          ? { accessKeyId: v.s3AccessKeyId, secretAccessKey: v.s3SecretAccessKey }
          : null,
      forcePathStyle: v.s3ForcePathStyle,
      keyPrefix: v.s3KeyPrefix,
      presignedDownloads: v.s3PresignedDownloads,
      presignedUrlExpiry: v.s3PresignedUrlExpiry,
    },
  };
}

/** Reads the process environment; the only caller of `process.env` in the application. */
export function loadConfig(overrides: Env = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
