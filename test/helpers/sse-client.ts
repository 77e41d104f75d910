import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface ServerSentEvent {
  event?: string;
  id?: string;
  data: string;
}

/** An open `text/event-stream` response, parsed as it arrives (WHATWG HTML §9.2). */
export interface SseConnection {
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw body so far. */
  text: () => string;
  events: ServerSentEvent[];
  comments: string[];
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close: () => void;
  /** Waits for the `n`-th event (1-based), or fails after `timeoutMs`. */
  nextEvent: (n: number, timeoutMs?: number) => Promise<ServerSentEvent>;
}

/** Opens `url` and resolves once the response head arrives (with the body as JSON for a non-stream answer). */
export function openStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseConnection & { json?: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      let raw = '';
      let pending = '';
      const events: ServerSentEvent[] = [];
      const comments: string[] = [];
      let endResolve!: () => void;
      const ended = new Promise<void>((done) => (endResolve = done));
      res.setEncoding('utf8');
      const connection: SseConnection & { json?: Record<string, any> } = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => raw,
        events,
        comments,
        ended,
        close: () => req.destroy(),
        nextEvent: async (n, timeoutMs = 5000) => {
          const deadline = Date.now() + timeoutMs;
          while (events.length < n) {
            if (Date.now() > deadline) throw new Error(`No event ${n} within ${timeoutMs} ms; got: ${raw}`);
            await new Promise((wake) => setTimeout(wake, 10));
          }
          return events[n - 1];
        },
      };
      res.on('data', (chunk: string) => {
        raw += chunk;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const event: ServerSentEvent = { data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) [event.event, isEvent] = [line.slice(7), true];
            else if (line.startsWith('id: ')) [event.id, isEvent] = [line.slice(4), true];
            else if (line.startsWith('data: ')) [event.data, isEvent] = [event.data + line.slice(6), true];
          }
          if (isEvent) events.push(event);
        }
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      if (!String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.on('end', () => {
          try {
            connection.json = JSON.parse(raw) as Record<string, any>;
          } catch {
            // not JSON: the test reads text()
          }
          resolve(connection);
        });
        return;
      }
      // The first comment is flushed with the head: wait for it, so `text()` holds it.
      res.once('data', () => resolve(connection));
    });
    req.on('error', reject);
    req.end();
  });
}
