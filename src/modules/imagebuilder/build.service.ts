import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import type { SecretBox } from '../../platform/crypto.js';
import type { Database } from '../../database.js';
import {
  type BuildRequestBody,
  type CanonicalBuildRequest,
  canonicalise,
  contradictoryPackages,
  repositoryAllowed,
  requestedPackagesInOrder,
  requestHash,
} from './build-request.js';
import { applyBuildPackageRules } from './build-package-rules.js';
import * as buildRepository from './build.repository.js';
import type { PersistedBuildRequest } from './persisted-request.js';
import type { AsuBuildRow } from './imagebuilder.table.js';
import { branchOf, type OpenwrtCatalog, removalsAt, renameSuggestions, resolveProfile } from './openwrt-catalog.js';
import { UpstreamUnavailable } from './upstream.js';

/**
 * Build requests: validation against what upstream offers, canonical hashing, one build per hash,
 * per-client limits, and the answers ASU clients expect. The rules for when a stored result is
 * served again (TTLs, cached user errors, retried infrastructure errors) live here.
 */

/** A refused request, in the ASU error shape: `{status, detail, ...extra}`. */
/** The request field a refusal is about, by its code: answered as `field`, so a form marks it. */
const REFUSED_FIELDS: Record<string, string> = {
  UNSUPPORTED_DISTRO: 'distro',
  UNSUPPORTED_VERSION: 'version',
  UNSUPPORTED_TARGET: 'target',
  UNSUPPORTED_PROFILE: 'profile',
  UNSUPPORTED_PACKAGES: 'packages',
  CONTRADICTORY_PACKAGES: 'packages',
  DEFAULTS_NOT_ALLOWED: 'defaults',
  REPOSITORY_NOT_ALLOWED: 'repositories',
};

export class BuildRequestRefused extends Error {
  readonly extra: Record<string, unknown>;

  constructor(
    readonly status: number,
    detail: string,
    readonly code: string,
    extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'BuildRequestRefused';
    const field = REFUSED_FIELDS[code];
    this.extra = field ? { field, ...extra } : extra;
  }
}

export interface BuildServiceDeps {
  db: Kysely<Database>;
  config: Config;
  catalog: OpenwrtCatalog;
  secrets: SecretBox;
}

export interface SubmitInput {
  body: BuildRequestBody;
  /** Who asks (address, or `org:<id>` for fleet requests): turns, limits. */
  clientKey: string;
  userAgent?: string | undefined;
  /** An authenticated operator: no per-client limits. */
  trusted?: boolean;
  /** Build again even if a result is cached (superusers). */
  force?: boolean;
  /** `defaults` was composed by the server (a fleet image's embedded agent): allowed without allow_defaults. */
  defaultsComposedByServer?: boolean;
}

export interface Submitted {
  row: AsuBuildRow;
  outcome: 'hit' | 'miss' | 'joined';
}

/** `client` as sent, else auc's User-Agent (`auc (0.3.2)` or `auc/0.3.2`), else unknown/0. */
export function clientName(body: Pick<BuildRequestBody, 'client'>, userAgent: string | undefined): string {
  if (body.client) return body.client;
  const auc = /^auc[ /]\(?([\w.+~-]+)\)?/.exec(userAgent ?? '');
  return auc ? `auc/${auc[1]}` : 'unknown/0';
}

export function unavailable(error: UpstreamUnavailable): BuildRequestRefused {
  return new BuildRequestRefused(
    503,
    `The OpenWrt download server cannot be reached to check this request (${error.message}). Try again in a minute.`,
    'UPSTREAM_UNAVAILABLE',
    {},
    { 'retry-after': '60' },
  );
}

/**
 * The profile id and the package list to build (the request's, after the package changes), checked against
 * upstream; throws on anything unknown.
 */
async function validateAgainstUpstream(
  deps: BuildServiceDeps,
  body: BuildRequestBody,
  defaultsComposedByServer: boolean,
): Promise<{ profile: string; inOrder: string[]; added: string[] }> {
  const settings = deps.config.imageBuilds;
  const { catalog } = deps;
  if (body.defaults && !settings.allowDefaults && !defaultsComposedByServer)
    throw new BuildRequestRefused(400, 'Handling `defaults` not enabled on server', 'DEFAULTS_NOT_ALLOWED');
  for (const url of Object.values(body.repositories ?? {})) {
    if (!repositoryAllowed(url, settings.repositoryAllowList))
      throw new BuildRequestRefused(400, `Repository not allowed: ${url}`, 'REPOSITORY_NOT_ALLOWED');
  }
  const distro = body.distro ?? 'openwrt';
  if (distro !== 'openwrt') throw new BuildRequestRefused(400, `Unsupported distro: ${distro}`, 'UNSUPPORTED_DISTRO');
  if (!(await catalog.isKnownVersion(body.version))) {
    // As ASU: a version of no branch the server has is an unsupported branch, else an unsupported version.
    const branches = new Set((await catalog.versions()).map(branchOf));
    const branch = branchOf(body.version);
    if (branch !== 'SNAPSHOT' && !branches.has(branch))
      throw new BuildRequestRefused(400, `Unsupported branch: ${body.version}`, 'UNSUPPORTED_VERSION');
    throw new BuildRequestRefused(400, `Unsupported version: ${body.version}`, 'UNSUPPORTED_VERSION');
  }
  const targets = (await catalog.targets(body.version)) ?? {};
  if (!targets[body.target] && !(await catalog.targets(body.version, true))?.[body.target]) {
    throw new BuildRequestRefused(
      400,
      `Unsupported target: ${body.target}. The requested target was either dropped, is still being built or is not ` +
        `supported by the selected version. Please check the forums or try again later.`,
      'UNSUPPORTED_TARGET',
    );
  }
  let profiles = await catalog.profiles(body.version, body.target);
  let profile = profiles ? resolveProfile(profiles, body.profile) : null;
  if (!profile) {
    profiles = await catalog.profiles(body.version, body.target, true);
    profile = profiles ? resolveProfile(profiles, body.profile) : null;
  }
  if (!profiles || !profile) {
    throw new BuildRequestRefused(
      400,
      `Unsupported profile: ${body.profile}. The requested profile was either dropped or never existed. Please ` +
        `check the forums for more information.`,
      'UNSUPPORTED_PROFILE',
    );
  }

  const canonical = canonicalise(body, profile);
  const contradictions = contradictoryPackages(canonical.packages);
  if (contradictions.length > 0) {
    throw new BuildRequestRefused(
      422,
      `Packages both added and removed: ${contradictions.join(', ')}. Keep one of "name" and "-name".`,
      'CONTRADICTORY_PACKAGES',
      { packages: contradictions },
    );
  }
  const available = await catalog.availablePackages(body.version, body.target, profiles, settings.feeds);
  const versionedRequest = Object.keys(canonical.packages_versions).length > 0;
  // ASU's server-side changes first (build-package-rules.json): additions per target and profile, auc → owut,
  // language packs renamed. They change what is built, not the request hash.
  const ruled = applyBuildPackageRules(requestedPackagesInOrder(body), {
    version: body.version,
    target: body.target,
    profile,
  });
  const missing = ruled.filter((name) => !name.startsWith('-') && !available.has(name));
  const renames = renameSuggestions(missing, profiles.version_code);
  const removals = removalsAt(missing, profiles.version_code);
  const inOrder: string[] = [];
  const unknown: string[] = [];
  for (const name of ruled) {
    if (name.startsWith('-') || available.has(name)) inOrder.push(name);
    // Then package-changes.json, for a list sent unchanged from a router upgrading across a change (LuCI): a
    // renamed package follows its new name, a dropped one is left out. Requests with pinned versions come from
    // owut and auc, which apply the table themselves.
    else if (!versionedRequest && renames[name] && available.has(renames[name])) inOrder.push(renames[name]);
    else if (versionedRequest || removals[name] === undefined) unknown.push(name);
  }
  if (unknown.length > 0) {
    const hints = unknown.flatMap((name) =>
      renames[name]
        ? [`${name} is now ${renames[name]}`]
        : removals[name] !== undefined
          ? [`${name} was dropped at r${removals[name]}`]
          : [],
    );
    throw new BuildRequestRefused(
      422,
      `Unsupported package(s): ${unknown.join(', ')}. They are not in the package indexes ` +
        `of ${body.version} ${body.target}.${hints.length > 0 ? ` Note: ${hints.join('; ')}.` : ''}`,
      'UNSUPPORTED_PACKAGES',
      {
        unknown_packages: unknown,
        suggestions: Object.fromEntries(unknown.filter((name) => renames[name]).map((name) => [name, renames[name]])),
      },
      { 'x-unknown-package': unknown.join(', ') },
    );
  }
  const profileEntry = profiles.profiles[profile];
  const standard = new Set([...(profiles.default_packages ?? []), ...(profileEntry?.device_packages ?? [])]);
  const built = [...new Set(inOrder)];
  return {
    profile,
    inOrder: built,
    // What the client chose (statistics): the names it sent, not those the server's rules added.
    added: requestedPackagesInOrder(body).filter((name) => !name.startsWith('-') && !standard.has(name)),
  };
}

/**
 * The request as answered to clients: everything that was built from, with `defaults` replaced by its hash and
 * length, and `client` as the client sent it (null when it sent none).
 */
export function requestEcho(
  canonical: CanonicalBuildRequest,
  body: BuildRequestBody,
  client: string | null,
): PersistedBuildRequest & Record<string, unknown> {
  return {
    distro: canonical.distro,
    version: canonical.version,
    version_code: canonical.version_code ?? '',
    target: canonical.target,
    profile: canonical.profile,
    packages: canonical.packages,
    packages_versions: canonical.packages_versions,
    diff_packages: canonical.diff_packages,
    defaults: null,
    defaults_sha256: canonical.defaults_sha256,
    defaults_length: body.defaults ? body.defaults.length : 0,
    rootfs_size_mb: canonical.rootfs_size_mb,
    filesystem: canonical.filesystem,
    repositories: canonical.repositories,
    repositories_mode: canonical.repositories_mode ?? 'replace',
    repository_keys: canonical.repository_keys,
    client,
  };
}

/** How long a finished build is served again. */
export function resultTtl(settings: Config['imageBuilds'], request: CanonicalBuildRequest, failed: boolean): number {
  const success =
    request.defaults_sha256 !== null
      ? settings.buildDefaultsTtl
      : Object.keys(request.packages_versions).length > 0
        ? settings.buildTtlVersioned
        : settings.buildTtl;
  if (!failed) return success;
  // Both kinds of failure stay visible to pollers this long; only user errors are served to new
  // requests (an infrastructure failure is built again by the next request: see isLive).
  return Math.min(settings.userErrorTtl, success);
}

function isLive(row: AsuBuildRow): boolean {
  if (row.status === 'queued' || row.status === 'started') return true;
  if (row.status === 'failed' && row.errorKind === 'infrastructure') return false;
  return row.expiresAt !== null && row.expiresAt.getTime() > Date.now();
}

export async function submitBuild(deps: BuildServiceDeps, input: SubmitInput): Promise<Submitted> {
  const { db, config } = deps;
  const settings = config.imageBuilds;
  const client = clientName(input.body, input.userAgent);
  let validated: Awaited<ReturnType<typeof validateAgainstUpstream>>;
  try {
    validated = await validateAgainstUpstream(deps, input.body, input.defaultsComposedByServer ?? false);
  } catch (error) {
    if (error instanceof UpstreamUnavailable) throw unavailable(error);
    throw error;
  }
  // The hash is the build's: the package list after the server-side rules and package changes above, so two
  // requests that build the same image share one key, and a change of the rules data never serves an image built
  // under the old rules (ASU hashes the request as sent; see docs/api.md "Deliberate differences").
  const canonical = {
    ...canonicalise(input.body, validated.profile),
    packages: [...new Set(validated.inOrder)].sort(),
  };
  const hash = requestHash(canonical);
  const logRequest = (outcome: Submitted['outcome']) =>
    buildRepository.insertRequestLog(db, {
      requestHash: hash,
      version: canonical.version,
      target: canonical.target,
      profile: canonical.profile,
      client,
      outcome,
      addedPackages: validated.added,
    });

  const existing = await buildRepository.findBuild(db, hash);
  if (existing && isLive(existing) && !input.force) {
    const outcome = existing.status === 'success' || existing.status === 'failed' ? 'hit' : 'joined';
    await logRequest(outcome);
    return { row: existing, outcome };
  }
  if (!input.trusted && !input.force) await enforceLimits(db, settings, input.clientKey, canonical.target);
  // The echo holds `client` as sent, null when none was (as ASU); statistics name the client anyway.
  const echo = { ...requestEcho(canonical, input.body, input.body.client ?? null), packages: validated.inOrder };
  const queued = await buildRepository.queueBuild(
    db,
    {
      requestHash: hash,
      request: JSON.stringify(echo),
      defaultsSealed: input.body.defaults ? deps.secrets.seal(input.body.defaults) : null,
      version: canonical.version,
      target: canonical.target,
      profile: canonical.profile,
      client,
      clientKey: input.clientKey,
      status: 'queued',
    },
    input.force ?? false,
  );
  if (queued) {
    await logRequest('miss');
    return { row: queued, outcome: 'miss' };
  }
  // Someone queued the same build a moment ago: share it.
  const shared = await buildRepository.findBuild(db, hash);
  if (!shared) throw new Error(`build ${hash} vanished while being queued`);
  await logRequest('joined');
  return { row: shared, outcome: 'joined' };
}

async function enforceLimits(
  db: Kysely<Database>,
  settings: Config['imageBuilds'],
  clientKey: string,
  target: string,
): Promise<void> {
  const typicalSeconds = Math.max(5, Math.round((await buildRepository.recentBuildSeconds(db, target)) ?? 60));
  const active = await buildRepository.countActiveOfClient(db, clientKey);
  if (active >= settings.clientMaxQueued) {
    throw new BuildRequestRefused(
      429,
      `You have ${active} builds queued or running (the limit per client is ${settings.clientMaxQueued}): wait for ` +
        `one to finish.`,
      'TOO_MANY_BUILDS',
      { retry_after: typicalSeconds },
      { 'retry-after': String(typicalSeconds) },
    );
  }
  const recent = await buildRepository.recentMissesOfClient(db, clientKey, settings.clientRateWindow);
  if (recent.count >= settings.clientRateLimit) {
    const wait = Math.max(
      1,
      Math.ceil(((recent.oldest?.getTime() ?? Date.now()) + settings.clientRateWindow * 1000 - Date.now()) / 1000),
    );
    throw new BuildRequestRefused(
      429,
      `You requested ${recent.count} new builds in the last ${settings.clientRateWindow} s (the limit per client ` +
        `is ${settings.clientRateLimit}): try again in ${wait} s. Cached results are not limited.`,
      'RATE_LIMITED',
      { retry_after: wait },
      { 'retry-after': String(wait) },
    );
  }
  const queued = await buildRepository.countQueued(db);
  if (queued >= settings.maxQueued) {
    const wait = typicalSeconds * 2;
    throw new BuildRequestRefused(
      529,
      `server overload, queue contains too many build requests: ${queued}. Try again in ${wait} s.`,
      'SERVER_OVERLOADED',
      { title: 'Server overloaded', retry_after: wait },
      { 'retry-after': String(wait) },
    );
  }
}

export async function findBuild(db: Kysely<Database>, hash: string): Promise<AsuBuildRow | undefined> {
  const row = await buildRepository.findBuild(db, hash);
  if (!row) return undefined;
  // An expired result is gone for clients (a new request builds it again), as with ASU.
  if (
    (row.status === 'success' || row.status === 'failed') &&
    row.expiresAt !== null &&
    row.expiresAt.getTime() <= Date.now()
  )
    return undefined;
  return row;
}
