import { describe, expect, it } from 'vitest';
import { createSecretBox, hashPassword, verifyPassword } from './crypto.js';

describe('crypto', () => {
  it('seals and opens secrets; another key or a tampered text cannot open them', () => {
    const box = createSecretBox('a-server-secret-key-of-32-characters!!');
    const sealed = box.seal('router password');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('router');
    expect(box.open(sealed)).toBe('router password');
    expect(box.seal('router password')).not.toBe(sealed);
    expect(() => createSecretBox('another-server-secret-key-of-32-chars!').open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('hashes passwords with scrypt and verifies them', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
    expect(await verifyPassword('x', 'md5$whatever')).toBe(false);
  });
});
