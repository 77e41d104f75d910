import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { anyAuth, ownTarget } from './common.js';

/** Node refuses request heads over 16 KiB; below that the service judges the values itself. */
const HEAD_BUDGET = 15_000;

/** Values past each parameter's bound (q 200, tag 50, cursor 1024 characters): a 400 naming it. */
const overLong: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    ownTarget('listTasks'),
    anyAuth,
    fc.constantFrom(['q', 201], ['tag', 51], ['cursor', 1025]),
    fc.integer({ min: 0, max: 12_000 }),
    fc.constantFrom('a', 'é', '😀', '%', 'a '),
  )
  .map(([target, auth, [name, bound], extra, unit]) => {
    const value = encodeURIComponent(unit.repeat(Number(bound) + extra));
    const fits = value.length < HEAD_BUDGET;
    const query = `${name}=${fits ? value : value.slice(0, HEAD_BUDGET).replace(/%[0-9A-F]?$/, '')}`;
    return {
      method: 'GET',
      target: { ...target, query, queryVerdict: { kind: 'invalid' as const, fields: [String(name)] } },
      auth,
    };
  });

/** Many parameters, unknown names, and heads over Node's limit (a 431 problem, never a bare one). */
const many: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    ownTarget('listTasks'),
    anyAuth,
    fc.integer({ min: 1, max: 3000 }),
    fc.constantFrom('x', 'q', 'limit', 'a[b][c]', 'sort'),
  )
  .map(([target, auth, count, name]) => ({
    method: 'GET',
    target: {
      ...target,
      query: Array.from({ length: count }, (_, i) => `${name}=${i}`).join('&'),
      queryVerdict: { kind: 'unknown' as const },
    },
    auth,
  }));

export const longQuery: FuzzClass<HostileRequest> = {
  name: 'long-query',
  arbitrary: fc.oneof(overLong, many),
  run: execute,
};
