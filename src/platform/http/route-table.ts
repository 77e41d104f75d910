/** What this module reads of an Express 5 application: its router's layers. */
interface ExpressLike {
  router?: { stack?: { route?: { path?: unknown; methods?: Record<string, boolean> } }[] };
}

interface RouteEntry {
  segments: string[];
  methods: Set<string>;
}

/**
 * The application's routes (path patterns and their methods), read once from
 * the Express router after every module has registered its routes, so any
 * module's paths get a `405` with `Allow` for a wrong method (RFC 9110
 * §15.5.6) without code of their own. Only plain patterns (literal and
 * `:param` segments, which is what Nest registers for controllers) are
 * understood; wildcard patterns are skipped, so their paths stay 404s.
 */
export class RouteTable {
  private constructor(private readonly routes: RouteEntry[]) {}

  static fromExpress(app: unknown): RouteTable {
    const byPattern = new Map<string, RouteEntry>();
    for (const layer of (app as ExpressLike).router?.stack ?? []) {
      const { path, methods } = layer.route ?? {};
      if (typeof path !== 'string' || !methods || /[*?(){}]/.test(path)) continue;
      const segments = splitPath(path);
      const key = segments.join('/').toLowerCase();
      const entry = byPattern.get(key) ?? { segments, methods: new Set<string>() };
      for (const [method, on] of Object.entries(methods))
        if (on && method !== '_all') entry.methods.add(method.toUpperCase());
      byPattern.set(key, entry);
    }
    return new RouteTable([...byPattern.values()]);
  }

  /** The methods some route answers at this path (with HEAD wherever GET is), sorted; empty when none matches. */
  allowedMethods(path: string): string[] {
    const segments = splitPath(path);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      if (matches(route.segments, segments)) route.methods.forEach((method) => allowed.add(method));
    }
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Express matches case-insensitively by default, and a `:param` takes one non-empty segment. */
function matches(pattern: string[], segments: string[]): boolean {
  return (
    pattern.length === segments.length &&
    pattern.every((part, i) => part.startsWith(':') || part.toLowerCase() === segments[i].toLowerCase())
  );
}
