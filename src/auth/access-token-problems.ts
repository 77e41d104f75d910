import { HttpException, UnauthorizedException } from '@nestjs/common';
import { InvalidTokenException } from '../common/problems/invalid-token.exception.js';

/** What the 401 says, so a client knows whether to send a token, refresh it, or log in again. */
export const TOKEN_MISSING = 'An access token is required: Authorization: Bearer <accessToken>';
export const TOKEN_NOT_BEARER = 'The Authorization header must be Bearer <accessToken>';
export const TOKEN_MALFORMED = 'The access token is malformed';
export const TOKEN_INVALID = 'The access token is invalid';
export const TOKEN_EXPIRED = 'The access token has expired; refresh it';
export const SESSION_ENDED = 'The session has ended; log in again';

/** jsonwebtoken's and our header check's words for a token that is not a JWT at all. */
const MALFORMED = new Set(['jwt malformed', 'invalid token', 'malformed token header', 'jwt must be a string']);

/**
 * The 401 for a failed passport attempt. `reason` is what the strategies
 * reported (passport-jwt: `No auth token`, or jsonwebtoken's error; several
 * strategies report one each); `authorization` is the header as sent.
 */
export function accessTokenProblem(reason: unknown, authorization: string | undefined): UnauthorizedException {
  if (reason instanceof InvalidTokenException) return reason;
  if (authorization === undefined) return new UnauthorizedException(TOKEN_MISSING);
  const reasons = (Array.isArray(reason) ? reason : [reason]) as unknown[];
  const errors = reasons.filter((item): item is Error => item instanceof Error);
  if (errors.some((error) => error.name === 'TokenExpiredError')) return new InvalidTokenException(TOKEN_EXPIRED);
  if (!/^Bearer\s+\S/i.test(authorization)) return new InvalidTokenException(TOKEN_NOT_BEARER);
  if (errors.length > 0 && errors.every((error) => MALFORMED.has(error.message))) {
    return new InvalidTokenException(TOKEN_MALFORMED);
  }
  // A forged signature, another issuer or audience, a foreign header, claims we never issue.
  if (reason instanceof HttpException && !(reason instanceof UnauthorizedException)) return reason;
  return new InvalidTokenException(TOKEN_INVALID);
}
