import { UnauthorizedException } from '@nestjs/common';

/**
 * A 401 for an access token that was presented but cannot be used: malformed,
 * forged, expired, or of a session that has ended. The problem filter answers
 * it with RFC 6750's `Bearer error="invalid_token"` and the same
 * `error_description` as the problem's `detail`, so a client can tell
 * "refresh" from "log in again". (A missing token is a plain 401: no error code,
 * RFC 6750 §3.1.)
 */
export class InvalidTokenException extends UnauthorizedException {}
