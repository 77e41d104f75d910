import type { Redis } from 'ioredis';

/**
 * The channels of a subscriber connection, renewed here after every
 * reconnect instead of by ioredis's `autoResubscribe` (create the connection
 * with it off). ioredis sends that SUBSCRIBE without handling its reply: a
 * connection closed before the reply came (a shutdown while Redis was coming
 * back) rejected it unhandled, and the process exited on it
 * (redis/ioredis#2187). Here every SUBSCRIBE's failure is handled, and
 * `renewed` runs once the channels hold again, so that whoever relies on them
 * forgets what it remembered only when nothing more can be missed.
 */
export class RedisSubscription {
  private readonly channels = new Set<string>();
  private connectedBefore = false;

  constructor(
    private readonly connection: Redis,
    private readonly failed: (error: Error) => void,
    renewed: () => void,
  ) {
    // 'ready' follows every (re)connect; the first one also sends what `add` queued meanwhile.
    connection.on('ready', () => {
      if (!this.connectedBefore) {
        this.connectedBefore = true;
        return;
      }
      if (this.channels.size === 0) return renewed();
      void this.subscribe([...this.channels]).then((held) => held && renewed());
    });
  }

  add(channel: string): void {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    void this.subscribe([channel]);
  }

  /** Whether the channels are subscribed; a failure is reported unless the connection was closed on purpose. */
  private async subscribe(channels: string[]): Promise<boolean> {
    try {
      await this.connection.subscribe(...channels);
      return true;
    } catch (error) {
      if (this.connection.status !== 'end') this.failed(error as Error);
      return false;
    }
  }
}
