import { describe, expect, it } from '@jest/globals';
import { VerifiedTokens } from './verified-tokens.js';

const NOW_MS = 1_800_000_000_000;
const caller = (id: string, expiresAt = NOW_MS / 1000 + 600) => ({ id, sessionId: `session-${id}`, expiresAt });

describe(VerifiedTokens.name, () => {
  it('returns the caller a header was verified for, and nothing for another header', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('Bearer a', caller('a'));
    expect(tokens.get('Bearer a', NOW_MS)).toEqual(caller('a'));
    expect(tokens.get('Bearer b', NOW_MS)).toBeUndefined();
    expect(tokens.get('bearer a', NOW_MS)).toBeUndefined();
  });

  it('forgets a token from the second it expires', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('Bearer a', caller('a', NOW_MS / 1000 + 10));
    expect(tokens.get('Bearer a', NOW_MS + 9_999)).toBeDefined();
    expect(tokens.get('Bearer a', NOW_MS + 10_000)).toBeUndefined();
    // Gone for good, not just hidden.
    expect(tokens.get('Bearer a', NOW_MS)).toBeUndefined();
  });

  it('keeps at most its bound, dropping the oldest first', () => {
    const tokens = new VerifiedTokens(2);
    tokens.remember('Bearer a', caller('a'));
    tokens.remember('Bearer b', caller('b'));
    tokens.remember('Bearer c', caller('c'));
    expect(tokens.get('Bearer a', NOW_MS)).toBeUndefined();
    expect(tokens.get('Bearer b', NOW_MS)?.id).toBe('b');
    expect(tokens.get('Bearer c', NOW_MS)?.id).toBe('c');
  });
});
