/**
 * A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` (the
 * default escape character) standing for themselves (docs/API.md, parameter `q`).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
