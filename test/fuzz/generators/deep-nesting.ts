import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { HostileRequest } from '../hostile-request.js';
import { BODY_ROUTE_NAMES } from '../routes.js';
import { anyAuth, routeRequest } from './common.js';

/** Bodies stay under the 100 kB limit: depth is what is tested here, not size. */
const MAX_BYTES = 90_000;
const LEVELS = [
  { open: '[', close: ']' },
  { open: '{"a":', close: '}' },
  { open: '{"__proto__":', close: '}' },
  { open: '[{"tags":', close: '}]' },
] as const;

const nesting = fc
  .record({
    level: fc.constantFrom(...LEVELS),
    depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 50_000 })),
    closed: fc.boolean(),
    /** Nested as the value of a field, or as the whole body. */
    inField: fc.constantFrom(undefined, 'title', 'tags', 'completed', 'email', 'refreshToken'),
  })
  .map(({ level, depth, closed, inField }) => {
    const levels = Math.min(depth, Math.floor(MAX_BYTES / (level.open.length + level.close.length)));
    const inner = `${level.open.repeat(levels)}1${closed ? level.close.repeat(levels) : ''}`;
    const text = inField ? `{"${inField}":${inner}${closed ? '}' : ''}` : inner;
    return { text };
  });

/** Thousands of `[` or `{"a":` levels: the process must answer a 400 and live on. */
const request: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom(...BODY_ROUTE_NAMES, 'toggleTask', 'deleteTask'), anyAuth, nesting)
  .chain(([route, auth, { text }]) =>
    // Unclosed and too deep: either fault may be the one reported (a depth screen runs before parsing).
    routeRequest(route, auth, { text, verdict: { kind: 'rejected' } }),
  );

export const deepNesting: FuzzClass<HostileRequest> = { name: 'deep-nesting', arbitrary: request, run: execute };
