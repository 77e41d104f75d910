import { describe, expect, it } from '@jest/globals';
import { SecretBox } from './secret-box.js';

const config = (secretKey?: string) => ({ secretKey }) as unknown as ConstructorParameters<typeof SecretBox>[0];
const jwt = { secret: 'jwt-secret-that-is-long-enough-0123456789' } as unknown as ConstructorParameters<
  typeof SecretBox
>[1];

describe('SecretBox', () => {
  const box = new SecretBox(config('a-webhook-key-long-enough-for-production-0123456789'), jwt);

  it('opens what it sealed, for the same endpoint only', () => {
    const sealed = box.seal('whsec_abc', 'list:hook');
    expect(sealed).not.toContain('abc');
    expect(box.seal('whsec_abc', 'list:hook')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, 'list:hook')).toBe('whsec_abc');
    expect(() => box.open(sealed, 'list:other')).toThrow();
  });

  it('refuses a tampered text, or one sealed with another key', () => {
    const sealed = box.seal('whsec_abc', 'list:hook');
    const [version, iv, text, tag] = sealed.split('.');
    const flipped = Buffer.from(text, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([version, iv, flipped.toString('base64url'), tag].join('.'), 'list:hook')).toThrow();
    expect(() => box.open('garbage', 'list:hook')).toThrow();
    expect(() => new SecretBox(config(), jwt).open(sealed, 'list:hook')).toThrow();
    expect(() =>
      new SecretBox(config('another-webhook-key-long-enough-0123456789'), jwt).open(sealed, 'list:hook'),
    ).toThrow();
  });
});
