import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES, ROUTES } from '../routes.js';
import { FIELDS, VALID_BODIES, wrongValues } from '../bodies.js';
import { anyAuth, json, ownTarget, routeRequest } from './common.js';

/** Every field of every body, given a value of the wrong type, or left out when required: a 400 naming it. */
const wrongField: fc.Arbitrary<HostileRequest> = fc
  .constantFrom(...BODY_ROUTE_NAMES)
  .chain((route) => fc.tuple(fc.constant(route), fc.constantFrom(...FIELDS[ROUTES[route].body]), fc.nat(), anyAuth))
  .chain(([route, field, pick, auth]) => {
    const body: Record<string, unknown> = { ...VALID_BODIES[ROUTES[route].body] };
    const wrongs = wrongValues(field);
    const omit = field.required && pick % (wrongs.length + 1) === wrongs.length;
    if (omit) delete body[field.name];
    else body[field.name] = wrongs[pick % wrongs.length];
    return routeRequest(route, auth, { text: json(body), verdict: { kind: 'invalid', fields: [field.name] } });
  });

/** A field no body has (on routes without a body too): a 400 naming it. */
const unknownField: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(...BODY_ROUTE_NAMES, 'toggleTask', 'deleteTask'),
    fc.constantFrom('id', 'userId', 'version', 'createdAt', 'isAdmin', 'role', 'completedAt', 'foo', 'completed'),
    fc.jsonValue({ maxDepth: 2 }),
    anyAuth,
  )
  .filter(([route, name]) => !FIELDS[ROUTES[route].body].some((field) => field.name === name))
  .chain(([route, name, value, auth]) => {
    const body = { ...VALID_BODIES[ROUTES[route].body], [name]: value };
    return routeRequest(route, auth, { text: json(body), verdict: { kind: 'invalid', fields: [name] } });
  });

/** Wrong values only: an empty or whitespace-only one means "not given" (an HTML form sends it). */
const QUERY_WRONG: Record<string, string[]> = {
  status: ['done', 'ALL', ' all', '1'],
  priority: ['urgent', 'HIGH', 'low ', '0'],
  sort: ['id', 'title;drop', ' title', 'createdat'],
  order: ['up', 'ASC', ' asc'],
  limit: ['abc', ' 5', '-1', '1.5'],
  dueBefore: ['tomorrow', '2026-02-30T00:00:00Z', '1700000000'],
  dueAfter: ['yesterday', '2026-13-01'],
  q: ['x'.repeat(201), 'nul\u0000'],
  tag: ['t'.repeat(51), 'nul\u0000'],
  cursor: ['not-base64!', 'eyJ4IjoxfQ', 'x'.repeat(1025)],
};

/** Each list parameter with a value of the wrong kind, an array form, or repeated: a 400 naming it. */
const wrongQuery: fc.Arbitrary<HostileRequest> = fc
  .tuple(ownTarget('listTasks'), anyAuth, fc.constantFrom(...Object.keys(QUERY_WRONG)), fc.nat(), fc.nat(2))
  .map(([target, auth, name, pick, form]) => {
    const values = QUERY_WRONG[name];
    const value = encodeURIComponent(values[pick % values.length]);
    const query = [`${name}=${value}`, `${name}=a&${name}=b`, `${name}[]=${value}`][form];
    const fields = form === 2 && name !== 'cursor' ? [] : [name]; // `name[]` may be reported as itself
    return {
      method: 'GET',
      target: { ...target, query, queryVerdict: { kind: 'invalid' as const, fields } },
      auth,
    };
  });

export const wrongTypes: FuzzClass<HostileRequest> = {
  name: 'wrong-types',
  arbitrary: fc.oneof({ arbitrary: wrongField, weight: 3 }, unknownField, wrongQuery),
  run: execute,
};
