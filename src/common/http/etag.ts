/** Strong entity tags derived from a version number (docs/API.md: `"<version>"`). */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** What an `If-Match` header asks for: any current representation, or one of some versions. */
export type IfMatch = { any: true } | { any: false; versions: number[] };

/**
 * Parses `If-Match` (RFC 9110 §13.1.1). Absent → undefined. Weak tags never
 * match (strong comparison), nor do tags that are not our `"<version>"`.
 */
export function parseIfMatch(header: string | string[] | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return { any: true };
  const versions = value
    .split(',')
    .map((tag) => /^\s*"(\d{1,9})"\s*$/.exec(tag)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number);
  return { any: false, versions };
}

export function ifMatchAllows(condition: IfMatch | undefined, version: number): boolean {
  return !condition || condition.any || condition.versions.includes(version);
}
