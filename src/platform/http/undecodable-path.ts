import type { NextFunction, Request, Response } from 'express';

/**
 * Express decodes path values while it matches routes, and a segment with
 * broken percent-encoding (`/api/tasks/%ZZ`) fails there: before any guard,
 * so it was a `400` even without a token. Here such a segment has its `%`
 * signs escaped (`%25ZZ`) so it matches as the literal text the client sent;
 * the route's own checks then answer in the contract's order: `401` first,
 * then `400` for a path value that is not a valid id. `originalUrl` (a
 * problem's `instance`) keeps what was sent.
 */
export function escapeUndecodablePaths(request: Request, _response: Response, next: NextFunction): void {
  const url = request.url;
  if (!url.includes('%')) return next();
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  if (!decodes(path)) {
    const escaped = path
      .split('/')
      .map((segment) => (decodes(segment) ? segment : segment.replaceAll('%', '%25')))
      .join('/');
    request.url = escaped + (end === -1 ? '' : url.slice(end));
  }
  next();
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
