const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether raw JSON text (UTF-8 bytes) nests objects and arrays deeper than
 * `limit`. It runs before `JSON.parse`, so no parser, validator or walk ever
 * sees a deeper body: class-transformer and class-validator recurse once per
 * level and overflow the stack at a few thousand. One pass over the bytes,
 * no recursion, stopping at the first level too deep. Brackets inside strings
 * do not count; multi-byte UTF-8 sequences never contain these ASCII bytes.
 * Unbalanced text is left for `JSON.parse` to reject.
 */
export function nestsDeeperThan(text: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}
