import { describe, expect, it } from '@jest/globals';
import { headerProblem } from './jwt-header.js';

const token = (header: unknown) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.e30.sig`;
const check = (header: unknown) => headerProblem(token(header), 'HS256', 'at+jwt');

describe('headerProblem', () => {
  it('accepts exactly our alg and typ', () => {
    expect(check({ alg: 'HS256', typ: 'at+jwt' })).toBeNull();
  });

  it.each([
    [{ alg: 'none', typ: 'at+jwt' }, 'unexpected token algorithm'],
    [{ alg: 'RS256', typ: 'at+jwt' }, 'unexpected token algorithm'],
    [{ alg: 'HS256', typ: 'JWT' }, 'not an access token'],
    [{ alg: 'HS256' }, 'not an access token'],
    [{ alg: 'HS256', typ: 'at+jwt', kid: '1' }, 'unexpected token header member'],
    [{ alg: 'HS256', typ: 'at+jwt', jku: 'https://x' }, 'unexpected token header member'],
    [['HS256'], 'malformed token header'],
    [null, 'malformed token header'],
  ])('refuses %j', (header, problem) => {
    expect(check(header)).toBe(problem);
  });

  it('refuses a header that is not base64url JSON', () => {
    expect(headerProblem('%%%.e30.sig', 'HS256', 'at+jwt')).toBe('malformed token header');
  });
});
