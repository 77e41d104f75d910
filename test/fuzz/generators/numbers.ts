import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES, ROUTES } from '../routes.js';
import { FIELDS, VALID_BODIES } from '../bodies.js';
import { anyAuth, json, objectText, ownTarget, routeRequest } from './common.js';

/** Number literals JSON allows but JavaScript cannot hold exactly, or at all. */
const literal = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1E309',
    '-0',
    '-0.0',
    '0e0',
    '1e-400',
    '0.1e-999999',
    '9007199254740993',
    '-9007199254740993',
    '123456789012345678901234567890',
    '1.7976931348623157e308',
    '5e-324',
    `1${'0'.repeat(400)}`,
    `0.${'0'.repeat(400)}1`,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.bigInt().map(String),
);

/** A number where the body wants a string, boolean, enum, timestamp or list: always a 400 naming the field. */
const inBody: fc.Arbitrary<HostileRequest> = fc
  .constantFrom(...BODY_ROUTE_NAMES)
  .chain((route) => {
    const fields = FIELDS[ROUTES[route].body];
    return fc.tuple(fc.constant(route), fc.constantFrom(...fields), literal, anyAuth);
  })
  .chain(([route, field, number, auth]) => {
    const base = Object.entries(VALID_BODIES[ROUTES[route].body] ?? {}).filter(([name]) => name !== field.name);
    const entries: [string, string][] = [...base.map(([name, value]): [string, string] => [name, json(value)])];
    entries.push([field.name, field.type === 'tags' ? `[${number}]` : number]);
    const text = objectText(entries);
    return routeRequest(route, auth, { text, verdict: { kind: 'invalid', fields: [field.name] } });
  });

/** The list's `limit` takes 1 to 100 written as plain digits; every odd number is a 400 on `limit`. */
const inQuery: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    ownTarget('listTasks'),
    anyAuth,
    fc
      .oneof(literal, fc.constantFrom('0', '101', '0x10', '1.0', '+5', ' 5', '5 ', 'Infinity', 'NaN'))
      .filter((text) => !(/^-?\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 100)),
  )
  .map(([target, auth, number]) => ({
    method: 'GET',
    target: {
      ...target,
      query: `limit=${encodeURIComponent(number)}`,
      queryVerdict: { kind: 'invalid', fields: ['limit'] },
    } as HostileRequest['target'],
    auth,
  }));

export const hugeNumbers: FuzzClass<HostileRequest> = {
  name: 'huge-numbers',
  arbitrary: fc.oneof(inBody, inQuery),
  run: execute,
};
