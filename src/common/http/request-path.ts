/**
 * The path of a request target, without its query. A request may name an
 * absolute URI (`POST http://other.example/api/tasks`, RFC 9112 §3.2.2): the
 * host the client chose must not reach a `Location` or `instance`, so only the
 * path is kept, as the client sent it.
 */
export function requestPathOf(target: string | undefined): string {
  const path = (target ?? '/').split('?')[0];
  if (path.startsWith('/')) return path;
  try {
    return new URL(path).pathname; // absolute-form
  } catch {
    return '/'; // `*` (OPTIONS) or anything else that is no path
  }
}
