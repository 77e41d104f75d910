import type { Redis } from 'ioredis';

/**
 * Closes connections politely (QUIT) but never waits on Redis longer than
 * `timeoutMs`: a Redis that stopped answering must not hold up a shutdown.
 * Whatever is still waiting then is cut, and its callers' promises reject.
 */
export async function closeRedis(connections: (Redis | undefined)[], timeoutMs: number): Promise<void> {
  await Promise.all(
    connections
      .filter((connection) => connection !== undefined)
      .map(async (connection) => {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
        await Promise.race([connection.quit().catch(() => undefined), waited]);
        clearTimeout(timer);
        connection.disconnect();
      }),
  );
}
