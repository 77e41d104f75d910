/**
 * Keys that name an object's prototype machinery. `JSON.parse` keeps
 * `"__proto__"` as an own property, and a later merge or copy of the body
 * could turn it into a prototype change; no DTO of ours has such a field, so
 * they are unknown fields like any other, wherever they appear.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
