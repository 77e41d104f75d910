import type { FieldError } from '../../problems/field-error.js';

/**
 * Keys that name an object's prototype machinery. `JSON.parse` keeps
 * `"__proto__"` as an own property, and a later merge or copy of the body
 * could turn it into a prototype change; no DTO of ours has such a field, so
 * they are unknown fields like any other, wherever they appear.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first thing in a parsed body no route accepts: a prototype key, or a
 * NUL character in a key or string (PostgreSQL text cannot store one, so it
 * is the client's mistake, answered here for every route rather than as a
 * database error). Iterative, with an explicit stack: the body's depth was
 * bounded before parsing, but a walk must not depend on that to be safe.
 */
export function screenBody(body: unknown): FieldError | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path || 'body', message: 'must not contain NUL characters' };
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
    }
  }
  return undefined;
}
