/**
 * The routes that act inside one list (docs/API.md, "Lists", "Tasks", "Webhooks") as the BOLA
 * oracle models them: the role each needs, the sub-resource its path names, and a body it takes.
 * Task routes carry `{base}`: `/api/tasks`, `/api/{userId}/tasks` or `/api/lists/{listId}/tasks`.
 */
export type ListRole = 'owner' | 'admin' | 'editor' | 'viewer';

/** What names the list when the path does not (`/api/tasks` and `/api/{userId}/tasks`). */
export type ListSelector = 'task' | 'body' | 'query' | 'none';

export interface ListRouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** The lowest role that may call it. */
  role: ListRole;
  /** The body it takes; `{{listId}}` and `{{userId}}` are filled in when sent. */
  body?: Record<string, unknown>;
  /** A task route, reached through any of the three families; `selector` says how the list is named outside `/api/lists`. */
  selector?: ListSelector;
}

const WEBHOOK_URL = 'https://192.0.2.10/hook'; // a documentation address: refused at delivery, never reached

export const LIST_ROUTES = {
  getList: { method: 'GET', path: '/api/lists/{listId}', role: 'viewer' },
  updateList: { method: 'PATCH', path: '/api/lists/{listId}', role: 'admin', body: { name: 'Taken over' } },
  deleteList: { method: 'DELETE', path: '/api/lists/{listId}', role: 'owner' },
  transfer: { method: 'POST', path: '/api/lists/{listId}/transfer', role: 'owner', body: { userId: '{{userId}}' } },
  members: { method: 'GET', path: '/api/lists/{listId}/members', role: 'viewer' },
  setRole: { method: 'PATCH', path: '/api/lists/{listId}/members/{userId}', role: 'admin', body: { role: 'editor' } },
  removeMember: { method: 'DELETE', path: '/api/lists/{listId}/members/{userId}', role: 'admin' },
  createInvitation: {
    method: 'POST',
    path: '/api/lists/{listId}/invitations',
    role: 'admin',
    body: { role: 'viewer' },
  },
  invitations: { method: 'GET', path: '/api/lists/{listId}/invitations', role: 'admin' },
  invitation: { method: 'GET', path: '/api/lists/{listId}/invitations/{invitationId}', role: 'admin' },
  revokeInvitation: { method: 'DELETE', path: '/api/lists/{listId}/invitations/{invitationId}', role: 'admin' },
  createWebhook: {
    method: 'POST',
    path: '/api/lists/{listId}/webhooks',
    role: 'admin',
    body: { url: WEBHOOK_URL, events: ['task.created'] },
  },
  webhooks: { method: 'GET', path: '/api/lists/{listId}/webhooks', role: 'admin' },
  webhook: { method: 'GET', path: '/api/lists/{listId}/webhooks/{webhookId}', role: 'admin' },
  updateWebhook: {
    method: 'PATCH',
    path: '/api/lists/{listId}/webhooks/{webhookId}',
    role: 'admin',
    body: { url: WEBHOOK_URL, enabled: false },
  },
  removeWebhook: { method: 'DELETE', path: '/api/lists/{listId}/webhooks/{webhookId}', role: 'admin' },
  rotateSecret: { method: 'POST', path: '/api/lists/{listId}/webhooks/{webhookId}/rotate-secret', role: 'admin' },
  deliveries: { method: 'GET', path: '/api/lists/{listId}/webhooks/{webhookId}/deliveries', role: 'admin' },
  retryDelivery: {
    method: 'POST',
    path: '/api/lists/{listId}/webhooks/{webhookId}/deliveries/{deliveryId}/retry',
    role: 'admin',
  },
  listTasks: { method: 'GET', path: '{base}', role: 'viewer', selector: 'none' },
  createTask: { method: 'POST', path: '{base}', role: 'editor', selector: 'body', body: { title: 'Planted' } },
  completeAll: {
    method: 'POST',
    path: '{base}/complete-all',
    role: 'editor',
    selector: 'body',
    body: { completed: false },
  },
  clearCompleted: { method: 'DELETE', path: '{base}/completed', role: 'editor', selector: 'query' },
  getTask: { method: 'GET', path: '{base}/{id}', role: 'viewer', selector: 'task' },
  replaceTask: { method: 'PUT', path: '{base}/{id}', role: 'editor', selector: 'task', body: { title: 'Replaced' } },
  updateTask: { method: 'PATCH', path: '{base}/{id}', role: 'editor', selector: 'task', body: { title: 'Updated' } },
  deleteTask: { method: 'DELETE', path: '{base}/{id}', role: 'editor', selector: 'task' },
  completeTask: {
    method: 'PATCH',
    path: '{base}/{id}/complete',
    role: 'editor',
    selector: 'task',
    body: { completed: false },
  },
  toggleTask: { method: 'POST', path: '{base}/{id}/toggle', role: 'editor', selector: 'task' },
} as const satisfies Record<string, ListRouteSpec>;

export type ListRouteName = keyof typeof LIST_ROUTES;
export const LIST_ROUTE_NAMES = Object.keys(LIST_ROUTES) as ListRouteName[];

const RANK: Record<ListRole, number> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

export function atLeast(role: ListRole, required: ListRole): boolean {
  return RANK[role] >= RANK[required];
}

/** The path parameter naming a resource inside the list, if the route has one. */
export function subResourceOf(route: ListRouteName): 'member' | 'invitation' | 'webhook' | 'task' | undefined {
  const path: string = LIST_ROUTES[route].path;
  if (path.includes('{userId}')) return 'member';
  if (path.includes('{invitationId}')) return 'invitation';
  if (path.includes('{webhookId}')) return 'webhook';
  if (path.includes('{id}')) return 'task';
  return undefined;
}
