/**
 * The routes of the contract (docs/API.md) as the fuzz oracle models them: which are public,
 * which take a body and which task path parameters they have. The expected answer to a hostile
 * request is derived from this table, never from the service's own code.
 */
export type BodyShape =
  | 'none'
  | 'register'
  | 'login'
  | 'refresh'
  | 'change-password'
  | 'update-user'
  | 'create-task'
  | 'replace-task'
  | 'update-task'
  | 'complete-task';

export interface RouteSpec {
  method: string;
  /** `{base}` is `/api/tasks` or `/api/{userId}/tasks`; `{id}` a task id. */
  path: string;
  public: boolean;
  body: BodyShape;
  /** A successful call ends the caller's account or sessions: the harness signs in afresh after it. */
  endsSession?: boolean;
}

export const ROUTES = {
  register: { method: 'POST', path: '/api/auth/register', public: true, body: 'register' },
  login: { method: 'POST', path: '/api/auth/login', public: true, body: 'login' },
  refresh: { method: 'POST', path: '/api/auth/refresh', public: true, body: 'refresh' },
  logout: { method: 'POST', path: '/api/auth/logout', public: true, body: 'refresh' },
  session: { method: 'GET', path: '/api/auth/session', public: false, body: 'none' },
  me: { method: 'GET', path: '/api/users/me', public: false, body: 'none' },
  updateMe: { method: 'PATCH', path: '/api/users/me', public: false, body: 'update-user' },
  changePassword: {
    method: 'POST',
    path: '/api/users/me/password',
    public: false,
    body: 'change-password',
    endsSession: true,
  },
  deleteMe: { method: 'DELETE', path: '/api/users/me', public: false, body: 'none', endsSession: true },
  listTasks: { method: 'GET', path: '{base}', public: false, body: 'none' },
  createTask: { method: 'POST', path: '{base}', public: false, body: 'create-task' },
  getTask: { method: 'GET', path: '{base}/{id}', public: false, body: 'none' },
  replaceTask: { method: 'PUT', path: '{base}/{id}', public: false, body: 'replace-task' },
  updateTask: { method: 'PATCH', path: '{base}/{id}', public: false, body: 'update-task' },
  deleteTask: { method: 'DELETE', path: '{base}/{id}', public: false, body: 'none' },
  completeTask: { method: 'PATCH', path: '{base}/{id}/complete', public: false, body: 'complete-task' },
  toggleTask: { method: 'POST', path: '{base}/{id}/toggle', public: false, body: 'none' },
  live: { method: 'GET', path: '/health/live', public: true, body: 'none' },
  ready: { method: 'GET', path: '/health/ready', public: true, body: 'none' },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];
export const TASK_ROUTE_NAMES = ROUTE_NAMES.filter((name) => ROUTES[name].path.startsWith('{base}'));
export const BODY_ROUTE_NAMES = ROUTE_NAMES.filter((name) => ROUTES[name].body !== 'none');

/** Routes whose If-Match header is honoured (a stale one is a 412). */
export const CONDITIONAL_ROUTES: readonly RouteName[] = [
  'replaceTask',
  'updateTask',
  'deleteTask',
  'completeTask',
  'toggleTask',
];

/** The literal patterns of every route, for the model of which methods a path answers. */
const PATTERNS = ROUTE_NAMES.flatMap((name) => {
  const { method, path } = ROUTES[name];
  const tails = path.startsWith('{base}')
    ? [path.replace('{base}', '/api/tasks'), path.replace('{base}', '/api/:userId/tasks')]
    : [path];
  return tails.map((pattern) => ({ method, segments: pattern.replace('{id}', ':id').split('/').filter(Boolean) }));
});

/**
 * The methods the contract defines at a path made of plain segments (HEAD wherever GET is), as
 * Express matches them: letter case ignored, one trailing slash allowed, a parameter takes one
 * non-empty segment. Undefined for a path the model does not cover (empty segments, encodings).
 */
export function methodsAt(path: string): string[] | undefined {
  if (!/^(\/[A-Za-z0-9._~-]+)+\/?$|^\/$/.test(path)) return undefined;
  const segments = path.split('/').filter(Boolean);
  if (segments[0]?.toLowerCase() === 'docs') return undefined; // Swagger UI and its assets
  const methods = new Set<string>();
  for (const pattern of PATTERNS) {
    const fits =
      pattern.segments.length === segments.length &&
      pattern.segments.every((part, i) => part.startsWith(':') || part.toLowerCase() === segments[i].toLowerCase());
    if (fits) methods.add(pattern.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
