import { InternalServerErrorException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { MalformedRequestException } from '../problems/malformed-request.exception.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON body parsing whose failures become the contract's problems. (Nest's
 * own parser reports them as plain 400s, losing the difference between a
 * malformed body, one too large and an unsupported encoding.) A request that
 * carries a body must say it is JSON: `415` otherwise.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, type: JSON_TYPES });
  return (request: Request, response: Response, next: NextFunction) => {
    const hasBody =
      request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (hasBody && !request.is(JSON_TYPES)) {
      return next(new UnsupportedMediaTypeException('The request body must be application/json'));
    }
    parse(request, response, (error?: unknown) => {
      if (error) return next(translate(error));
      // Every body of this API is a JSON object; an array or a bare value is a client error.
      const body: unknown = request.body;
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        return next(ValidationProblemException.of('body', 'must be a JSON object'));
      }
      const nulAt = body === undefined ? undefined : findNul(body, '');
      if (nulAt !== undefined)
        return next(ValidationProblemException.of(nulAt || 'body', 'must not contain NUL characters'));
      next();
    });
  };
}

function translate(error: unknown): Error {
  const { type } = error as { type?: string };
  switch (type) {
    case 'entity.parse.failed':
      return new MalformedRequestException('The request body is not valid JSON');
    case 'entity.too.large':
      return new PayloadTooLargeException('The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException('The request body encoding is not supported');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new MalformedRequestException('The request body could not be read');
    default:
      return error instanceof Error ? error : new InternalServerErrorException();
  }
}

/**
 * The path of the first string (or key) holding a NUL character: PostgreSQL
 * text cannot store one, so it is the client's mistake, answered as such
 * here for every route rather than as a database error.
 */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return itemPath;
    const found = findNul(item, itemPath);
    if (found !== undefined) return found;
  }
  return undefined;
}
