import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { GOOD_PASSWORD } from '../helpers/fixtures.js';
import { harnessJson } from './harness-request.js';

/** Access tokens live 15 minutes: a long run signs in afresh well before that. */
const TOKEN_REUSE_MS = 10 * 60_000;

/** Who attacks the shared list, and how they stand in it (docs/API.md, "Lists"). */
export const ACTORS = ['viewer', 'left', 'removed', 'stranger', 'removedAdmin', 'demotedAdmin'] as const;
export type Actor = (typeof ACTORS)[number];

type Person = Actor | 'owner' | 'editor';

interface Account {
  id: string;
  email: string;
  token: string;
  since: number;
}

/** The ids of one list's resources. */
export interface ListIds {
  id: string;
  taskIds: string[];
  invitationId: string;
  webhookId: string;
}

type Data<T> = { data: T };

/**
 * The people and lists the BOLA class attacks. An owner shares a list with an editor and a
 * viewer; of the others who joined, one left, one was removed, an admin was removed and another
 * demoted to editor; a stranger never joined. The owner also keeps a private list that nobody
 * else may ever see a trace of, and every actor owns a list of their own (to pair with the
 * shared list's sub-resource ids). Both of the owner's lists must read back the same after every
 * refused request.
 */
export class ListScene {
  private snapshot: unknown;

  private constructor(
    private readonly baseUrl: () => string,
    private readonly people: Record<Person, Account>,
    readonly shared: ListIds & { deliveryId: string },
    readonly private_: ListIds,
    readonly own: Record<Actor, string>,
  ) {}

  static async build(baseUrl: () => string): Promise<ListScene> {
    const json = (method: string, path: string, token?: string, body?: unknown) =>
      harnessJson(baseUrl(), method, path, token, body);
    const register = async (person: Person): Promise<Account> => {
      const email = `list-${person}-${randomUUID()}@example.com`;
      const { data } = (await json('POST', '/api/auth/register', undefined, {
        email,
        password: GOOD_PASSWORD,
      })) as Data<{
        user: { id: string };
        tokens: { accessToken: string };
      }>;
      return { id: data.user.id, email, token: data.tokens.accessToken, since: Date.now() };
    };
    const people = {} as Record<Person, Account>;
    for (const person of ['owner', 'editor', ...ACTORS] as const) people[person] = await register(person);
    const owner = people.owner.token;
    const idOf = async (method: string, path: string, token: string, body?: unknown): Promise<string> =>
      ((await json(method, path, token, body)) as Data<{ id: string }>).data.id;

    const makeList = async (name: string): Promise<ListIds> => {
      const id = await idOf('POST', '/api/lists', owner, { name });
      const taskIds = [
        await idOf('POST', `/api/lists/${id}/tasks`, owner, { title: `${name} plan`, tags: ['secret'] }),
        await idOf('POST', `/api/lists/${id}/tasks`, owner, { title: `${name} done`, completed: true }),
      ];
      const invitationId = await idOf('POST', `/api/lists/${id}/invitations`, owner, { role: 'editor' });
      const webhookId = await idOf('POST', `/api/lists/${id}/webhooks`, owner, {
        url: 'https://192.0.2.10/hook',
        events: ['task.updated'],
      });
      return { id, taskIds, invitationId, webhookId };
    };
    const shared = await makeList('Shared');
    const private_ = await makeList('Private');

    const join = async (person: Person, role: string) => {
      const { data } = (await json('POST', `/api/lists/${shared.id}/invitations`, owner, { role })) as Data<{
        token: string;
      }>;
      await json('POST', '/api/invitations/accept', people[person].token, { token: data.token });
    };
    await join('editor', 'editor');
    await join('viewer', 'viewer');
    await join('left', 'editor');
    await join('removed', 'viewer');
    await join('removedAdmin', 'admin');
    await join('demotedAdmin', 'admin');
    const member = (person: Person) => `/api/lists/${shared.id}/members/${people[person].id}`;
    await json('DELETE', member('left'), people.left.token);
    await json('DELETE', member('removed'), owner);
    await json('DELETE', member('removedAdmin'), owner);
    await json('PATCH', member('demotedAdmin'), owner, { role: 'editor' });

    const own = {} as Record<Actor, string>;
    for (const actor of ACTORS) own[actor] = await idOf('POST', '/api/lists', people[actor].token, { name: 'Mine' });

    // One delivery for the retry route: a change the webhook hears, refused at once (a documentation address).
    await json('PATCH', `/api/lists/${shared.id}/tasks/${shared.taskIds[0]}`, owner, { priority: 'high' });
    const deliveryId = await settledDelivery(json, `/api/lists/${shared.id}/webhooks/${shared.webhookId}`, owner);

    const scene = new ListScene(baseUrl, people, { ...shared, deliveryId }, private_, own);
    scene.snapshot = await scene.view();
    return scene;
  }

  idOf(person: Person): string {
    return this.people[person].id;
  }

  async tokenOf(person: Person): Promise<string> {
    const account = this.people[person];
    if (Date.now() - account.since > TOKEN_REUSE_MS) {
      const { data } = (await harnessJson(this.baseUrl(), 'POST', '/api/auth/login', undefined, {
        email: account.email,
        password: GOOD_PASSWORD,
      })) as Data<{ tokens: { accessToken: string } }>;
      account.token = data.tokens.accessToken;
      account.since = Date.now();
    }
    return account.token;
  }

  /** Every id of the private list: none may appear in an answer to anyone but the owner. */
  privateIds(): string[] {
    const { id, taskIds, invitationId, webhookId } = this.private_;
    return [id, ...taskIds, invitationId, webhookId];
  }

  /** The shared list and its tasks: none may appear in an answer to someone who is not a member. */
  sharedIds(): string[] {
    return [this.shared.id, ...this.shared.taskIds];
  }

  /** Throws with both views when anything the owner (or any member) reads differs from the start. */
  async checkUnchanged(): Promise<void> {
    const now = await this.view();
    if (!isDeepStrictEqual(now, this.snapshot))
      throw new Error(`the lists changed:\nbefore ${JSON.stringify(this.snapshot)}\nafter  ${JSON.stringify(now)}`);
  }

  /** What the owner reads of both lists, and which lists (with which role) every other person is in. */
  private async view(): Promise<unknown> {
    const owner = await this.tokenOf('owner');
    const get = async (path: string, token = owner) => harnessJson(this.baseUrl(), 'GET', path, token);
    // Read at once: a view is taken after every refused write.
    const read = async ({ id, webhookId }: ListIds) => {
      const paths = [
        '',
        '/members',
        '/invitations',
        '/tasks?limit=100',
        '/webhooks',
        `/webhooks/${webhookId}/deliveries`,
      ];
      return Promise.all(paths.map((path) => get(`/api/lists/${id}${path}`)));
    };
    const others = ['editor', ...ACTORS] as const;
    const tokens = await Promise.all(others.map((person) => this.tokenOf(person)));
    const [shared, private_, ...memberships] = await Promise.all([
      read(this.shared),
      read(this.private_),
      ...tokens.map((token) => get('/api/lists?limit=100', token)),
    ]);
    return { shared, private: private_, memberships };
  }
}

/** The webhook's first delivery, once the dispatcher has finished with it (so the owner's view holds still). */
async function settledDelivery(
  json: (method: string, path: string, token?: string) => Promise<unknown>,
  webhook: string,
  token: string,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { data } = (await json('GET', `${webhook}/deliveries`, token)) as Data<{ id: string; status: string }[]>;
    if (data.length > 0 && data.every((delivery) => delivery.status !== 'pending')) return data[0].id;
    if (Date.now() > deadline) throw new Error(`no settled webhook delivery in 30 s: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
