import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';

/**
 * Response schemas of the Attended SysUpgrade API (docs/api.md "Image builds"). ASU clients depend
 * on exact answers, and the response serializer drops fields a schema does not list: every document
 * that carries upstream JSON, or fields that vary by state, stays open (`additionalProperties`), and
 * the schema names the fields clients read so the UI's types are generated from them. Fields are
 * optional wherever an answer may leave them out (a required field missing makes the serializer fail).
 */

const open = { additionalProperties: true } as const;
const Str = Type.String();

/** An image in a build result (upstream's profiles.json entry of the built profile). */
export const AsuImageDto = Type.Object(
  {
    name: Str,
    type: Type.Optional(Str),
    filesystem: Type.Optional(Str),
    sha256: Type.Optional(Str),
    sha256_unsigned: Type.Optional(Str),
  },
  { ...open, title: 'AsuImage' },
);

export const AsuTitleDto = Type.Object(
  {
    title: Type.Optional(Str),
    vendor: Type.Optional(Str),
    model: Type.Optional(Str),
    variant: Type.Optional(Str),
  },
  { ...open, title: 'AsuTitle' },
);

/**
 * A build's state: 202 queued or building, 200 done (the ImageBuilder's result merged in), 500
 * failed. `status` repeats the HTTP status.
 */
export const AsuBuildStateDto = Type.Object(
  {
    status: Type.Integer({ description: 'The HTTP status: 200 done, 202 queued or building, 500 failed.' }),
    detail: Type.String({ description: 'queued, started, done, or "Error: <what>".' }),
    request_hash: Str,
    enqueued_at: Type.String({ format: 'date-time' }),
    request: Type.Object({}, { ...open, description: 'The canonical build request.' }),
    imagebuilder_status: Type.Optional(
      Type.String({
        description:
          'The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, ' +
          'done, failed.',
      }),
    ),
    queue_position: Type.Optional(Type.Integer()),
    estimated_wait_seconds: Type.Optional(Nullable(Type.Integer())),
    last_attempt: Type.Optional(
      Type.String({ description: 'Why the previous attempt failed (an infrastructure failure retried).' }),
    ),
    stdout: Type.Optional(Str),
    stderr: Type.Optional(Str),
    // Done.
    bin_dir: Type.Optional(Type.String({ description: 'Download the images from /store/<bin_dir>/<name>.' })),
    images: Type.Optional(Type.Array(AsuImageDto)),
    titles: Type.Optional(Type.Array(AsuTitleDto)),
    id: Type.Optional(Type.String({ description: 'The profile built.' })),
    target: Type.Optional(Str),
    version_number: Type.Optional(Str),
    version_code: Type.Optional(Str),
    build_at: Type.Optional(Str),
    manifest: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Installed packages and their versions.' }),
    ),
    expires_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    // Failed.
    error_code: Type.Optional(Nullable(Type.String({ description: 'See "Build error codes" in docs/api.md.' }))),
    error_kind: Type.Optional(
      Nullable(Type.String({ description: 'request (the request cannot build) or infrastructure (retried).' })),
    ),
    missing_packages: Type.Optional(Type.Array(Str)),
    conflicting_packages: Type.Optional(Type.Array(Str)),
    retried: Type.Optional(Str),
  },
  { ...open, title: 'AsuBuildState' },
);

/**
 * A refused request in ASU's shape: `{status, detail, code}`; `detail` is a sentence, or for 422 a
 * list of `{type, loc, msg}`. Limits add `retry_after` (and a Retry-After header).
 */
export const AsuErrorDto = Type.Object(
  {
    status: Type.Integer(),
    detail: Type.Unknown({ description: 'What went wrong (a string), or for 422 a list of {type, loc, msg}.' }),
    code: Type.Optional(Str),
    title: Type.Optional(Str),
    retry_after: Type.Optional(Type.Integer()),
    field: Type.Optional(
      Type.String({ description: 'The request field a refusal is about (`version`, `profile`, `packages`, …).' }),
    ),
  },
  { ...open, title: 'AsuError' },
);

export const AsuRevisionDto = Type.Object({ revision: Str });

export const AsuProfilesDto = Type.Object(
  {
    version_code: Str,
    arch_packages: Str,
    default_packages: Type.Array(Str),
    profiles: Type.Array(
      Type.Object({ id: Str, title: Str, supported_devices: Type.Array(Str), device_packages: Type.Array(Str) }),
    ),
  },
  { title: 'AsuProfiles' },
);

export const AsuQueueDto = Type.Object({ queue_length: Type.Integer(), building: Type.Integer() });

export const AsuStatsSummaryDto = Type.Object(
  {
    queue_length: Type.Integer(),
    building: Type.Integer(),
    builds_24h: Type.Integer(),
    days: Type.Integer(),
    requests: Type.Integer(),
    cache_hits: Type.Integer(),
    cache_misses: Type.Integer(),
    successes: Type.Integer(),
    failures: Type.Integer(),
    clients: Type.Array(Type.Object({ client: Str, count: Type.Integer() })),
  },
  { title: 'AsuStatsSummary' },
);

export const AsuBuildStatsDto = Type.Object(
  {
    builds: Type.Array(
      Type.Object({
        version: Str,
        target: Str,
        profile: Str,
        successes: Type.Integer(),
        failures: Type.Integer(),
        mean_duration_ms: Nullable(Type.Integer()),
      }),
    ),
  },
  { title: 'AsuBuildStats' },
);

export const AsuBuildsPerDayDto = Type.Object(
  {
    labels: Type.Array(Str),
    datasets: Type.Array(Type.Object({ label: Str, data: Type.Array(Type.Integer()), color: Str })),
  },
  { title: 'AsuBuildsPerDay' },
);

export const AsuBuildsByVersionDto = Type.Object(
  {
    labels: Type.Array(Str, { description: 'The first day of each week (26 weeks).' }),
    datasets: Type.Array(Type.Object({ label: Str, data: Type.Array(Type.Integer()) })),
  },
  { title: 'AsuBuildsByVersion' },
);

export const AsuTopPackagesDto = Type.Object(
  {
    packages: Type.Array(Type.Object({ name: Str, count: Type.Integer() })),
    branch: Nullable(Str),
    days: Type.Integer(),
  },
  { title: 'AsuTopPackages' },
);

const PackageChangeDto = Type.Object(
  {
    source: Type.Optional(Str),
    target: Type.Optional(Str),
    revision: Type.Integer(),
    mandatory: Type.Optional(Type.Boolean()),
  },
  {
    ...open,
    description:
      'At `revision`: `source` replaced by `target`; `source` alone: removed; `target` alone: added ' +
      '(how owut and auc read it). From package-changes.json, as ASU serves its table.',
  },
);

export const AsuBranchDto = Type.Object(
  {
    name: Str,
    enabled: Type.Boolean(),
    snapshot: Type.Boolean(),
    path: Str,
    path_packages: Str,
    branch_off_rev: Type.Optional(Type.Integer()),
    git_branch: Str,
    package_changes: Type.Array(PackageChangeDto),
    versions: Type.Array(Str, { description: 'Newest first.' }),
    targets: Type.Record(Type.String(), Type.String(), {
      description: 'Targets (ath79/generic) and their package architecture.',
    }),
  },
  { ...open, title: 'AsuBranch' },
);

export const AsuOverviewDto = Type.Object(
  {
    latest: Type.Array(Str),
    branches: Type.Record(Type.String(), AsuBranchDto),
    upstream_url: Str,
    server: Type.Object({}, open),
  },
  { ...open, title: 'AsuOverview' },
);

export const AsuLatestDto = Type.Object({ latest: Type.Array(Str) });

/**
 * `{profile}.json` (upstream's profiles.json with the profile's entry merged in) or `index.json`
 * (`{architecture, packages}`): upstream documents, passed on whole.
 */
export const AsuTargetDocumentDto = Type.Object(
  {
    architecture: Type.Optional(Str),
    packages: Type.Optional(Type.Record(Type.String(), Type.String())),
    id: Type.Optional(Str),
    target: Type.Optional(Str),
    arch_packages: Type.Optional(Str),
    version_code: Type.Optional(Str),
    version_number: Type.Optional(Str),
    build_at: Type.Optional(Str),
    images: Type.Optional(Type.Array(AsuImageDto)),
    titles: Type.Optional(Type.Array(AsuTitleDto)),
    supported_devices: Type.Optional(Type.Array(Str)),
    device_packages: Type.Optional(Type.Array(Str)),
    default_packages: Type.Optional(Type.Array(Str)),
  },
  { ...open, title: 'AsuTargetDocument' },
);

/** `{arch}-index.json`: package name → version, every configured feed merged (an upstream-shaped map). */
export const AsuPackageIndexDto = Type.Record(Type.String(), Type.String(), { title: 'AsuPackageIndex' });
