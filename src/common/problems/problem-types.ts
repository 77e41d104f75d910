/** An RFC 9457 problem type: the last segment of its `type` URI, and its `title`. */
export interface ProblemType {
  readonly slug: string;
  readonly title: string;
}

export const MALFORMED_REQUEST: ProblemType = { slug: 'malformed-request', title: 'Malformed request' };
export const IDEMPOTENCY_KEY_REUSED: ProblemType = {
  slug: 'idempotency-key-reused',
  title: 'Idempotency-Key already used',
};
/** A 409 of its own: a configured quota is reached (not a clash with another resource). */
export const LIMIT_REACHED: ProblemType = { slug: 'limit-reached', title: 'Limit reached' };

/**
 * The type of an error that carries none of its own (a plain Nest
 * `HttpException`, an unexpected error): the generic one of its status. A
 * specific type is carried by its exception class (`ProblemException`), never
 * chosen by status, so a new module's 422 is not mistaken for another's.
 */
export const GENERIC_PROBLEM_TYPES: Readonly<Record<number, ProblemType>> = {
  400: { slug: 'validation-error', title: 'Validation failed' },
  401: { slug: 'unauthorized', title: 'Unauthorized' },
  403: { slug: 'forbidden', title: 'Forbidden' },
  404: { slug: 'not-found', title: 'Not found' },
  405: { slug: 'method-not-allowed', title: 'Method not allowed' },
  408: { slug: 'request-timeout', title: 'Request timeout' },
  409: { slug: 'conflict', title: 'Conflict' },
  412: { slug: 'precondition-failed', title: 'Precondition failed' },
  413: { slug: 'payload-too-large', title: 'Payload too large' },
  415: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  417: { slug: 'expectation-failed', title: 'Expectation failed' },
  422: { slug: 'unprocessable-entity', title: 'Unprocessable content' },
  429: { slug: 'rate-limited', title: 'Too many requests' },
  431: { slug: 'request-header-fields-too-large', title: 'Request header fields too large' },
  500: { slug: 'internal-error', title: 'Internal server error' },
  503: { slug: 'service-unavailable', title: 'Service unavailable' },
};

/** The generic type of a status; a status without one is answered as what it is nearest to, an internal error. */
export function genericProblemType(status: number): ProblemType {
  return GENERIC_PROBLEM_TYPES[status] ?? GENERIC_PROBLEM_TYPES[500];
}

/**
 * The problem types a client of this API receives, by the status they come
 * with (besides `malformed-request`, a 400, and `limit-reached`, a 409): the
 * catalogue the API reference documents. No route answers a plain 422, so its only type is the
 * idempotency key's.
 */
export const PROBLEM_TYPES: Readonly<Record<number, ProblemType>> = {
  ...GENERIC_PROBLEM_TYPES,
  422: IDEMPOTENCY_KEY_REUSED,
};

export const INSUFFICIENT_ROLE: ProblemType = { slug: 'insufficient-role', title: 'Insufficient role' };

/** A change-feed cursor older than the retention: the changes it would need are gone. */
export const CURSOR_EXPIRED: ProblemType = { slug: 'cursor-expired', title: 'Cursor expired' };
