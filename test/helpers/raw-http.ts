import { connect } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the server closed the connection (rather than the client after a timeout). */
  closedByServer: boolean;
}

/** Starts the app's server on an ephemeral port if it is not listening yet, and returns that port. */
export async function portOf(server: Server): Promise<number> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Sends raw bytes on a fresh connection and reads until the server closes it
 * (or `timeoutMs` passes). Writing and reading overlap, as a real client's do:
 * a server that answers before reading the whole request is seen answering,
 * not as a failed write.
 */
export function rawExchange(
  port: number,
  chunks: (string | Buffer)[],
  timeoutMs = 5000,
): Promise<RawResponse & { bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let bytesSent = 0;
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (data) => received.push(data));
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => undefined); // EPIPE/ECONNRESET once the server has answered and closed
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      try {
        resolve({ ...parseResponse(text), closedByServer, bytesSent });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('connect', () => {
      void (async () => {
        for (const chunk of chunks) {
          if (socket.destroyed || socket.writableEnded) return;
          const flushed = socket.write(chunk);
          bytesSent += Buffer.byteLength(chunk);
          if (!flushed) await new Promise((next) => socket.once('drain', next).once('close', next));
        }
      })();
    });
  });
}

function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP response in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4), closedByServer: false };
}

/** A request as raw bytes: request line, headers (Host and Connection: close added), body. */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const all = { Host: 'localhost', Connection: 'close', ...headers };
  const head = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n${body}`;
}
