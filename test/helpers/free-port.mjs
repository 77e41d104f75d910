// Plain JavaScript: used by the Jest global setup as well as by the tests.
import { connect, createServer } from 'node:net';

/**
 * A TCP port nothing listens on, for a server that cannot take port 0 and
 * report back (redis-server, PgBouncer, HAProxy, PostgreSQL). With
 * TEST_PORT_RANGE=low-high, only ports of that range are used (a machine
 * shared by several runs gives each its own); otherwise the system picks.
 */
export async function freePort() {
  const range = /^(\d+)-(\d+)$/.exec(process.env.TEST_PORT_RANGE ?? '');
  if (!range) return listenOn(0);
  const [low, high] = [Number(range[1]), Number(range[2])];
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    const bound = await listenOn(port).catch(() => undefined);
    if (bound) return bound;
  }
  throw new Error(`no free port in TEST_PORT_RANGE ${range[0]}`);
}

function listenOn(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

/** Whether something accepts TCP connections on `port`. */
export function accepts(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
