/** The contract's problem types (docs/API.md, "Errors"), by HTTP status. */
export const PROBLEM_TYPES: Readonly<Record<number, { slug: string; title: string }>> = {
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
  422: { slug: 'idempotency-key-reused', title: 'Idempotency-Key already used' },
  429: { slug: 'rate-limited', title: 'Too many requests' },
  431: { slug: 'request-header-fields-too-large', title: 'Request header fields too large' },
  500: { slug: 'internal-error', title: 'Internal server error' },
  503: { slug: 'service-unavailable', title: 'Service unavailable' },
};

export const MALFORMED_REQUEST = { slug: 'malformed-request', title: 'Malformed request' } as const;

export const INSUFFICIENT_ROLE = { slug: 'insufficient-role', title: 'Insufficient role' } as const;
export const LIMIT_REACHED = { slug: 'limit-reached', title: 'Limit reached' } as const;
