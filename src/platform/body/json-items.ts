const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const COMMA = 0x2c; // ,
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** JSON's insignificant whitespace (RFC 8259 §2). */
function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Whether raw JSON text (UTF-8 bytes) holds more than `limit` object members
 * and array elements in all, counted before `JSON.parse`: every later step
 * (parse, screen, transformation, validation, the error list) costs work per
 * member, so a body of a hundred kilobytes of tiny keys is refused for the
 * price of one pass over its bytes. A container counts its first item when
 * something other than its closing bracket follows the opening one, and one
 * more per comma. Unbalanced or invalid text is left for `JSON.parse`.
 */
export function holdsMoreItemsThan(text: Uint8Array, limit: number): boolean {
  let items = 0;
  let inString = false;
  let opened = false; // just after `{` or `[`: the next significant byte tells whether it holds anything
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (isSpace(byte)) continue;
    if (opened) {
      opened = false;
      if (byte !== CLOSE_OBJECT && byte !== CLOSE_ARRAY && ++items > limit) return true;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) opened = true;
    else if (byte === COMMA && ++items > limit) return true;
  }
  return false;
}
