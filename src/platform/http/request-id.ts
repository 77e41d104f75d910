import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

type WithId = IncomingMessage & { id?: string };

/** The request's id: the client's `X-Request-Id` when it is sane, otherwise a new UUID. */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (request as WithId).id = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export function requestIdOf(request: IncomingMessage): string {
  return (request as WithId).id ?? '';
}
