import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { ROUTE_NAMES, ROUTES } from '../routes.js';
import { VALID_BODIES } from '../bodies.js';
import { badAuth, json, nobody } from './common.js';

/**
 * Missing, garbage, expired, forged, revoked and misused tokens on every protected route, with
 * any path values and bodies (valid, malformed, huge): always a 401 with `WWW-Authenticate`, before anything else.
 */
const request: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(...ROUTE_NAMES.filter((name) => !ROUTES[name].public)),
    badAuth,
    fc.constantFrom('own', 'victim', 'nobody', 'raw'),
    nobody,
    fc.constantFrom('none', 'valid', 'malformed', 'huge', 'text/plain'),
  )
  .map(([route, auth, pathKind, uuid, bodyKind]) => {
    const spec = ROUTES[route];
    const value =
      pathKind === 'raw'
        ? { kind: 'raw' as const, segment: 'not-a-uuid' }
        : pathKind === 'nobody'
          ? uuid
          : { kind: pathKind };
    const valid = VALID_BODIES[spec.body] ?? {};
    const body =
      bodyKind === 'none' || spec.method === 'GET'
        ? undefined
        : bodyKind === 'valid'
          ? { text: json(valid), verdict: { kind: 'valid' as const } }
          : bodyKind === 'malformed'
            ? { text: '{"title":', verdict: { kind: 'malformed' as const } }
            : bodyKind === 'huge'
              ? { text: 'x', repeat: 300_000, verdict: { kind: 'too-large' as const } }
              : { text: 'title=x', contentType: 'text/plain', verdict: { kind: 'unsupported' as const } };
    return {
      method: spec.method,
      target: {
        kind: 'route' as const,
        route,
        ...(spec.path.includes('{id}') ? { taskId: value } : {}),
        ...(spec.path.startsWith('{base}') && pathKind !== 'own' ? { userId: value } : {}),
      },
      auth,
      ...(body ? { body } : {}),
    };
  });

export const badTokens: FuzzClass<HostileRequest> = { name: 'bad-tokens', arbitrary: request, run: execute };
