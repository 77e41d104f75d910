import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import express, { type Request, type Response } from 'express';
import { MalformedRequestException } from '../../common/problems/malformed-request.exception.js';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { screenBody } from './body-screen.js';
import { nestsDeeperThan } from './json-depth.js';
import { holdsMoreItemsThan } from './json-items.js';

/**
 * How deeply a body may nest objects and arrays. The deepest body of this API
 * is three levels (a task's tags); a few dozen leaves room for clients that
 * wrap, and stays far below where any recursive walk would be at risk.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * How many object members and array elements a body may hold in all. The
 * largest body of this API is a task: a dozen fields and at most 20 tags
 * (duplicates included, before they are removed); a thousand is generous,
 * and caps the work any later step does per member.
 */
export const MAX_BODY_ITEMS = 1000;

const JSON_TYPES = ['application/json', 'application/*+json'];
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const TOO_DEEP = 'entity.too.deep';
const TOO_MANY = 'entity.too.many.items';
const NOT_UTF8 = 'entity.not.utf8';

/** Whether a request carries a body at all (RFC 9112 §6.3), judged from its headers alone. */
export function carriesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads a JSON body into `request.body`, or rejects with the contract's
 * problem: `415` when it is not UTF-8 JSON, `413` over `limit`, `400`
 * `malformed-request` when it does not parse, and a `400` validation problem
 * when it is not an object, nests deeper than MAX_BODY_DEPTH (checked on the
 * raw bytes, before parsing), or holds a prototype key, a NUL character or a
 * lone surrogate. Bytes that are not UTF-8, or not in their declared
 * Content-Encoding, are a `400` `malformed-request`.
 * Called only once the caller is authenticated (or the route is public), so
 * an anonymous client never gets its body read.
 */
export function jsonBodyReader(limit: string): (request: Request, response: Response) => Promise<void> {
  const maxBytes = byteSize(limit);
  const parse = express.json({
    limit: maxBytes,
    type: JSON_TYPES,
    verify: (_request: IncomingMessage, _response: ServerResponse, raw: Buffer) => {
      // Decoding would replace invalid bytes with U+FFFD: the client's data would be changed, silently.
      if (!isUtf8(raw)) throw Object.assign(new Error('not UTF-8'), { type: NOT_UTF8 });
      if (nestsDeeperThan(raw, MAX_BODY_DEPTH)) throw Object.assign(new Error('too deep'), { type: TOO_DEEP });
      if (holdsMoreItemsThan(raw, MAX_BODY_ITEMS)) throw Object.assign(new Error('too many'), { type: TOO_MANY });
    },
  });
  return async (request, response) => {
    if (!request.is(JSON_TYPES)) throw new UnsupportedMediaTypeException('The request body must be application/json');
    const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new UnsupportedMediaTypeException('The request body must be UTF-8 encoded');
    }
    // Node answers `Expect: 100-continue` itself only when nobody listens for it (see app.setup):
    // the client is invited to send its body here, once the request has passed authentication.
    if (/100-continue/i.test(request.headers.expect ?? '') && !response.headersSent) response.writeContinue();
    // Over the limit, body-parser reads the rest of the body before it reports: the answer is given
    // here at once instead (the problem filter then closes the connection rather than drain it).
    if (Number(request.headers['content-length']) > maxBytes) throw tooLarge(maxBytes);
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      const watch = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > maxBytes) reject(tooLarge(maxBytes));
      };
      request.on('data', watch);
      parse(request, response, (error?: unknown) => {
        request.off('data', watch);
        if (error) reject(translate(error, maxBytes));
        else resolve();
      });
    });
    // Every body of this API is a JSON object; an array or a bare value is a client error.
    const body: unknown = request.body;
    if (body === undefined) return;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw ValidationProblemException.of('body', 'must be a JSON object');
    }
    const problem = screenBody(body);
    if (problem) throw new ValidationProblemException([problem]);
  };
}

function translate(error: unknown, maxBytes: number): Error {
  const { type, code } = error as { type?: string; code?: unknown };
  // zlib's own errors (`Z_DATA_ERROR`, brotli's `ERR__ERROR_FORMAT_…`): the body is not in the
  // Content-Encoding it claims. Their message names zlib internals, so it stays in here.
  if (typeof code === 'string' && /^(Z_|ERR__)/.test(code)) {
    return new MalformedRequestException('The request body is not in the encoding its Content-Encoding names');
  }
  switch (type) {
    case NOT_UTF8:
      return new MalformedRequestException('The request body is not valid UTF-8');
    case TOO_DEEP:
      return ValidationProblemException.of(
        'body',
        `must not nest objects or arrays deeper than ${MAX_BODY_DEPTH} levels`,
      );
    case TOO_MANY:
      return ValidationProblemException.of('body', `must not hold more than ${MAX_BODY_ITEMS} members and elements`);
    case 'entity.parse.failed':
      return new MalformedRequestException('The request body is not valid JSON');
    case 'entity.too.large':
      return tooLarge(maxBytes);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException('The request body encoding is not supported');
    default:
      // body-parser's other errors (aborted, truncated, unreadable) are about the client's bytes too.
      return typeof type === 'string'
        ? new MalformedRequestException('The request body could not be read')
        : (error as Error);
  }
}

/** Says the limit, so a client can tell a body it can trim from one it must split. */
function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `The request body is over the limit of ${maxBytes} bytes (${readableSize(maxBytes)})`,
  );
}

/** `102400` → `100 KiB`: the largest 1024-based unit that keeps at least 1, to one decimal where needed. */
export function readableSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `100kb`, `1mb`, `512` (bytes): the BODY_LIMIT notation (1024-based, as body-parser reads it). */
export function byteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) throw new Error(`Not a size: ${JSON.stringify(text)} (write e.g. 100kb or 1mb)`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}
