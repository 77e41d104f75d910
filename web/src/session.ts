import { client } from './api/client.gen.js';
import { authRefresh } from './api/sdk.gen.js';
import type { TokensDto, UserResponseDto } from './api/types.gen.js';

/** The signed-in user and their tokens, shared by the tabs of this origin (localStorage). */
export interface Session {
  user: UserResponseDto;
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'taskwell.session';
const REFRESH_LOCK = 'taskwell.refresh';

export function readSession(): Session | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(user: UserResponseDto, tokens: TokensDto): void {
  localStorage.setItem(
    STORAGE_KEY,
    JSON.stringify({ user, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
  );
}

export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** Sign-in and sign-out in another tab reach this one too. */
export function onSessionChange(listener: () => void): void {
  addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY || event.key === null) listener();
  });
}

/**
 * The generated client sends the current access token where the document
 * asks for a bearer token; `VITE_API_URL` is the API's origin when the app is
 * served from another one (empty: this origin).
 */
export function configureClient(): void {
  client.setConfig({
    baseUrl: import.meta.env.VITE_API_URL ?? '',
    auth: () => readSession()?.accessToken,
  });
}

let refreshing: Promise<boolean> | undefined;

/**
 * Trades the refresh token for a new pair. One refresh at a time per tab
 * (callers share the promise), and across tabs through a Web Lock: a refresh
 * token is spent by its first use, and a second use would end the session,
 * so a tab that waited for the lock first checks whether another tab has
 * already refreshed.
 */
function refreshTokens(): Promise<boolean> {
  refreshing ??= refreshUnderLock().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function refreshUnderLock(): Promise<boolean> {
  const seen = readSession()?.refreshToken;
  const refresh = async (): Promise<boolean> => {
    const session = readSession();
    if (!session) return false;
    if (session.refreshToken !== seen) return true; // another tab refreshed while this one waited
    const { data } = await authRefresh({ body: { refreshToken: session.refreshToken } });
    if (!data) {
      if (readSession()?.refreshToken === session.refreshToken) clearSession();
      return false;
    }
    saveSession(session.user, data.data.tokens);
    return true;
  };
  return navigator.locks ? navigator.locks.request(REFRESH_LOCK, refresh) : refresh();
}

/** Called when the session could not be renewed: the app shows the sign-in form. */
let sessionEnded: () => void = () => undefined;

export function onSessionEnded(listener: () => void): void {
  sessionEnded = listener;
}

/**
 * Runs an authenticated API call; on a 401 it refreshes the tokens once and
 * runs the call again. If the refresh fails, the session is over.
 */
export async function authed<R extends { response?: Response }>(send: () => Promise<R>): Promise<R> {
  const result = await send();
  if (result.response?.status !== 401 || !readSession()) return result;
  if (!(await refreshTokens())) {
    sessionEnded();
    return result;
  }
  return send();
}
