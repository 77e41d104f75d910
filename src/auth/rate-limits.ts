import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsException } from '../common/problems/too-many-requests.exception.js';
import { normalizeEmail } from '../common/validation/email-address.js';

const WINDOW_MS = 60_000;
const HOUR_MS = 3_600_000;

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
  handler: (_request: Request, response: Response, next: NextFunction) =>
    next(new TooManyRequestsException(retryAfterOf(response))),
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
 * Failed logins per account and client: guessing from one place stops after
 * a few tries, while the owner, from anywhere else, still signs in. Keyed on
 * the normalized email (`normalizeEmail`, as stored and looked up, so no
 * spelling of an address gets a fresh bucket) and the client IP (a /56 for
 * IPv6), so unknown and known emails are limited alike and the limit reveals
 * nothing. Successful logins do not count.
 */
export function loginFailuresPerAccountAndClient(limit: number, store?: Store): RequestHandler {
  return rateLimit({
    ...common,
    ...(store && { store }),
    limit,
    identifier: 'login-failures',
    skipSuccessfulRequests: true,
    skip: (request) => accountKey(request) === undefined,
    keyGenerator: (request) => `account:${accountKey(request)}:ip:${ipKeyGenerator(request.ip ?? '', 56)}`,
  });
}

/**
 * Failed logins per account from all clients together, over an hour: the
 * bound on guessing spread over many IPs (credential stuffing). It is the one
 * limit a stranger can turn against the owner, so it is set far above what a
 * person mistyping reaches (20 minutes of one client failing at the
 * per-client limit, by default); whoever reaches it has made that many
 * guesses, and the account's password login waits for the rest of the hour.
 */
export function loginFailuresPerAccount(limitPerHour: number, store?: Store): RequestHandler {
  return rateLimit({
    ...common,
    ...(store && { store }),
    windowMs: HOUR_MS,
    limit: limitPerHour,
    identifier: 'login-failures-per-account',
    skipSuccessfulRequests: true,
    skip: (request) => accountKey(request) === undefined,
    keyGenerator: (request) => `account:${accountKey(request)}`,
  });
}

/**
 * Email changes per account, failed or not: each answer tells whether an
 * address is registered (409 or 200), so a caller with a valid token and
 * password must not check addresses in bulk. Requests without `email` do
 * not count.
 */
export function emailChangesPerAccount(limit: number, store?: Store): RequestHandler {
  return rateLimit({
    ...common,
    ...(store && { store }),
    limit,
    identifier: 'email-changes',
    skip: (request) => (request.body as { email?: unknown } | undefined)?.email === undefined,
    keyGenerator: (request) => `user:${(request.user as { id: string }).id}`,
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

/**
 * The account a login names: its normalized email, hashed so that a key has
 * one size whatever the body holds (an hour-long counter per 100 kB string
 * would let a client fill the store).
 */
function accountKey(request: Request): string | undefined {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? createHash('sha256').update(normalizeEmail(email)).digest('base64url') : undefined;
}

/**
 * The `Retry-After` express-rate-limit has just set (seconds until the window resets), so the
 * problem's detail says the same number. At least 1: a window that ends this very second still
 * refuses a retry made at once. A window's worth when the header is missing.
 */
function retryAfterOf(response: Response): number {
  const header = Number(response.getHeader('Retry-After') ?? WINDOW_MS / 1000);
  const seconds = Number.isInteger(header) ? Math.max(1, header) : WINDOW_MS / 1000;
  if (!response.headersSent) response.setHeader('Retry-After', String(seconds));
  return seconds;
}
