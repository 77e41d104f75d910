import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest, PathValue } from '../hostile-request.js';
import { TASK_ROUTE_NAMES, ROUTES } from '../routes.js';
import { anyAuth } from './common.js';

const BROKEN = ['%', '%Z', '%ZZ', '%G0', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%uD800', '%%', '%0', '%25%'];
const ODD = ['%00', '%2F', '%5C', '%2E%2E', '..', '.', '%20', '%0A', '%0D%0A', '%7B%7D', '%3Cscript%3E', 'null'];

/** A path segment with broken, overlong or odd percent-encoding, around or instead of an id. */
const segment: fc.Arbitrary<PathValue> = fc
  .tuple(
    fc.constantFrom(...BROKEN, ...ODD),
    fc.constantFrom('', 'a0000000-0000-4000-8000-00000000000', 'abc'),
    fc.boolean(),
  )
  .map(([odd, text, before]) => ({ kind: 'raw', segment: before ? odd + text : text + odd }));

/**
 * Task paths whose `{userId}` or `{id}` is such a segment: with a token, a 400 validation problem
 * naming the parameter (before anything else), without one a 401.
 */
const inPath: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(...TASK_ROUTE_NAMES.filter((name) => ROUTES[name].path.includes('{id}'))),
    anyAuth,
    segment,
    fc.constantFrom('id', 'userId', 'both'),
  )
  .map(([route, auth, value, where]) => ({
    method: ROUTES[route].method,
    target: {
      kind: 'route' as const,
      route,
      taskId: where === 'userId' ? { kind: 'own' } : value,
      ...(where === 'id' ? {} : { userId: value }),
    },
    auth,
  }));

/** The same encodings in a list query: never a 5xx; NUL in `q` is a 400 on `q`. */
const inQuery: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom('q', 'tag', 'cursor', 'sort', 'x'), fc.constantFrom(...BROKEN, ...ODD), anyAuth)
  .map(([name, odd, auth]) => ({
    method: 'GET',
    target: {
      kind: 'route' as const,
      route: 'listTasks' as const,
      query: `${name}=a${odd}`,
      queryVerdict: { kind: 'unknown' as const },
    },
    auth,
  }));

export const percentEncoding: FuzzClass<HostileRequest> = {
  name: 'percent-encoding',
  arbitrary: fc.oneof({ arbitrary: inPath, weight: 3 }, inQuery),
  run: execute,
};
