/**
 * The app's places, in the URL's fragment so that a static host needs no
 * rewrite rules and a shared link survives sign-in: `#/lists/<id>` and
 * `#/invite/<token>`.
 */
export type Route = { page: 'lists'; listId?: string } | { page: 'invite'; token: string };

export function currentRoute(): Route {
  const [, page, value] = location.hash.split('/');
  if (page === 'invite' && value) return { page: 'invite', token: decodeURIComponent(value) };
  return { page: 'lists', listId: page === 'lists' && value ? decodeURIComponent(value) : undefined };
}

let listener: () => void = () => undefined;

export function onRoute(handler: () => void): void {
  listener = handler;
  addEventListener('hashchange', () => listener());
}

/** Goes to `hash`; going to the place already shown shows it again (fresh). */
export function navigate(hash: string): void {
  if (location.hash === hash) listener();
  else location.hash = hash;
}

export const listHash = (listId: string) => `#/lists/${encodeURIComponent(listId)}`;
export const inviteLink = (token: string) =>
  `${location.origin}${location.pathname}#/invite/${encodeURIComponent(token)}`;

const PENDING_INVITE = 'taskwell.invite';

/** An invitation opened before sign-in waits here (this tab only) until the user has an account. */
export function rememberInvite(token: string): void {
  sessionStorage.setItem(PENDING_INVITE, token);
}

export function pendingInvite(): string | undefined {
  return sessionStorage.getItem(PENDING_INVITE) ?? undefined;
}

export function forgetInvite(): void {
  sessionStorage.removeItem(PENDING_INVITE);
}
