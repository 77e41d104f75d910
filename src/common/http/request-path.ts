/**
 * The path of a request target, without its query. A request may name an
 * absolute URI (`POST http://other.example/api/tasks`, RFC 9112 §3.2.2), and a
 * path may start with `//` (read as a host by a browser following a
 * `Location`): neither may put a host the client chose into a `Location` or
 * `instance`, so only the path is kept, as the client sent it.
 */
export function requestPathOf(target: string | undefined): string {
  const path = (target ?? '/').split('?')[0];
  if (path.startsWith('/')) return path.replace(/^\/{2,}/, '/');
  try {
    return new URL(path).pathname; // absolute-form
  } catch {
    return '/'; // `*` (OPTIONS) or anything else that is no path
  }
}
