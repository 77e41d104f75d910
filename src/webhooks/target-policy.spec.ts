import { describe, expect, it } from '@jest/globals';
import { checkTargetUrl, isBlockedAddress, RefusedTargetError } from './target-policy.js';

describe('target policy', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    'fd00:ec2::254',
    'fe80::1',
    'ff02::1',
    'not an address',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])(
    'lets %s through',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it('refuses http unless private targets are allowed, and literal private addresses', () => {
    expect(() => checkTargetUrl(new URL('http://example.com/'), false)).toThrow(RefusedTargetError);
    expect(() => checkTargetUrl(new URL('http://example.com/'), true)).not.toThrow();
    expect(() => checkTargetUrl(new URL('https://[::1]:8443/'), false)).toThrow(RefusedTargetError);
    expect(() => checkTargetUrl(new URL('https://2130706433/'), false)).toThrow(RefusedTargetError);
    expect(() => checkTargetUrl(new URL('https://127.0.0.1/'), true)).not.toThrow();
    expect(() => checkTargetUrl(new URL('https://example.com/'), false)).not.toThrow();
    expect(() => checkTargetUrl(new URL('ftp://example.com/'), true)).toThrow(RefusedTargetError);
  });
});
