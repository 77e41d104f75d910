import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES, ROUTES } from '../routes.js';
import { FIELDS, VALID_BODIES, wrongValues } from '../bodies.js';
import { anyAuth, json, objectText, routeRequest } from './common.js';

/**
 * A valid body in which some key appears again. JSON leaves duplicates to the parser; here the
 * last one counts, so the body is valid exactly when every last value is: the oracle expects that.
 */
const request: fc.Arbitrary<HostileRequest> = fc
  .constantFrom(...BODY_ROUTE_NAMES)
  .chain((route) => {
    const valid = VALID_BODIES[ROUTES[route].body] ?? {};
    const fields = FIELDS[ROUTES[route].body].filter((field) => field.name in valid);
    const repeat = fc.record({
      field: fc.constantFrom(...fields),
      wrong: fc.boolean(),
      pick: fc.nat(),
      last: fc.boolean(),
    });
    return fc.tuple(fc.constant(route), fc.array(repeat, { minLength: 1, maxLength: 4 }), anyAuth);
  })
  .chain(([route, repeats, auth]) => {
    const valid = VALID_BODIES[ROUTES[route].body] ?? {};
    const entries: [string, string][] = Object.entries(valid).map(([name, value]) => [name, json(value)]);
    const lastValues = new Map<string, boolean>(); // field → is the last occurrence wrong?
    for (const { field, wrong, pick, last } of repeats) {
      const wrongs = wrongValues(field);
      const value = wrong ? wrongs[pick % wrongs.length] : valid[field.name];
      if (last) {
        entries.push([field.name, json(value)]);
        lastValues.set(field.name, wrong);
      } else {
        entries.unshift([field.name, json(value)]); // overridden by the original, valid entry
      }
    }
    const broken = [...lastValues].filter(([, wrong]) => wrong).map(([name]) => name);
    const verdict = broken.length > 0 ? { kind: 'invalid' as const, fields: broken } : { kind: 'valid' as const };
    return routeRequest(route, auth, { text: objectText(entries), verdict });
  });

export const duplicateKeys: FuzzClass<HostileRequest> = { name: 'duplicate-keys', arbitrary: request, run: execute };
