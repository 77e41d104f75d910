import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { anyAuth } from './common.js';

const SEGMENTS = [
  'api',
  'API',
  'tasks',
  'Tasks',
  'users',
  'me',
  'auth',
  'login',
  'session',
  'password',
  'health',
  'live',
  'ready',
  'docs',
  'toggle',
  'complete',
  'admin',
  '.env',
  'favicon.ico',
  'a0000000-0000-4000-8000-000000000000',
  'x',
  '1',
  'index.html',
  'openapi.json',
];

const path = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...SEGMENTS), fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/)), { maxLength: 5 }),
    fc.constantFrom('', '/', '//', '?x=1', '#frag', '/..', '/%2e%2e'),
    fc.boolean(),
  )
  .map(([segments, tail, doubleSlash]) => `/${segments.join(doubleSlash ? '//' : '/')}${tail}`);

/**
 * Any method on any path, inside `/api` or not: an unknown path is a 404 problem with or without a
 * token, a known path with a wrong method a 405 with `Allow`; other answers keep the contract-wide rules.
 */
const request: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
      'TRACE',
      'PROPFIND',
      'PURGE',
      'LINK',
      'SEARCH',
    ),
    path,
    anyAuth,
    fc.constantFrom(undefined, '{}', '{"title":"x"}'),
  )
  .map(([method, target, auth, text]) => ({
    method,
    target: { kind: 'path' as const, path: target },
    auth,
    ...(text !== undefined && method !== 'GET' && method !== 'HEAD'
      ? { body: { text, verdict: { kind: 'unknown' as const } } }
      : {}),
  }));

export const randomRoutes: FuzzClass<HostileRequest> = { name: 'random-routes', arbitrary: request, run: execute };
