import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long, and how many more bytes, a connection answered early keeps reading what the client still sends. */
const LINGER_MS = 2000;
const LINGER_BYTES = 1024 * 1024;

const lingering = new WeakSet<Socket>();

/**
 * A lingering close (RFC 9112 §9.6). A request answered before its body was
 * read (a `401`, a `413`) ends with `Connection: close`. Node then closes the
 * connection at once; bytes the client is still sending arrive at a closed
 * socket, the kernel answers them with a reset, and the client's system may
 * discard the answer before the client reads it: it sees a reset, never the
 * `413`. Instead, once the answer is written, only the sending side is closed,
 * and the rest of the request is read and dropped, up to 1 MiB or 2 s, or
 * until the client closes: then the connection goes.
 */
export function closeLingering(request: IncomingMessage): void {
  const socket = request.socket as Socket & { destroySoon?: () => void };
  if (lingering.has(socket)) return;
  lingering.add(socket);
  // The rest of the body is read from now on, and counted once the answer is out. A listener taken
  // now, before the answer finishes, keeps Node from dumping the body then (a dumped body is read
  // without 'data' events): every byte is seen as it arrives. A timer's look at the socket's bytes
  // came too late: a client on loopback sends 64 MiB in 30 ms.
  let dropped: number | undefined;
  let stop = () => {};
  request.on('data', (chunk: Buffer) => {
    if (dropped === undefined) return;
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) stop();
  });
  // Node calls this once the `Connection: close` answer is finished.
  socket.destroySoon = () => {
    socket.end();
    request.resume(); // a body reader that gave up paused it
    dropped = 0;
    // Once the answer has left (destroying earlier would drop it); at LINGER_MS in any case.
    let stopping = false;
    stop = () => {
      if (stopping) return;
      stopping = true;
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
    };
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once('end', stop).once('close', () => clearTimeout(timer));
  };
}
