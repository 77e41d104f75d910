import { beforeAll, describe, expect, it } from '@jest/globals';
import { PasswordHasher } from './password-hasher.service.js';

describe(PasswordHasher.name, () => {
  const hasher = new PasswordHasher();

  beforeAll(async () => {
    await hasher.onModuleInit();
  });

  it('hashes with argon2id and OWASP parameters (19 MiB, t=2, p=1), salted', async () => {
    const hash = await hasher.hash('a fine password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.hash('a fine password')).not.toBe(hash);
  });

  it('verifies the right password only', async () => {
    const hash = await hasher.hash('a fine password');
    await expect(hasher.verify(hash, 'a fine password')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'a wrong password')).resolves.toBe(false);
  });

  it('says no for an unknown account, after doing the same work', async () => {
    await expect(hasher.verify(undefined, 'dummy password for timing equality')).resolves.toBe(false);
  });

  it('says no for a corrupt stored hash instead of throwing', async () => {
    await expect(hasher.verify('not-a-hash', 'whatever')).resolves.toBe(false);
  });
});
