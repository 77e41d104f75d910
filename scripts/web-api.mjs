// How `npm run web` finds its API: a Taskwell API already on the port, the port free for one of
// its own, or the port taken by another program; and when that API can serve (readiness, not liveness).
import { createServer } from 'node:net';

const PROBE_TIMEOUT_MS = 2000;

/**
 * 'taskwell' when a Taskwell API (ready or still starting) answers at `url`, 'free' when nothing
 * listens on its port, 'other' when something else does.
 */
export async function probeApi(url) {
  const live = await get(url, '/health/live');
  if (live === 'refused') return (await canListen(Number(new URL(url).port))) ? 'free' : 'other';
  if (live?.status !== 200 || live.body?.status !== 'ok') return 'other';
  // Any route but the probes answers problem+json without a token: 401, or 503 while it starts.
  const me = await get(url, '/api/users/me');
  return me?.type?.startsWith('application/problem+json') ? 'taskwell' : 'other';
}

/**
 * Resolves true once GET /health/ready answers 200 (the database answers: a request then gets
 * served, not "The service is starting"); false after `timeoutMs` or once `gone()` says the API exited.
 */
export async function waitUntilReady(url, { timeoutMs, gone = () => false, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  while (!gone()) {
    const ready = await get(url, '/health/ready');
    if (ready !== 'refused' && ready?.status === 200) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}

/** The answer's status, content type and JSON body; 'refused' when nothing listens; undefined on any other failure. */
async function get(url, path) {
  try {
    const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, type: response.headers.get('content-type') ?? '', body };
  } catch (error) {
    return error?.cause?.code === 'ECONNREFUSED' ? 'refused' : undefined;
  }
}

/** Whether the API could bind `port` as it does (every address): refused on 127.0.0.1 is not enough. */
function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
