import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** How a request ended when no answer came back. */
export class NoAnswer extends Error {
  constructor(
    readonly reason: 'timeout' | 'reset',
    detail: string,
  ) {
    super(`no answer (${reason}): ${detail}`);
  }
}

const TIMEOUT_MS = 10_000;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One request through Node's HTTP client: any method, path bytes already percent-encoded, any body bytes. */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  const url = new URL(baseUrl);
  // Node's client frames a DELETE or OPTIONS body by nothing at all unless told its length.
  if (body && !Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name)))
    headers = { ...headers, 'Content-Length': String(body.length) };
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, agent, timeout: TIMEOUT_MS },
      (incoming) => {
        answered = true;
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', (error) => reject(new NoAnswer('reset', error.message)));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new NoAnswer('timeout', `${method} ${path}`)));
    outgoing.on('error', (error) => {
      if (!answered) reject(error instanceof NoAnswer ? error : new NoAnswer('reset', error.message));
    });
    outgoing.end(body);
  });
}

export interface RawAnswer {
  /** The status line and headers as received, or undefined when the connection closed without an answer. */
  head?: { status: number; headers: Record<string, string> };
  body: string;
}

/**
 * Writes bytes straight to a socket (what Node's client refuses to send: broken request lines,
 * control characters in headers, bare LFs) and reads the first answer. The server must answer a
 * complete message: a timeout is a failure, not a closed connection (some errors close at once).
 */
export function sendRaw(baseUrl: string, bytes: Buffer): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRaw(Buffer.concat(chunks)));
    };
    const timer = setTimeout(() => {
      done = true;
      socket.destroy();
      reject(new NoAnswer('timeout', 'raw request'));
    }, TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined); // a reset after the answer; `close` follows
    socket.write(bytes);
  });
}

/** Interim answers (`100 Continue`) come before the real one: skip them. */
function final(data: Buffer): Buffer {
  let rest = data;
  while (/^HTTP\/1\.[01] 1\d\d /.test(rest.subarray(0, 16).toString('latin1'))) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return Buffer.alloc(0);
    rest = rest.subarray(end + 4);
  }
  return rest;
}

/** True once the first answer's head and its Content-Length of body have arrived. */
function complete(received: Buffer): boolean {
  const data = final(received);
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, end).toString('latin1'))?.[1];
  return data.length >= end + 4 + Number(length ?? 0);
}

function parseRaw(received: Buffer): RawAnswer {
  const data = final(received);
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return { body: data.toString('latin1') };
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { head: { status, headers }, body: data.subarray(end + 4).toString('utf8') };
}
