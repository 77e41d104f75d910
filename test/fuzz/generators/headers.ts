import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { BodyVerdict, HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES, ROUTES } from '../routes.js';
import { VALID_BODIES } from '../bodies.js';
import { anyAuth, json, routeRequest } from './common.js';

/** Content types with the verdict the contract gives them (415 for anything that is not JSON). */
const CONTENT_TYPES: [string, BodyVerdict][] = [
  ['application/json', { kind: 'valid' }],
  ['application/json; charset=utf-8', { kind: 'valid' }],
  ['APPLICATION/JSON', { kind: 'valid' }],
  ['application/merge-patch+json', { kind: 'valid' }],
  ['text/plain', { kind: 'unsupported' }],
  ['text/json', { kind: 'unsupported' }],
  ['application/x-www-form-urlencoded', { kind: 'unsupported' }],
  ['multipart/form-data; boundary=x', { kind: 'unsupported' }],
  ['application/xml', { kind: 'unsupported' }],
  ['', { kind: 'unsupported' }],
  // A charset the parser knows decodes the bytes as such: a 400 or a 415 are both fair.
  ['application/json; charset=utf-16', { kind: 'unknown' }],
  ['application/json; charset=koi8-r', { kind: 'unknown' }],
  ['application/json; charset=x-unknown', { kind: 'unsupported' }],
  ['application/json; charset=', { kind: 'unknown' }],
  ['application/json;;;', { kind: 'unknown' }],
  ['application/json, text/plain', { kind: 'unknown' }],
  ['*/*', { kind: 'unknown' }],
  ['application/', { kind: 'unknown' }],
];

const contentType: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom(...BODY_ROUTE_NAMES), anyAuth, fc.constantFrom(...CONTENT_TYPES))
  .chain(([route, auth, [type, verdict]]) =>
    routeRequest(route, auth, { text: json(VALID_BODIES[ROUTES[route].body]), contentType: type, verdict }),
  );

/** Bodies over the 100 kB limit: a 401 without a token (never buffered), a 413 with one. */
const oversized: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom(...BODY_ROUTE_NAMES), anyAuth, fc.integer({ min: 110_000, max: 2_000_000 }))
  .chain(([route, auth, size]) =>
    routeRequest(route, auth, {
      text: `{"title":"${'x'.repeat(1000)}`,
      repeat: Math.ceil(size / 1000),
      verdict: { kind: 'too-large' },
    }),
  );

/** Request ids, origins, compressed bodies and Accept headers a client might send. */
const other: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(...BODY_ROUTE_NAMES, 'listTasks', 'me'),
    anyAuth,
    fc.record(
      {
        'X-Request-Id': fc.oneof(
          fc.stringMatching(/^[!-~]{0,200}$/),
          fc.constantFrom('abc', 'a'.repeat(128), 'a'.repeat(129), '../..'),
        ),
        Origin: fc.constantFrom(
          'https://evil.example',
          'null',
          'https://app.example.com',
          'https://app.example.com.evil',
        ),
        Accept: fc.constantFrom('text/html', 'application/xml', '*/*', 'application/problem+json', ''),
        'Content-Encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'),
      },
      { requiredKeys: [] },
    ),
  )
  .chain(([route, auth, headers]) => {
    const spec = ROUTES[route];
    const text = spec.method === 'GET' ? undefined : json(VALID_BODIES[spec.body]);
    const encoded = headers['Content-Encoding'] !== undefined && headers['Content-Encoding'] !== 'identity';
    const body =
      text === undefined
        ? undefined
        : { text, verdict: encoded ? { kind: 'unknown' as const } : { kind: 'valid' as const } };
    const sent = Object.fromEntries(
      Object.entries(headers).filter(([name]) => text !== undefined || name !== 'Content-Encoding'),
    );
    return routeRequest(route, auth, body).map((request) => ({ ...request, headers: sent }));
  });

/** CORS preflights on known paths: foreign origins get no CORS headers (and never a 405), allowed ones get them. */
const preflight: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom('/api/tasks', '/api/auth/login', '/api/users/me', '/health/live', '/api/nowhere'),
    fc.constantFrom('https://evil.example', 'null', 'https://app.example.com', 'https://app.example.com.evil'),
    fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'FOO'),
    anyAuth,
  )
  .map(([path, origin, method, auth]) => ({
    method: 'OPTIONS',
    target: { kind: 'path' as const, path },
    auth,
    headers: { Origin: origin, 'Access-Control-Request-Method': method },
  }));

export const oddHeaders: FuzzClass<HostileRequest> = {
  name: 'odd-headers',
  arbitrary: fc.oneof({ arbitrary: contentType, weight: 3 }, oversized, { arbitrary: other, weight: 2 }, preflight),
  run: execute,
};
