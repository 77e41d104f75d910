import { createHash } from 'node:crypto';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** How long a key holds its first response (the draft suggests 24 hours). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * The draft's value is a Structured Field string (RFC 8941): `"…"`. Clients
 * often send a bare UUID instead, so a bare token is accepted too. Printable
 * ASCII only, 1 to 255 characters; backslash escapes, and commas outside the
 * quotes (a repeated header, joined), are refused rather than guessed at.
 */
const QUOTED = /^"([\x20\x21\x23-\x5B\x5D-\x7E]{1,255})"$/;
const BARE = /^([\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]{1,255})$/;

/** The key of an `Idempotency-Key` header; `undefined` when there is none; a 400 when it is malformed. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(', ') : header;
  const match = QUOTED.exec(value) ?? BARE.exec(value);
  if (!match) {
    throw ValidationProblemException.of(
      IDEMPOTENCY_KEY_HEADER,
      'must be a string of 1 to 255 printable ASCII characters, sent once (e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324")',
    );
  }
  return match[1];
}

/**
 * The request's fingerprint: SHA-256 of its JSON body with object keys
 * sorted, so the same body in another key order or spacing is the same request.
 */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
