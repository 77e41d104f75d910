import { randomUUID } from 'node:crypto';
import { checkContractWide, ContractViolation, problemSlug, violated } from './contract-rules.js';
import { send, type Answer } from './http-client.js';
import {
  atLeast,
  LIST_ROUTES,
  subResourceOf,
  type ListRole,
  type ListRouteName,
  type ListRouteSpec,
} from './list-routes.js';
import type { Actor, ListScene } from './list-scene.js';
import type { FuzzTarget } from './target.js';

export type Family = 'tasks' | 'user' | 'list';
/** A member of the shared list (`left` no longer is) whose id a member route names. */
export type MemberName = 'owner' | 'editor' | 'viewer' | 'left';

/**
 * One request of an actor into a list (plain data: fast-check generates, shrinks and prints it).
 * `list` is whose list the path names: the shared one, or one the actor owns (then the
 * sub-resource is the shared list's, so it is not in that list). `of` is which of the owner's
 * lists the task, invitation or webhook (or, outside `/api/lists`, the body's or query's
 * `listId`) belongs to.
 */
export interface ListAttack {
  actor: Actor;
  route: ListRouteName;
  family?: Family;
  list: 'shared' | 'own';
  of?: 'shared' | 'private';
  member?: MemberName;
  ifMatch?: 'stale' | 'any';
  body?: 'valid' | 'invalid' | 'malformed';
}

/** What the contract's order of checks in a list (401, 400, 404 member, 403 role, 404 resource, 412, body) says. */
export interface ListExpectation {
  rule: string;
  status: 200 | 400 | 403 | 404;
  requiredRole?: ListRole;
  /** For a 404 (or the 400 before it): which id decides it (a twin with that id naming nothing gets the same answer). */
  decidedBy?: 'list' | 'sub';
}

/** The actor's role in the shared list: a viewer, a demoted admin (now an editor), or none. */
function sharedRole(actor: Actor): ListRole | undefined {
  return actor === 'viewer' ? 'viewer' : actor === 'demotedAdmin' ? 'editor' : undefined;
}

export function expectationOf(attack: ListAttack): ListExpectation {
  const spec: ListRouteSpec = LIST_ROUTES[attack.route];
  const outside = attack.family === 'tasks' || attack.family === 'user';
  if (outside && spec.selector === 'none')
    return { rule: "the caller's tasks are a 200 without a list they are not in", status: 200 };
  // Outside /api/lists the list is named by the task, the body or the query; the private list has no other member.
  const role = outside
    ? attack.of === 'shared'
      ? sharedRole(attack.actor)
      : undefined
    : attack.list === 'own'
      ? 'owner'
      : sharedRole(attack.actor);
  if (role === undefined)
    return {
      rule: outside
        ? 'a list the caller is not in is a 404 before role, If-Match and body'
        : 'not a member: a 404 on everything under the list, before role, If-Match and body',
      status: 404,
      decidedBy: outside && spec.selector === 'task' ? 'sub' : 'list',
    };
  if (!atLeast(role, spec.role))
    return {
      rule: `a ${role} is a 403 insufficient-role (${spec.role}) before the resource, If-Match and body`,
      status: 403,
      requiredRole: spec.role,
    };
  const sub = subResourceOf(attack.route);
  const foreign =
    sub === 'member' ? attack.list === 'own' || attack.member === 'left' : sub !== undefined && attack.of === 'private';
  // A member's, invitation's or webhook's body is judged before whether it exists (docs/API.md):
  // the 400 is answered alike for every id, and the twin request holds it to that.
  const rejected = attack.body === 'invalid' || attack.body === 'malformed' || (!attack.body && !!spec.body);
  if (foreign || (sub !== undefined && attack.list === 'own'))
    return rejected && sub !== 'task'
      ? { rule: `a rejected body is a 400 before whether the ${sub} exists`, status: 400, decidedBy: 'sub' }
      : { rule: `a ${sub} that is not in this list is a 404 before If-Match`, status: 404, decidedBy: 'sub' };
  return { rule: 'a member reads what their role allows', status: 200 };
}

interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The request on the wire; `ghost` replaces the id that decides a 404 by one that names nothing. */
async function wireOf(attack: ListAttack, scene: ListScene, ghost?: 'list' | 'sub'): Promise<Wire> {
  const spec: ListRouteSpec = LIST_ROUTES[attack.route];
  const named = attack.of === 'private' ? scene.private_ : scene.shared;
  const listId =
    ghost === 'list'
      ? randomUUID()
      : attack.family === 'tasks' || attack.family === 'user'
        ? named.id
        : attack.list === 'own'
          ? scene.own[attack.actor]
          : scene.shared.id;
  const sub = (id: string) => (ghost === 'sub' ? randomUUID() : id);
  const base =
    attack.family === 'tasks'
      ? '/api/tasks'
      : attack.family === 'user'
        ? `/api/${scene.idOf(attack.actor)}/tasks`
        : `/api/lists/${listId}/tasks`;
  let path = spec.path
    .replace('{base}', base)
    .replace('{listId}', listId)
    .replace('{userId}', sub(scene.idOf(attack.member ?? 'owner')))
    .replace('{invitationId}', sub(named.invitationId))
    .replace('{webhookId}', sub(named.webhookId))
    .replace('{deliveryId}', scene.shared.deliveryId)
    .replace('{id}', sub(named.taskIds[0]));
  const outside = attack.family === 'tasks' || attack.family === 'user';
  if (outside && spec.selector === 'query') path += `?listId=${listId}`;
  const headers: Record<string, string> = { Authorization: `Bearer ${await scene.tokenOf(attack.actor)}` };
  if (attack.ifMatch) headers['If-Match'] = attack.ifMatch === 'stale' ? '"0"' : '*';
  let text: string | undefined;
  const valid: Record<string, unknown> | undefined =
    spec.body && JSON.parse(JSON.stringify(spec.body).replaceAll('{{userId}}', scene.idOf('editor')));
  if (outside && valid && spec.selector === 'body') valid.listId = listId;
  if (attack.body === 'valid' && valid) text = JSON.stringify(valid);
  if (attack.body === 'invalid') text = JSON.stringify({ ...valid, hijack: true });
  if (attack.body === 'malformed') text = '{"title":tru';
  if (text !== undefined) headers['Content-Type'] = 'application/json';
  return { method: spec.method, path, headers, body: text === undefined ? undefined : Buffer.from(text) };
}

/**
 * Sends one attack as the actor and holds the answer to the contract: the status and problem the
 * order of checks gives, `requiredRole` on a 403, a 404 no different from one for an id that names
 * nothing, and no id of a list the actor may not see in a 200. Returns what it sent.
 */
export async function attackList(attack: ListAttack, target: FuzzTarget): Promise<string> {
  const scene = await target.listScene();
  const wire = await wireOf(attack, scene);
  const summary = () => `request: ${wire.method} ${wire.path} as ${attack.actor} ${JSON.stringify(attack)}`;
  try {
    const answer = await sendWire(target, wire);
    const expected = expectationOf(attack);
    const got = `got ${answer.status} ${answer.text.slice(0, 300)}`;
    if (answer.status !== expected.status) violated(expected.rule, got);
    if (expected.status === 200) checkNoLeak(attack, answer, scene);
    if (expected.status === 403) {
      if (problemSlug(answer.text) !== 'insufficient-role') violated(`${expected.rule}: the type`, got);
      const { requiredRole } = JSON.parse(answer.text) as { requiredRole?: unknown };
      if (requiredRole !== expected.requiredRole) violated(`${expected.rule}: requiredRole`, got);
    }
    if (expected.status === 404 && problemSlug(answer.text) !== 'not-found')
      violated(`${expected.rule}: the type`, got);
    if (expected.decidedBy !== undefined) {
      const twin = await sendWire(target, await wireOf(attack, scene, expected.decidedBy));
      const detail = (a: Answer) => (JSON.parse(a.text) as { detail?: unknown }).detail;
      if (twin.status !== answer.status || detail(twin) !== detail(answer))
        violated('a 404 tells an existing resource from none', `${got}\nfor nothing: ${twin.status} ${twin.text}`);
    }
  } catch (error) {
    if (error instanceof ContractViolation) error.message += `\n${summary()}`;
    throw error;
  }
  return summary();
}

/**
 * After refused writes (`sent`), both of the owner's lists and everyone's memberships read back as
 * they were at the start. Once per probe, not per request: a view is a dozen reads.
 */
export async function checkListsUnchanged(target: FuzzTarget, sent: string[]): Promise<void> {
  try {
    await (await target.listScene()).checkUnchanged();
  } catch (error) {
    violated('a refused request changed a list', `${(error as Error).message}\nafter:\n${sent.join('\n')}`);
  }
}

async function sendWire(target: FuzzTarget, wire: Wire): Promise<Answer> {
  const answer = await send(target.baseUrl, wire.method, wire.path, wire.headers, wire.body);
  checkContractWide(answer.status, answer.headers, answer.text, { method: wire.method, path: wire.path.split('?')[0] });
  return answer;
}

/** A 200 carries nothing of the private list, nothing of the shared list for a non-member, and only the path's list. */
function checkNoLeak(attack: ListAttack, answer: Answer, scene: ListScene): void {
  const member = sharedRole(attack.actor) !== undefined;
  const hidden = [...scene.privateIds(), ...(member ? [] : scene.sharedIds())];
  const leaked = hidden.filter((id) => answer.text.includes(id));
  if (leaked.length > 0)
    violated(
      'a 200 carries ids of a list the caller is not in',
      `${leaked.join(', ')} in ${answer.text.slice(0, 300)}`,
    );
  if (attack.family === 'list' || attack.family === undefined) {
    const { data } = JSON.parse(answer.text) as { data: unknown };
    const items = (Array.isArray(data) ? data : [data]) as { listId?: unknown }[];
    const strays = items.filter((item) => item.listId !== undefined && item.listId !== scene.shared.id);
    if (strays.length > 0) violated("a list's route answers another list's data", JSON.stringify(strays).slice(0, 300));
  }
}
