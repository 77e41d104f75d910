import { ValidationProblemException } from '../problems/validation-problem.exception.js';
/** Strong entity tags derived from a version number (docs/API.md: `"<version>"`). */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** What an `If-Match` header asks for: any current representation, or one of some versions. */
export type IfMatch = { any: true } | { any: false; versions: number[] };

/** The form a client should send, shown when it sent something else. */
export const IF_MATCH_FORM = '* or one or more quoted ETags, as in If-Match: "3"';

/**
 * One list element (RFC 9110 §5.6.1: empty elements are allowed) and the comma or end after it.
 * entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (§8.8.3).
 */
const ELEMENT = /[ \t]*((W\/)?"([\x21\x23-\x7E\x80-\xFF]*)")?[ \t]*(,|$)/y;

/** Our tags: a version with no leading zero (strong comparison is character by character). */
const VERSION = /^(?:0|[1-9]\d{0,8})$/;

/**
 * Parses `If-Match` (RFC 9110 §13.1.1: `*` or 1#entity-tag). Absent → undefined;
 * not of that form (`2`, `"2`, an empty value) → null, which the caller answers
 * with a 400. Weak tags never match (strong comparison), nor do tags that are
 * not our `"<version>"`.
 */
export function parseIfMatch(header: string | string[] | undefined): IfMatch | null | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value.trim() === '*') return { any: true };
  const versions: number[] = [];
  let tags = 0;
  ELEMENT.lastIndex = 0;
  for (;;) {
    const start = ELEMENT.lastIndex;
    const element = ELEMENT.exec(value);
    if (element === null) return null;
    const [, tag, weak, opaque, separator] = element;
    if (tag !== undefined) {
      tags++;
      if (weak === undefined && VERSION.test(opaque)) versions.push(Number(opaque));
    }
    if (separator === '' || ELEMENT.lastIndex === start) break;
  }
  return tags > 0 ? { any: false, versions } : null;
}

export function ifMatchAllows(condition: IfMatch | undefined, version: number): boolean {
  return !condition || condition.any || condition.versions.includes(version);
}

/** The parsed `If-Match`; a value that is not `*` or a list of entity tags is a 400 (RFC 9110 §13.1.1). */
export function ifMatchCondition(ifMatch: string | string[] | undefined): IfMatch | undefined {
  const condition = parseIfMatch(ifMatch);
  if (condition === null) throw ValidationProblemException.of('If-Match', `must be ${IF_MATCH_FORM}`);
  return condition;
}
