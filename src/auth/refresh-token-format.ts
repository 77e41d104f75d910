import { randomBytes } from 'node:crypto';

/** `<user id, 16 bytes base64url>.<256 random bits base64url>` */
const FORMAT = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;
/** Tokens issued before they named their user: 256 random bits, base64url. */
const EARLIER_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new refresh token for a user. It names its user, so that finding it is a
 * look-up by `(user_id, token_hash)`: on Citus, a single-shard query (issue
 * 14). The user id is no secret (access tokens carry it too); the random
 * part is the credential, and the whole string is what gets hashed, so
 * changing the prefix only makes a token that matches nothing.
 */
export function newRefreshToken(userId: string): string {
  const id = Buffer.from(userId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${id}.${randomBytes(32).toString('base64url')}`;
}

/**
 * The user a refresh token names, or undefined for a token of another shape
 * (one issued before tokens named their user: found by its hash alone).
 */
export function userIdOf(refreshToken: string): string | undefined {
  const match = FORMAT.exec(refreshToken);
  if (!match) return undefined;
  const hex = Buffer.from(match[1], 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * True for a token of the shape issued before tokens named their user. Only
 * such a token is worth a look-up by its hash alone: any other string that
 * names no user is refused without a query.
 */
export function hasEarlierShape(refreshToken: string): boolean {
  return EARLIER_FORMAT.test(refreshToken);
}
