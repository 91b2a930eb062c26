import { describe, expect, it } from 'vitest';
import { changedFields, REDACTED, scrubSecrets } from './record-audit.js';

describe('scrubSecrets', () => {
  it('replaces values under secret-looking names at any depth, keeping booleans', () => {
    expect(
      scrubSecrets({
        name: 'routers',
        password: 'hunter2',
        nested: { private_key: '-----BEGIN', list: [{ token: 'fft_x' }], passphrase: 'p' },
        registration_secret: 'ffr_x',
        token_hash: 'ab',
        password_changed: true,
      }),
    ).toEqual({
      name: 'routers',
      password: REDACTED,
      nested: { private_key: REDACTED, list: [{ token: REDACTED }], passphrase: REDACTED },
      registration_secret: REDACTED,
      token_hash: REDACTED,
      password_changed: true,
    });
  });

  it('keeps booleans, numbers and null under secret names, at any depth, and still hides text under them', () => {
    expect(
      scrubSecrets({
        has_private_key: { from: false, to: true },
        tokens_revoked: 3,
        passphrase: { from: null, to: 'new one' },
        password: { from: 'old-pw', to: 'new-pw' },
        secrets: [{ value: 'x', length: 40 }],
      }),
    ).toEqual({
      has_private_key: { from: false, to: true },
      tokens_revoked: 3,
      passphrase: { from: null, to: REDACTED },
      password: { from: REDACTED, to: REDACTED },
      secrets: [{ value: REDACTED, length: 40 }],
    });
  });

  it('hides bytes under secret names, which JSON would otherwise write out as numbers', () => {
    expect(scrubSecrets({ private_key: Buffer.from('-----BEGIN'), token: new Uint8Array([1, 2]) })).toEqual({
      private_key: REDACTED,
      token: REDACTED,
    });
  });

  it('writes dates as ISO strings and drops undefined fields', () => {
    expect(scrubSecrets({ at: new Date('2026-01-02T03:04:05Z'), gone: undefined })).toEqual({
      at: '2026-01-02T03:04:05.000Z',
    });
  });
});

describe('changedFields', () => {
  it('lists only the fields given that differ, with before and after', () => {
    expect(
      changedFields(
        { name: 'a', location: '', tags: ['x'] },
        { name: 'a', location: 'Berlin', tags: ['y'], os: undefined },
      ),
    ).toEqual({ location: { from: '', to: 'Berlin' }, tags: { from: ['x'], to: ['y'] } });
  });
});
