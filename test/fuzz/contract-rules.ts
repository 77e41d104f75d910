import type { IncomingHttpHeaders } from 'node:http';
import { INSUFFICIENT_ROLE, MALFORMED_REQUEST, PROBLEM_TYPES } from '../../src/common/problems/problem-types.js';

/** A broken rule of the contract; `rule` names it (the failure class), the message carries the evidence. */
export class ContractViolation extends Error {
  constructor(
    readonly rule: string,
    detail: string,
  ) {
    super(`${rule}: ${detail}`);
  }
}

export function violated(rule: string, detail: string): never {
  throw new ContractViolation(rule, detail);
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export interface Sent {
  method: string;
  /** The path as sent, without the query: a problem's `instance`. Undefined where the request line was not parsed. */
  path?: string;
  /** The `X-Request-Id` the request carried, if any. */
  requestId?: string;
}

type Headers = IncomingHttpHeaders | Record<string, string | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/**
 * The rules every answer keeps, whatever was sent (docs/API.md, "Errors", "Operations"): never
 * a 5xx; the security headers; a request id; and every error a problem+json of the type its status
 * maps to.
 */
export function checkContractWide(status: number, headers: Headers, text: string, sent: Sent): void {
  const evidence = () => `${status} ${header(headers, 'content-type') ?? '(no content-type)'} ${text.slice(0, 300)}`;
  if (status >= 500) violated('5xx answer', evidence());
  if (status < 100) violated('no HTTP answer', evidence());

  const requestId = header(headers, 'x-request-id');
  if (!requestId || !SANE_REQUEST_ID.test(requestId)) violated('missing X-Request-Id', evidence());
  if (sent.requestId !== undefined && SANE_REQUEST_ID.test(sent.requestId) && requestId !== sent.requestId)
    violated('X-Request-Id not echoed', `sent ${sent.requestId}, got ${requestId}`);
  if (header(headers, 'x-content-type-options') !== 'nosniff') violated('missing nosniff', evidence());
  if (header(headers, 'x-frame-options') !== 'DENY') violated('missing X-Frame-Options', evidence());
  if (!/frame-ancestors 'none'/.test(header(headers, 'content-security-policy') ?? ''))
    violated('missing CSP frame-ancestors', evidence());
  if (header(headers, 'referrer-policy') !== 'no-referrer') violated('missing Referrer-Policy', evidence());
  if (header(headers, 'x-powered-by') !== undefined) violated('X-Powered-By sent', evidence());

  if (status === 401 && !/^Bearer\b/.test(header(headers, 'www-authenticate') ?? ''))
    violated('401 without WWW-Authenticate: Bearer', evidence());
  if (status === 405) {
    const allow = header(headers, 'allow') ?? '';
    if (!allow) violated('405 without Allow', evidence());
    if (allow.split(/,\s*/).includes(sent.method)) violated('405 for an allowed method', `${sent.method} in ${allow}`);
  }
  if (status === 429 && !header(headers, 'retry-after')) violated('429 without Retry-After', evidence());
  if (status >= 400 && sent.method !== 'HEAD') checkProblem(status, headers, text, sent, requestId, evidence);
}

function checkProblem(
  status: number,
  headers: Headers,
  text: string,
  sent: Sent,
  requestId: string,
  evidence: () => string,
): void {
  if (!/^application\/problem\+json\b/.test(header(headers, 'content-type') ?? ''))
    violated(`${status} not problem+json`, evidence());
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return violated(`${status} body not JSON`, evidence());
  }
  const types = [
    PROBLEM_TYPES[status],
    ...(status === 400 ? [MALFORMED_REQUEST] : []),
    ...(status === 403 ? [INSUFFICIENT_ROLE] : []),
  ].filter(Boolean);
  const type = types.find(
    (candidate) => typeof problem.type === 'string' && problem.type.endsWith(`/${candidate.slug}`),
  );
  if (!type) violated(`problem type does not match ${status}`, evidence());
  if (problem.title !== type.title) violated('problem title differs from its type', evidence());
  if (problem.status !== status) violated('problem status differs from the HTTP status', evidence());
  if (typeof problem.detail !== 'string' || problem.detail === '') violated('problem without detail', evidence());
  if (problem.requestId !== requestId) violated('problem requestId differs from X-Request-Id', evidence());
  // A head over the limit is refused before its request line is read: its path is not known.
  if (sent.path !== undefined && status !== 431 && problem.instance !== sent.path)
    violated('problem instance is not the request path', `${sent.path} vs ${evidence()}`);
  const errors = problem.errors;
  if (type.slug === 'validation-error') {
    const listed =
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every(
        (error: unknown) =>
          typeof (error as { field?: unknown }).field === 'string' &&
          typeof (error as { message?: unknown }).message === 'string',
      );
    if (!listed) violated('validation-error without errors[]', evidence());
  } else if (errors !== undefined) violated('errors[] outside a validation-error', evidence());
}

/** The field names a validation problem lists (empty for any other answer). */
export function erroredFields(text: string): string[] {
  try {
    const { errors } = JSON.parse(text) as { errors?: { field: string }[] };
    return Array.isArray(errors) ? errors.map((error) => error.field) : [];
  } catch {
    return [];
  }
}

export function problemSlug(text: string): string | undefined {
  try {
    const { type } = JSON.parse(text) as { type?: unknown };
    return typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : undefined;
  } catch {
    return undefined;
  }
}
