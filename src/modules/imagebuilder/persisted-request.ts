import { type Static, Type } from '@sinclair/typebox';
import { persistedPayload } from '../../platform/persisted-payload.js';
import type { CanonicalBuildRequest } from './build-request.js';

const Text = Type.String();
const NullableText = Type.Union([Type.String(), Type.Null()]);

/**
 * The build request as stored in asu_builds.request (and answered to clients as `request`): the
 * canonical request with `defaults` replaced by its hash and length. The fields the reader
 * defaults were not always written, so they are optional; other fields (`client`, `defaults`,
 * `defaults_length`) are kept but not read.
 */
export const PersistedBuildRequest = Type.Object({
  distro: Text,
  version: Text,
  version_code: Type.Optional(NullableText),
  target: Text,
  profile: Text,
  packages: Type.Array(Text),
  packages_versions: Type.Optional(Type.Record(Text, Text)),
  diff_packages: Type.Optional(Type.Boolean()),
  defaults_sha256: Type.Optional(NullableText),
  rootfs_size_mb: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  filesystem: Type.Optional(NullableText),
  repositories: Type.Optional(Type.Record(Text, Text)),
  repositories_mode: Type.Optional(Type.Union([Type.Literal('append'), Type.Literal('replace'), Type.Null()])),
  repository_keys: Type.Optional(Type.Array(Text)),
});
export type PersistedBuildRequest = Static<typeof PersistedBuildRequest>;

const checkPersistedRequest = persistedPayload('build request', PersistedBuildRequest);

/** The canonical request (what a worker builds) a stored request stands for, once its shape is checked. */
export function parsePersistedRequest(
  stored: unknown,
): { ok: true; request: CanonicalBuildRequest } | { ok: false; message: string } {
  const checked = checkPersistedRequest(stored);
  if (!checked.ok) return checked;
  const echo = checked.value;
  const repositories = echo.repositories ?? {};
  return {
    ok: true,
    request: {
      distro: echo.distro,
      version: echo.version,
      version_code: echo.version_code || null,
      target: echo.target,
      profile: echo.profile,
      packages: echo.packages,
      packages_versions: echo.packages_versions ?? {},
      diff_packages: echo.diff_packages ?? false,
      defaults_sha256: echo.defaults_sha256 ?? null,
      rootfs_size_mb: echo.rootfs_size_mb ?? null,
      filesystem: echo.filesystem ?? null,
      repositories,
      repositories_mode: Object.keys(repositories).length > 0 ? (echo.repositories_mode ?? null) : null,
      repository_keys: echo.repository_keys ?? [],
    },
  };
}
