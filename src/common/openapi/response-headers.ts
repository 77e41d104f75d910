import type { HeaderObject } from '@nestjs/swagger';

/**
 * The response headers the API documents, as `components.headers`. Operations
 * refer to them by name (`#/components/headers/ETag`), so each is described once.
 */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      'The request’s id: the client’s own `X-Request-Id` when it was sane, otherwise a new UUID. On every response.',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$', example: 'c0a80101-4f3b-4a5e-9d1b-6f3f0e4b2a10' },
  },
  ETag: {
    description: 'The task’s strong entity tag, `"<version>"`; send it back as `If-Match`.',
    required: true,
    schema: { type: 'string', example: '"3"' },
  },
  Location: {
    description: 'The URL of the created resource.',
    required: true,
    schema: { type: 'string', format: 'uri-reference', example: '/api/tasks/0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 0, example: 30 },
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme: `Bearer`, with `error="invalid_token"` when a token was presented.',
    required: true,
    schema: { type: 'string', example: 'Bearer error="invalid_token"' },
  },
} as const satisfies Record<string, HeaderObject>;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

export const headerRef = (name: ResponseHeaderName) => ({ $ref: `#/components/headers/${name}` });
