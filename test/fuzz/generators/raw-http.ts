import fc from 'fast-check';
import { checkContractWide, violated } from '../contract-rules.js';
import type { FuzzClass } from '../fuzz-class.js';
import { sendRaw } from '../http-client.js';
import type { FuzzTarget } from '../target.js';

/** A request written byte by byte, so that it can break HTTP/1.1 itself. */
export interface RawRequest {
  method: string;
  target: string;
  version: string;
  lineEnd: string;
  headers: string[];
  body: string;
}

// Not PRI: half an HTTP/2 preface rightly waits for the rest of it.
const METHODS = ['GET', 'POST', 'get', 'G ET', 'FOO', '', 'CONNECT', 'GET\u0000', 'DELETE', 'OPTIONS'];
const TARGETS = [
  '/health/live',
  '/api/tasks',
  '*',
  'http://evil.example/api/tasks',
  '/api/tasks?q=a b',
  '/api/\u0001',
  '/api/t\u00e9sk',
  'api/tasks',
  '',
  '/%',
  `/${'a'.repeat(20_000)}`,
  '/api/tasks#x',
  '//',
];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', 'http/1.1', 'HTTP/1', ''];
const HEADERS = [
  'Host: x',
  'Host: x',
  'Bad Header',
  ' folded: line',
  'X: a\r\n continued',
  'X:\u0000',
  'X: \u007f',
  'X Y: z',
  ': empty-name',
  'Content-Length: abc',
  'Content-Length: -1',
  'Content-Length: 1, 2',
  'Transfer-Encoding: gzip',
  'Transfer-Encoding: chunked, identity',
  'Host: a\r\nHost: b',
  `X-Big: ${'b'.repeat(20_000)}`,
  'Authorization: Bearer \u00ff',
  'Authorization: Bearer',
  'Content-Type: application/json',
  'X-Request-Id: ../../etc',
  'Expect: 100-continue',
  'Connection: close',
  'Upgrade: websocket',
];

const request: fc.Arbitrary<RawRequest> = fc
  .record({
    method: fc.constantFrom(...METHODS),
    target: fc.oneof(
      fc.constantFrom(...TARGETS),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => `/${text}`),
    ),
    version: fc.constantFrom(...VERSIONS),
    lineEnd: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
    headers: fc.array(fc.oneof(fc.constantFrom(...HEADERS), fc.string({ unit: 'binary-ascii', maxLength: 40 })), {
      maxLength: 4,
    }),
    body: fc.constantFrom('', '{"title":"x"}'),
  })
  // Nothing but empty lines is no request yet: a server skips them and waits (RFC 9112 §2.2).
  .filter((raw) => `${raw.method}${raw.target}${raw.version}${raw.headers.join('')}${raw.body}`.trim() !== '');

/** The bytes: a message framed so the server never waits for more (no declared length it would wait for). */
export function bytesOf(raw: RawRequest): Buffer {
  const headers = raw.headers.filter(
    (line) => !/^content-length:\s*\d+\s*$/i.test(line) && !/^transfer-encoding:\s*chunked\s*$/i.test(line),
  );
  const framing = raw.body ? [`Content-Length: ${Buffer.byteLength(raw.body)}`] : [];
  const head = [`${raw.method} ${raw.target} ${raw.version}`.trimEnd(), ...headers, ...framing].join(raw.lineEnd);
  return Buffer.from(`${head}${raw.lineEnd}${raw.lineEnd}${raw.body}`, 'latin1');
}

/**
 * Broken request lines and headers over a raw socket: what Node's parser refuses must still get
 * the contract's answer (a problem+json 400 or 431 with a request id and the security headers);
 * what it accepts goes on to the application. A message that ends must always get an answer.
 */
async function run(raw: RawRequest, target: FuzzTarget): Promise<void> {
  let answer;
  try {
    answer = await sendRaw(target.baseUrl, bytesOf(raw));
  } catch (error) {
    if (await target.hasDied(200)) violated('process died', JSON.stringify(raw));
    violated(
      'no answer (timeout)',
      `${String(error)} ${JSON.stringify(bytesOf(raw).toString('latin1').slice(0, 300))}`,
    );
  }
  if (await target.hasDied(answer.head ? 0 : 200)) violated('process died', JSON.stringify(raw));
  const sent = JSON.stringify(bytesOf(raw).toString('latin1').slice(0, 300));
  if (!answer.head) {
    // A bare CR ends no line: the server still waits for the head, and a client that hangs up gets nothing.
    if (raw.lineEnd === '\r') return;
    violated('connection closed without an answer', sent);
  }
  try {
    checkContractWide(answer.head.status, answer.head.headers, answer.body, { method: raw.method.toUpperCase() });
  } catch (error) {
    if (error instanceof Error) error.message += `\nsent: ${sent}`;
    throw error;
  }
}

export const rawHttp: FuzzClass<RawRequest> = { name: 'raw-http', arbitrary: request, run };
