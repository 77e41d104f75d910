import type { TrustedIssuer } from '../../config/trusted-issuers.js';

/** A compact JWT longer than this is refused before it is decoded. */
const MAX_TOKEN_LENGTH = 8192;
/** An encoded header longer than this is refused (real ones are under 200 characters). */
const MAX_HEADER_LENGTH = 1024;
const MAX_KID_LENGTH = 256;
const MAX_SUBJECT_LENGTH = 255;

/**
 * Header members that would point at a key of the sender's choosing
 * (RFC 8725 §3.10: never follow `jku`/`x5u`, never trust an embedded `jwk`
 * or `x5c`), or ask for processing we do not do (`crit`, `b64`, `zip`).
 */
const REFUSED_HEADER_MEMBERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit', 'b64', 'zip', 'enc'];

/** `typ` values of access tokens: plain JWT (Auth0, Keycloak, Clerk) or RFC 9068's at+jwt; none (Better Auth). */
const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt', 'application/at+jwt']);

type Claims = Record<string, unknown>;

export interface UnverifiedToken {
  header: Claims;
  payload: Claims;
}

/** Decodes a compact JWS without verifying it: for routing and screening only. Null when it is not one. */
export function readUnverified(token: string): UnverifiedToken | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0].length > MAX_HEADER_LENGTH) return null;
  const header = decodeObject(parts[0]);
  const payload = decodeObject(parts[1]);
  return header && payload ? { header, payload } : null;
}

/**
 * Everything that can be checked before a key is fetched, so a token that
 * would fail anyway never causes a JWKS request: the header (algorithm
 * pinned per issuer, a `kid` required, no key-bearing members) and the
 * claims (`aud`, `exp` required and not past, `nbf`, `sub`). jose checks
 * the claims again after the signature. Returns why it is refused
 * ('expired' apart, so the client knows to refresh), or null.
 */
export function screenToken(
  token: string,
  issuer: TrustedIssuer,
  leewaySeconds: number,
  nowMs = Date.now(),
): string | null {
  const decoded = readUnverified(token);
  if (!decoded) return 'malformed';
  const { header, payload } = decoded;
  if (typeof header.alg !== 'string' || !(issuer.algorithms as string[]).includes(header.alg)) return 'algorithm';
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > MAX_KID_LENGTH) return 'kid';
  if (REFUSED_HEADER_MEMBERS.some((member) => member in header)) return 'header member';
  if (
    header.typ !== undefined &&
    (typeof header.typ !== 'string' || !ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase()))
  ) {
    return 'type';
  }
  const now = nowMs / 1000;
  if (typeof payload.exp !== 'number') return 'exp';
  if (payload.exp <= now - leewaySeconds) return 'expired';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now + leewaySeconds)) return 'nbf';
  const audience = Array.isArray(payload.aud) ? (payload.aud as unknown[]) : [payload.aud];
  if (!audience.includes(issuer.audience)) return 'aud';
  const { sub } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) return 'sub';
  return null;
}

function decodeObject(segment: string): Claims | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : null;
  } catch {
    return null;
  }
}
