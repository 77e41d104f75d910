import fc from 'fast-check';
import type { Auth, BadToken, Body, HostileRequest, PathValue, Target } from '../hostile-request.js';
import { ROUTES, type RouteName } from '../routes.js';

export const BAD_TOKENS: BadToken[] = [
  'garbage',
  'empty-bearer',
  'basic-scheme',
  'expired',
  'wrong-secret',
  'alg-none',
  'wrong-audience',
  'refresh-as-access',
  'deleted-user',
  'ended-session',
  'unknown-subject',
];

export const badAuth: fc.Arbitrary<Auth> = fc.oneof(
  fc.constant<Auth>({ kind: 'none' }),
  fc.constantFrom(...BAD_TOKENS).map((token): Auth => ({ kind: 'bad', token })),
  fc.stringMatching(/^[!-~]{1,200}$/).map((raw): Auth => ({ kind: 'bad', token: 'garbage', raw })),
);

/** Mostly a valid token, so requests get past authentication to the checks behind it. */
export const anyAuth: fc.Arbitrary<Auth> = fc.oneof(
  { arbitrary: fc.constant<Auth>({ kind: 'valid' }), weight: 3 },
  { arbitrary: badAuth, weight: 1 },
);

export const nobody: fc.Arbitrary<PathValue> = fc.uuid({ version: 4 }).map((uuid) => ({ kind: 'nobody', uuid }));

/** A route target whose path values are the caller's own (the task exists), through either route family. */
export function ownTarget(route: RouteName): fc.Arbitrary<Target> {
  const path: string = ROUTES[route].path;
  const taskId: PathValue | undefined = path.includes('{id}') ? { kind: 'own' } : undefined;
  if (!path.startsWith('{base}')) return fc.constant({ kind: 'route', route });
  return fc.boolean().map((viaUser) => ({
    kind: 'route',
    route,
    taskId,
    ...(viaUser ? { userId: { kind: 'own' } } : {}),
  }));
}

/** The request a route expects, with this body and auth. */
export function routeRequest(route: RouteName, auth: Auth, body: Body | undefined): fc.Arbitrary<HostileRequest> {
  return ownTarget(route).map((target) => ({ method: ROUTES[route].method, target, auth, ...(body ? { body } : {}) }));
}

/** JSON text of an object whose keys may repeat or be `__proto__` (JSON.stringify cannot write those). */
export function objectText(entries: [string, string][]): string {
  return `{${entries.map(([key, valueText]) => `${JSON.stringify(key)}:${valueText}`).join(',')}}`;
}

export const json = (value: unknown): string => JSON.stringify(value);
