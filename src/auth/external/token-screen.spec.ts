import { describe, expect, it } from '@jest/globals';
import type { TrustedIssuer } from '../../config/trusted-issuers.js';
import { readUnverified, screenToken } from './token-screen.js';

const ISSUER: TrustedIssuer = {
  issuer: 'https://idp.example',
  jwksUri: 'https://idp.example/jwks',
  audience: 'taskwell-api',
  algorithms: ['EdDSA'],
  trustEmail: false,
};
const NOW = 1_800_000_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: object, claims: object = {}) =>
  `${b64({ alg: 'EdDSA', kid: 'k1', ...header })}.${b64({
    iss: ISSUER.issuer,
    aud: 'taskwell-api',
    sub: 'user-1',
    exp: NOW + 60,
    ...claims,
  })}.sig`;
const screen = (header: object, claims: object = {}) => screenToken(token(header, claims), ISSUER, 30, NOW * 1000);

describe('screenToken', () => {
  it('passes a well-formed token of the issuer', () => {
    expect(screen({})).toBeNull();
    expect(screen({ typ: 'JWT' })).toBeNull();
    expect(screen({}, { aud: ['other', 'taskwell-api'] })).toBeNull();
  });

  it.each([
    ['another algorithm', { alg: 'RS256' }, 'algorithm'],
    ['HMAC', { alg: 'HS256' }, 'algorithm'],
    ['none', { alg: 'none' }, 'algorithm'],
    ['no kid', { kid: undefined }, 'kid'],
    ['an empty kid', { kid: '' }, 'kid'],
    ['jku', { jku: 'https://evil.example/jwks' }, 'header member'],
    ['x5u', { x5u: 'https://evil.example/cert' }, 'header member'],
    ['an embedded jwk', { jwk: { kty: 'OKP' } }, 'header member'],
    ['crit', { crit: ['exp'] }, 'header member'],
    ['another typ', { typ: 'logout+jwt' }, 'type'],
  ])('refuses %s in the header', (_name, header, reason) => {
    expect(screen(header)).toBe(reason);
  });

  it.each([
    ['no exp', { exp: undefined }, 'exp'],
    ['an exp past the leeway', { exp: NOW - 31 }, 'expired'],
    ['an nbf beyond the leeway', { nbf: NOW + 31 }, 'nbf'],
    ['another audience', { aud: 'another-api' }, 'aud'],
    ['no sub', { sub: undefined }, 'sub'],
    ['an overlong sub', { sub: 'x'.repeat(256) }, 'sub'],
  ])('refuses %s in the claims', (_name, claims, reason) => {
    expect(screen({}, claims)).toBe(reason);
  });

  it('allows the leeway on exp and nbf', () => {
    expect(screen({}, { exp: NOW - 29, nbf: NOW + 29 })).toBeNull();
  });
});

describe('readUnverified', () => {
  it('refuses what is not a compact JWS, or is oversized, before decoding it', () => {
    expect(readUnverified('a.b')).toBeNull();
    expect(readUnverified(`${b64({ alg: 'EdDSA', pad: 'x'.repeat(1000) })}.${b64({})}.s`)).toBeNull();
    expect(readUnverified(`${b64([1])}.${b64({})}.s`)).toBeNull();
    expect(readUnverified('x'.repeat(9000))).toBeNull();
    expect(readUnverified(token({}))?.payload.iss).toBe(ISSUER.issuer);
  });
});
