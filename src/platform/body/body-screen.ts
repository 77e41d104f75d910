import type { FieldError } from '../../common/problems/field-error.js';
import { PROTOTYPE_KEYS } from '../../common/validation/prototype-keys.js';

/**
 * The first thing in a parsed body no route accepts: a prototype key, or a
 * NUL character in a key or string (PostgreSQL text cannot store one, so it
 * is the client's mistake, answered here for every route rather than as a
 * database error), or a lone surrogate (a `\udbff` escape: UTF-8 cannot
 * encode it, so it would be stored as U+FFFD, the client's text changed). Iterative, with an explicit stack: the body's depth was
 * bounded before parsing, but a walk must not depend on that to be safe.
 */
export function screenBody(body: unknown): FieldError | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path || 'body', message: 'must not contain NUL characters' };
      if (!isWellFormed(value)) return { field: path || 'body', message: 'must be well-formed Unicode' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    // Reverse order, so the first offending member (in document order) is found first.
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      stack.push({ value: item, path: path ? `${path}.${key}` : key });
    }
    for (const [key] of entries) {
      const keyPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { field: keyPath, message: 'is not an accepted field' };
      if (key.includes('\u0000')) return { field: keyPath, message: 'must not contain NUL characters' };
      if (!isWellFormed(key)) return { field: keyPath, message: 'must be well-formed Unicode' };
    }
  }
  return undefined;
}

/** `String.prototype.isWellFormed` (Node 20; not yet in the ES2023 library typings). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
