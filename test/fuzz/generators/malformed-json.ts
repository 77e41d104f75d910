import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { BodyVerdict, HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES, ROUTES } from '../routes.js';
import { VALID_BODIES } from '../bodies.js';
import { anyAuth, routeRequest } from './common.js';

/** Text that is almost JSON: truncated, trailing garbage, JavaScript-isms, random characters. */
const almostJson = fc.oneof(
  fc.tuple(fc.constantFrom(...BODY_ROUTE_NAMES), fc.nat()).map(([route, cut]) => {
    const text = JSON.stringify(VALID_BODIES[ROUTES[route].body]);
    return text.slice(0, cut % text.length);
  }),
  fc.constantFrom(
    "{'title':'x'}",
    '{title:"x"}',
    '{"title":"x",}',
    '{"title":"x"}}',
    '{"title":"x"} []',
    '{"title":NaN}',
    '{"title":Infinity}',
    '{"title":undefined}',
    '{"title":"x" /* c */}',
    '{"title":"\\x41"}',
    '{"title":"\\u12"}',
    '{"title":"tab\tin string"}',
    '{"title":01}',
    '{"title":.5}',
    '{"title":+1}',
    '[1,2',
    '"just a string"',
    'null',
    'true',
    '42',
    '[]',
    '{"a":1}\u0000',
    '\u0000',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json().map((text) => `${text}${text}`),
);

const verdictOf = (text: string): BodyVerdict => {
  if (text.trim() === '') return { kind: 'unknown' }; // an empty body is no body
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { kind: 'unknown' }
      : { kind: 'rejected' };
  } catch {
    return { kind: 'malformed' };
  }
};

const request: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom(...BODY_ROUTE_NAMES, 'toggleTask', 'deleteTask'), anyAuth, almostJson)
  .chain(([route, auth, text]) => routeRequest(route, auth, { text, verdict: verdictOf(text) }));

export const malformedJson: FuzzClass<HostileRequest> = { name: 'malformed-json', arbitrary: request, run: execute };
