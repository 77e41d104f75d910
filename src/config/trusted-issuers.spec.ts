import { describe, expect, it } from '@jest/globals';
import { insecureJwksUri, parseTrustedIssuers } from './trusted-issuers.js';

const valid = {
  issuer: 'https://idp.example',
  jwksUri: 'https://idp.example/jwks',
  audience: 'taskwell-api',
  algorithms: ['EdDSA'],
};
const parse = (value: unknown) => () => parseTrustedIssuers(JSON.stringify(value));

describe('parseTrustedIssuers', () => {
  it('reads nothing as no issuer', () => {
    expect(parseTrustedIssuers(undefined)).toEqual([]);
    expect(parseTrustedIssuers('  ')).toEqual([]);
  });

  it('reads an issuer, emails untrusted by default', () => {
    expect(parseTrustedIssuers(JSON.stringify([valid]))).toEqual([{ ...valid, trustEmail: false }]);
  });

  it.each([
    ['not JSON', 'nope', 'must be a JSON array'],
    ['an HMAC algorithm', [{ ...valid, algorithms: ['HS256'] }], 'algorithms'],
    ['none', [{ ...valid, algorithms: ['none'] }], 'algorithms'],
    ['no algorithm', [{ ...valid, algorithms: [] }], 'algorithms'],
    ['no audience', [{ ...valid, audience: undefined }], 'audience'],
    ['a JWKS URL that is not http(s)', [{ ...valid, jwksUri: 'file:///etc/keys' }], 'jwksUri'],
    ['an unknown member', [{ ...valid, jku: 'x' }], 'jku'],
    ['the same issuer twice', [valid, valid], 'duplicate'],
  ])('refuses %s, naming the problem', (_name, value, message) => {
    const run = typeof value === 'string' ? () => parseTrustedIssuers(value) : parse(value);
    expect(run).toThrow(message);
  });
});

describe('insecureJwksUri', () => {
  it('names a plain-http JWKS URL unless it is on this host', () => {
    const issuers = parseTrustedIssuers(JSON.stringify([{ ...valid, jwksUri: 'http://127.0.0.1:4000/jwks' }]));
    expect(insecureJwksUri(issuers)).toBeUndefined();
    const remote = parseTrustedIssuers(JSON.stringify([{ ...valid, jwksUri: 'http://idp.example/jwks' }]));
    expect(insecureJwksUri(remote)).toBe('http://idp.example/jwks');
  });
});
