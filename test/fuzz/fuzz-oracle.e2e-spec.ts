import { describe, expect, it } from '@jest/globals';
import { checkContractWide } from './contract-rules.js';
import { methodsAt } from './routes.js';

/** The fuzz oracle itself: it must reject what the contract forbids, or the fuzz suite proves nothing. */
const SECURITY = {
  'x-request-id': 'abc-123',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self';frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};
const PROBLEM = { ...SECURITY, 'content-type': 'application/problem+json; charset=utf-8' };
const problem = (status: number, slug: string, title: string, extra: object = {}) =>
  JSON.stringify({
    type: `/problems/${slug}`,
    title,
    status,
    detail: 'd',
    instance: '/api/x',
    requestId: 'abc-123',
    ...extra,
  });
const sent = { method: 'GET', path: '/api/x' };

describe('the fuzz oracle (contract-wide rules)', () => {
  it('accepts a well-formed problem', () => {
    expect(() => checkContractWide(404, PROBLEM, problem(404, 'not-found', 'Not found'), sent)).not.toThrow();
    const errors = { errors: [{ field: 'id', message: 'must be a UUID' }] };
    expect(() =>
      checkContractWide(400, PROBLEM, problem(400, 'validation-error', 'Validation failed', errors), sent),
    ).not.toThrow();
  });

  it.each([
    ['5xx answer', 500, PROBLEM, problem(500, 'internal-error', 'Internal server error')],
    ['missing X-Request-Id', 400, {}, ''],
    ['missing nosniff', 200, { ...SECURITY, 'x-content-type-options': undefined }, '{}'],
    ['not problem+json', 404, { ...SECURITY, 'content-type': 'text/html' }, '<html>'],
    ['problem type does not match', 404, PROBLEM, problem(404, 'forbidden', 'Forbidden')],
    ['validation-error without errors[]', 400, PROBLEM, problem(400, 'validation-error', 'Validation failed')],
    [
      'problem requestId differs',
      404,
      PROBLEM,
      JSON.stringify({ ...JSON.parse(problem(404, 'not-found', 'Not found')), requestId: 'x' }),
    ],
    ['401 without WWW-Authenticate', 401, PROBLEM, problem(401, 'unauthorized', 'Unauthorized')],
    ['405 without Allow', 405, PROBLEM, problem(405, 'method-not-allowed', 'Method not allowed')],
  ])('rejects: %s', (rule, status, headers, text) => {
    expect(() => checkContractWide(status, headers, text, sent)).toThrow(rule);
  });
});

describe('the fuzz route model', () => {
  it('knows the methods of a path as Express matches it', () => {
    expect(methodsAt('/API/Tasks/')).toEqual(['GET', 'HEAD', 'POST']);
    expect(methodsAt('/api/tasks/abc/toggle')).toEqual(['POST']);
    expect(methodsAt('/api/nothing')).toEqual([]);
  });

  it('does not claim paths it does not model', () => {
    expect(methodsAt('/api//tasks')).toBeUndefined();
    expect(methodsAt('/api/t%61sks')).toBeUndefined();
    expect(methodsAt('/docs/openapi.json')).toBeUndefined();
  });
});
