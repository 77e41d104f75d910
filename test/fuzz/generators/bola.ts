import fc from 'fast-check';
import { execute } from '../execute.js';
import type { FuzzClass } from '../fuzz-class.js';
import type { FuzzTarget } from '../target.js';
import type { HostileRequest, PathValue } from '../hostile-request.js';
import {
  attackList,
  checkListsUnchanged,
  expectationOf,
  type Family,
  type ListAttack,
  type MemberName,
} from '../list-attack.js';
import { LIST_ROUTE_NAMES, LIST_ROUTES, subResourceOf, type ListRouteSpec } from '../list-routes.js';
import { ACTORS } from '../list-scene.js';
import { ROUTES, TASK_ROUTE_NAMES } from '../routes.js';
import { VALID_BODIES } from '../bodies.js';
import { json, nobody } from './common.js';

/**
 * A valid token on another user's ids: `/api/{victimId}/tasks/...` is a 403 and the victim's task
 * through `/api/tasks/{id}` a 404, before If-Match and body problems; the victim's data must not
 * move (checked between batches).
 */
const taskRequest: fc.Arbitrary<HostileRequest> = fc
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

type ListProbe = Omit<ListAttack, 'actor'>;

/**
 * Every route inside a list (the list, its members, invitations, webhooks and tasks, the task
 * routes through all three families), each request driven as every actor who may not do it: a
 * viewer writing (403 insufficient-role), a demoted admin at admin routes (403), anyone who left,
 * was removed (admin or not) or never joined (404), and the owner of another list naming this
 * list's resources in it (404). Reads a viewer may make must answer, without a trace of another list.
 */
const listProbe: fc.Arbitrary<ListProbe> = fc
  .record({
    route: fc.constantFrom(...LIST_ROUTE_NAMES),
    family: fc.constantFrom<Family>('list', 'tasks', 'user'),
    list: fc.constantFrom<ListAttack['list']>('shared', 'own'),
    of: fc.constantFrom<NonNullable<ListAttack['of']>>('shared', 'private'),
    member: fc.constantFrom<MemberName>('owner', 'editor', 'viewer', 'left'),
    ifMatch: fc.constantFrom<ListAttack['ifMatch']>(undefined, 'stale', 'any'),
    body: fc.constantFrom<ListAttack['body']>(undefined, 'valid', 'invalid', 'malformed'),
  })
  .map(({ route, family, list, of, member, ifMatch, body }): ListProbe => {
    const spec: ListRouteSpec = LIST_ROUTES[route];
    const sub = subResourceOf(route);
    const outside = spec.selector !== undefined && family !== 'list';
    const read = spec.method === 'GET';
    // Outside /api/lists a body or query names the list, and the contract does not rank that list's
    // checks before the body's: the body is one the route takes (none beside a query).
    const bodyKind =
      read || (outside && spec.selector === 'query') ? undefined : outside && spec.selector === 'body' ? 'valid' : body;
    return {
      route,
      ...(spec.selector ? { family } : {}),
      // In their own list the actor may do anything: only another list's resources named there are an attack.
      list: outside || sub === undefined ? 'shared' : list,
      ...((outside && spec.selector !== 'none') || (!outside && sub && sub !== 'member') ? { of } : {}),
      ...(sub === 'member' ? { member } : {}),
      ...(ifMatch && !read ? { ifMatch } : {}),
      ...(bodyKind && (bodyKind !== 'valid' || spec.body) ? { body: bodyKind } : {}),
    };
  });

/** Whether the probe is an attack for this actor: not a write their role allows, nor leaving (anyone may). */
function isAttack(attack: ListAttack): boolean {
  if (attack.member === attack.actor) return false;
  return expectationOf(attack).status !== 200 || LIST_ROUTES[attack.route].method === 'GET';
}

async function driveAsEveryActor(probe: ListProbe, target: FuzzTarget): Promise<void> {
  const sent: string[] = [];
  for (const actor of ACTORS) {
    const attack: ListAttack = { actor, ...probe };
    if (isAttack(attack)) sent.push(await attackList(attack, target));
  }
  if (LIST_ROUTES[probe.route].method !== 'GET') await checkListsUnchanged(target, sent);
}

type BolaValue = HostileRequest | ListProbe;

export const bola: FuzzClass<BolaValue> = {
  name: 'bola',
  arbitrary: fc.oneof({ arbitrary: taskRequest, weight: 1 }, { arbitrary: listProbe, weight: 2 }),
  run: (value, target) => ('target' in value ? execute(value, target) : driveAsEveryActor(value, target)),
};
