import { describe, expect, it } from 'vitest';
import {
  canonicalise,
  contradictoryPackages,
  repositoryAllowed,
  requestHash,
  requestedPackages,
} from './build-request.js';
import { commandPackages } from './imagebuilder-runner.js';

const base = { version: '23.05.3', target: 'ath79/generic', profile: 'tplink_archer-c7-v2' };
const hashOf = (body: Parameters<typeof canonicalise>[0], profile = 'tplink_archer-c7-v2') =>
  requestHash(canonicalise(body, profile));

describe('the canonical request and its hash', () => {
  it('does not depend on package order, duplicates, a leading +, or empty values', () => {
    const reference = hashOf({ ...base, packages: ['luci', 'vim'] });
    expect(hashOf({ ...base, packages: ['vim', '+luci', 'vim'] })).toBe(reference);
    expect(
      hashOf({
        ...base,
        packages: ['luci', 'vim'],
        version_code: '',
        defaults: '',
        filesystem: null,
        rootfs_size_mb: null,
        repositories: {},
        repository_keys: [],
      }),
    ).toBe(reference);
    expect(hashOf({ ...base, packages: ['luci', 'vim'], client: 'luci/1' })).toBe(reference);
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
  });

  it(
    'gives one hash for a profile and its aliases (the caller resolves them) and another for everything that ' +
      'changes the build',
    () => {
      const reference = hashOf({ ...base, packages: ['luci'] });
      expect(hashOf({ ...base, profile: 'tplink,archer-c7-v2', packages: ['luci'] })).toBe(reference);
      const changes = [
        { ...base, packages: ['luci', 'vim'] },
        { ...base, packages: ['luci'], diff_packages: true },
        { ...base, packages: ['luci'], version_code: 'r1-abc' },
        { ...base, packages: ['luci'], filesystem: 'ext4' as const },
        { ...base, packages: ['luci'], rootfs_size_mb: 256 },
        { ...base, packages: ['luci'], defaults: 'echo hi' },
        { ...base, packages: ['luci'], repositories: { extra: 'https://example.org/feed' } },
        {
          ...base,
          packages: ['luci'],
          repositories: { extra: 'https://example.org/feed' },
          repositories_mode: 'append' as const,
        },
        { ...base, version: '23.05.2', packages: ['luci'] },
      ];
      const hashes = changes.map((body) => hashOf(body));
      expect(new Set([reference, ...hashes]).size).toBe(changes.length + 1);
      expect(hashOf({ ...base, packages: ['luci'] }, 'tplink_archer-a7-v5')).not.toBe(reference);
    },
  );

  it('keeps field boundaries apart (no concatenation ambiguity)', () => {
    expect(hashOf({ ...base, packages: ['ab', 'c'] })).not.toBe(hashOf({ ...base, packages: ['a', 'bc'] }));
    expect(hashOf({ ...base, packages: ['luci'], packages_versions: {} })).toBe(
      hashOf({ ...base, packages: ['luci'] }),
    );
  });

  it('takes package names from packages_versions when it is not empty', () => {
    expect(requestedPackages({ packages: ['x'], packages_versions: { luci: '1', vim: '2' } })).toEqual(['luci', 'vim']);
    expect(requestedPackages({ packages: ['b', '+a', 'b'] })).toEqual(['a', 'b']);
  });

  it('finds packages both added and removed', () => {
    expect(contradictoryPackages(['luci', '-luci', 'vim', '-ppp'])).toEqual(['luci']);
  });
});

describe('repository allow list', () => {
  const allow = ['https://feeds.example.org/openwrt'];
  it('allows URLs below an allowed prefix on the exact host and scheme only', () => {
    expect(repositoryAllowed('https://feeds.example.org/openwrt/packages', allow)).toBe(true);
    expect(repositoryAllowed('https://feeds.example.org/openwrt', allow)).toBe(true);
    expect(repositoryAllowed('http://feeds.example.org/openwrt/packages', allow)).toBe(false);
    expect(repositoryAllowed('https://evil.feeds.example.org/openwrt/x', allow)).toBe(false);
    expect(repositoryAllowed('https://feeds.example.org.evil.net/openwrt/x', allow)).toBe(false);
    expect(repositoryAllowed('https://user@feeds.example.org/openwrt/x', allow)).toBe(false);
    expect(repositoryAllowed('https://feeds.example.org/openwrtx/x', allow)).toBe(false);
    expect(repositoryAllowed('https://feeds.example.org/openwrt/x', [])).toBe(false);
  });
});

describe('the PACKAGES list given to make', () => {
  it('with diff_packages removes defaults and profile packages not asked for, removals first', () => {
    expect(commandPackages({ packages: ['x', 'z'], diff_packages: true }, ['x', 'y', 'z'], [])).toEqual([
      '-y',
      'x',
      'z',
    ]);
    expect(
      commandPackages(
        { packages: ['luci'], diff_packages: true },
        ['base-files', 'ppp'],
        ['kmod-ath9k', '-wpad-basic'],
      ),
    ).toEqual(['-base-files', '-kmod-ath9k', '-ppp', '-wpad-basic', 'luci']);
  });

  it('without diff_packages is the request as is', () => {
    expect(commandPackages({ packages: ['-ppp', 'luci'], diff_packages: false }, ['ppp'], [])).toEqual([
      '-ppp',
      'luci',
    ]);
  });
});
