import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsException } from '../common/problems/too-many-requests.exception.js';

const WINDOW_MS = 60_000;

/**
 * Shared options: a one-minute window (in process memory unless a shared store is given), `Retry-After` and
 * the IETF `RateLimit` headers, and the 429 written by the problem-details
 * filter. express-rate-limit rather than @nestjs/throttler, which cannot be
 * loaded under Jest (it is CommonJS and require()s the ESM-only @nestjs/common).
 */
const common = {
  windowMs: WINDOW_MS,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  handler: (_request: Request, _response: Response, next: NextFunction) => next(new TooManyRequestsException()),
  // X-Forwarded-For is ignored on purpose unless TRUST_PROXY says otherwise; a spoofing client is no misconfiguration to warn about.
  validate: { xForwardedForHeader: false },
} as const;

/**
 * Requests per client IP on one route. The IP is Express's `request.ip`:
 * the socket's address unless TRUST_PROXY is set, so a client cannot pick
 * its own bucket with X-Forwarded-For. IPv6 clients share a bucket per /56.
 */
export function perIpLimit(limit: number, store?: Store): RequestHandler {
  return rateLimit({ ...common, limit, identifier: 'auth-ip', ...(store && { store }) });
}

/**
 * Failed logins per account, whoever sends them (credential stuffing spreads
 * over many IPs). Keyed on the email as given, trimmed and lower-cased, so
 * unknown and known emails are limited alike and the limit reveals nothing.
 * Successful logins do not count.
 */
export function loginFailuresPerAccount(limit: number, store?: Store): RequestHandler {
  return rateLimit({
    ...common,
    ...(store && { store }),
    limit,
    identifier: 'login-failures',
    skipSuccessfulRequests: true,
    skip: (request) => accountKey(request) === undefined,
    keyGenerator: (request) => `account:${accountKey(request)}`,
  });
}

/**
 * Failed password changes per account: a stolen access token must not let
 * anyone guess the current password at leisure. Keyed on the authenticated
 * caller, so it runs after the auth guard (`AccountLimitInterceptor`).
 * Successful changes do not count; the same limit as failed logins.
 */
export function passwordChangeFailuresPerAccount(limit: number, store?: Store): RequestHandler {
  return rateLimit({
    ...common,
    ...(store && { store }),
    limit,
    identifier: 'password-change-failures',
    skipSuccessfulRequests: true,
    keyGenerator: (request) => `user:${(request.user as { id: string }).id}`,
  });
}

function accountKey(request: Request): string | undefined {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
}
