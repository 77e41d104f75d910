import { describe, expect, it } from '@jest/globals';
import { hasEarlierShape, newRefreshToken, userIdOf } from './refresh-token-format.js';

const userId = '0f8e2b4c-51a7-4d3e-9c1b-7a6d5e4f3a21';

describe(newRefreshToken.name, () => {
  it('names its user and carries 256 random bits', () => {
    const token = newRefreshToken(userId);
    expect(userIdOf(token)).toBe(userId);
    expect(Buffer.from(token.split('.')[1], 'base64url')).toHaveLength(32);
    expect(newRefreshToken(userId)).not.toBe(token);
  });
});

describe(userIdOf.name, () => {
  it('finds no user in a token of the earlier shape (random bytes only)', () => {
    expect(userIdOf('q3Yl8kzJ2m0uVbWfJc9oE1x4hQyT7sPaR6nLdGiKwZs')).toBeUndefined();
  });

  it('finds no user in a malformed token', () => {
    const token = newRefreshToken(userId);
    expect(userIdOf(`${token}x`)).toBeUndefined();
    expect(userIdOf(token.replace('.', '-'))).toBeUndefined();
    expect(userIdOf('')).toBeUndefined();
  });
});

describe(hasEarlierShape.name, () => {
  it('is true for 256 random bits in base64url only', () => {
    expect(hasEarlierShape('q3Yl8kzJ2m0uVbWfJc9oE1x4hQyT7sPaR6nLdGiKwZs')).toBe(true);
    expect(hasEarlierShape(newRefreshToken(userId))).toBe(false);
    expect(hasEarlierShape('q3Yl8kzJ2m0uVbWfJc9oE1x4hQyT7sPaR6nLdGiKwZ')).toBe(false);
    expect(hasEarlierShape('q3Yl8kzJ2m0uVbWfJc9oE1x4hQyT7sPaR6nLdGiKw+s')).toBe(false);
    expect(hasEarlierShape('not-a-token-we-issued')).toBe(false);
  });
});
