import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES, ROUTES } from '../routes.js';
import { VALID_BODIES } from '../bodies.js';
import { anyAuth, json, objectText, ownTarget, routeRequest } from './common.js';

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const payload = fc.constantFrom('{}', '{"isAdmin":true}', '{"polluted":"yes"}', 'null', '"x"', '[]', '1');

/** `{"__proto__": …}` nested `depth` levels down, under keys that may themselves be prototype keys. */
const nested = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), payload, fc.array(fc.constantFrom('a', ...PROTO_KEYS), { maxLength: 4 }))
  .map(([key, value, path]) =>
    path.reduceRight((inner, outer) => objectText([[outer, inner]]), objectText([[key, value]])),
  );

/**
 * A valid body plus a prototype key at any depth: an unknown field like any other (400), never
 * silently dropped, and never a change to how other requests behave (the victim check).
 */
const inBody: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom(...BODY_ROUTE_NAMES, 'toggleTask', 'deleteTask'), anyAuth, nested, fc.nat(), fc.boolean())
  .chain(([route, auth, protoObject, at, asField]) => {
    const entries: [string, string][] = Object.entries(VALID_BODIES[ROUTES[route].body] ?? {}).map(([name, value]) => [
      name,
      json(value),
    ]);
    if (asField || entries.length === 0) {
      // The prototype key is a top-level field of the body.
      const inner = protoObject.slice(1, -1);
      const text = entries.length ? `${objectText(entries).slice(0, -1)},${inner}}` : `{${inner}}`;
      return routeRequest(route, auth, { text, verdict: { kind: 'invalid' } });
    }
    // Or it replaces the value of a field.
    const index = at % entries.length;
    entries[index] = [entries[index][0], protoObject];
    return routeRequest(route, auth, { text: objectText(entries), verdict: { kind: 'invalid' } });
  });

const inQuery: fc.Arbitrary<HostileRequest> = fc
  .tuple(ownTarget('listTasks'), anyAuth, fc.constantFrom(...PROTO_KEYS), fc.constantFrom('', '[x]', '[isAdmin]'))
  .map(([target, auth, key, suffix]) => ({
    method: 'GET',
    target: {
      ...target,
      query: `${key}${encodeURIComponent(suffix)}=1`,
      queryVerdict: { kind: 'invalid', fields: [] },
    },
    auth,
  }));

export const prototypeKeys: FuzzClass<HostileRequest> = {
  name: 'prototype-keys',
  arbitrary: fc.oneof({ arbitrary: inBody, weight: 4 }, { arbitrary: inQuery, weight: 1 }),
  run: execute,
};
