import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest, PathValue } from '../hostile-request.js';
import { ROUTES, TASK_ROUTE_NAMES } from '../routes.js';
import { VALID_BODIES } from '../bodies.js';
import { json, nobody } from './common.js';

/**
 * A valid token on another user's ids: `/api/{victimId}/tasks/...` is a 403 and the victim's task
 * through `/api/tasks/{id}` a 404, before If-Match and body problems; the victim's data must not
 * move (checked between batches).
 */
const request: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(...TASK_ROUTE_NAMES),
    fc.constantFrom<PathValue['kind']>('own', 'victim', 'nobody'),
    fc.constantFrom<PathValue['kind']>('own', 'victim', 'nobody'),
    nobody,
    fc.constantFrom(undefined, 'stale', 'any', 'garbage'),
    fc.constantFrom('none', 'valid', 'invalid', 'malformed'),
  )
  .filter(([, user, task]) => user !== 'own' || task !== 'own')
  .map(([route, userKind, taskKind, uuid, ifMatch, bodyKind]) => {
    const spec = ROUTES[route];
    const pick = (kind: PathValue['kind']): PathValue => (kind === 'nobody' ? uuid : ({ kind } as PathValue));
    const valid = VALID_BODIES[spec.body];
    const body =
      bodyKind === 'none' || spec.method === 'GET'
        ? undefined
        : bodyKind === 'valid'
          ? valid
            ? { text: json(valid), verdict: { kind: 'valid' as const } }
            : undefined
          : bodyKind === 'invalid'
            ? { text: json({ ...valid, title: 42, hijack: true }), verdict: { kind: 'invalid' as const } }
            : { text: '{"completed":tru', verdict: { kind: 'malformed' as const } };
    return {
      method: spec.method,
      target: {
        kind: 'route' as const,
        route,
        ...(userKind === 'own' ? {} : { userId: pick(userKind) }),
        ...(spec.path.includes('{id}') ? { taskId: pick(taskKind) } : {}),
      },
      auth: { kind: 'valid' as const },
      ...(ifMatch ? { ifMatch: ifMatch } : {}),
      ...(body ? { body } : {}),
    };
  });

export const bola: FuzzClass<HostileRequest> = { name: 'bola', arbitrary: request, run: execute };
