import { describe, expect, it } from 'vitest';
import { canonicalise } from './build-request.js';
import { requestEcho } from './build.service.js';
import { parsePersistedRequest } from './persisted-request.js';

const base = { version: '23.05.3', target: 'ath79/generic', profile: 'tplink_archer-c7-v2', packages: ['luci'] };

describe('the stored build request', () => {
  it('reads back as the canonical request it was written from', () => {
    const bodies = [
      base,
      { ...base, version_code: 'r1-abc', diff_packages: true, filesystem: 'ext4' as const, rootfs_size_mb: 256 },
      { ...base, defaults: 'echo hi', packages_versions: { luci: '1.0' } },
      {
        ...base,
        repositories: { extra: 'https://example.org/feed' },
        repositories_mode: 'append' as const,
        repository_keys: ['k'],
      },
    ];
    for (const body of bodies) {
      const canonical = canonicalise(body, body.profile);
      const stored = JSON.parse(JSON.stringify(requestEcho(canonical, body, 'test/1'))) as unknown;
      expect(parsePersistedRequest(stored)).toEqual({ ok: true, request: canonical });
    }
  });

  it('reads rows that lack the fields older rows may lack, with their defaults', () => {
    const old = { distro: 'openwrt', version: '23.05.3', target: 't/s', profile: 'p', packages: [] };
    expect(parsePersistedRequest(old)).toMatchObject({
      ok: true,
      request: { packages_versions: {}, repositories: {}, repositories_mode: null },
    });
  });

  it('refuses a row of another shape, naming the offending fields', () => {
    const stored = { ...base, distro: 'openwrt', packages: 'luci', rootfs_size_mb: '256' };
    const parsed = parsePersistedRequest(stored);
    expect(parsed.ok).toBe(false);
    const message = parsed.ok ? '' : parsed.message;
    expect(message).toMatch(/^The stored build request is not one this version can read \(.*\/packages/);
    expect(parsePersistedRequest(null).ok).toBe(false);
    expect(parsePersistedRequest({ ...base, distro: 'openwrt', target: undefined }).ok).toBe(false);
  });
});
