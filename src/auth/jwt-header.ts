/** The only header members our access tokens carry. */
const ALLOWED_MEMBERS = new Set(['alg', 'typ']);

/**
 * Checks a compact JWT's header before any key is chosen or signature
 * checked (RFC 8725 §2.1, §3.1, §3.11): exactly our algorithm and `typ`, and
 * nothing else, so `jku`, `jwk`, `x5u`, `x5c`, `kid`, `crit` and friends are
 * refused outright rather than ignored. Returns why it is refused, or null.
 */
export function headerProblem(rawToken: string, algorithm: string, tokenType: string): string | null {
  const encoded = rawToken.split('.')[0];
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return 'malformed token header';
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return 'malformed token header';
  const members = header as Record<string, unknown>;
  if (Object.keys(members).some((name) => !ALLOWED_MEMBERS.has(name))) return 'unexpected token header member';
  if (members.alg !== algorithm) return 'unexpected token algorithm';
  if (members.typ !== tokenType) return 'not an access token';
  return null;
}
