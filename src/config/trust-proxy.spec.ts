import { describe, expect, it } from '@jest/globals';
import { parseTrustProxy } from './trust-proxy.js';

describe(parseTrustProxy.name, () => {
  it('reads a hop count as a number (Express would read "1" as an address)', () => {
    expect(parseTrustProxy('1')).toBe(1);
  });

  it('reads true, false and empty as booleans', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
  });

  it('passes addresses and names through', () => {
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });
});
