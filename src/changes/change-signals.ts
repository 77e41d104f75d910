import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { redisConfig } from '../config/redis.config.js';
import { closeRedis } from '../database/shared-state/close-redis.js';
import { RedisSubscription } from '../database/shared-state/redis-subscription.js';

/** "List `listId` has recorded change `seq`": what wakes the streams that follow the list. */
export interface ListAdvanced {
  listId: string;
  seq: number;
  /** For a member's change: whose membership changed (their streams re-read their memberships). */
  memberId?: string;
}

export interface SignalListener {
  signalled(signal: ListAdvanced): void;
  /** Signals from other instances may have been lost (the Redis subscription was down). */
  resync(): void;
}

interface Message extends ListAdvanced {
  from: string;
}

/**
 * Tells the event streams of every instance that a list advanced. A signal
 * carries no data: a stream that hears it reads the feed, so a lost or
 * duplicated signal costs latency, never a change. Local streams hear it at
 * once; with REDIS_URL it is also published, and the other instances pass it
 * on to theirs (pub/sub, no LISTEN: PgBouncer in transaction mode keeps no
 * session to listen on).
 *
 * A signal is sent once the change's transaction has committed; a stream
 * that does not find `seq` yet (another instance's snapshot a moment behind)
 * reads again a few times until the list reaches it.
 */
@Injectable()
export class ChangeSignals implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeSignals');
  private readonly listeners = new Set<SignalListener>();
  private readonly instance = randomUUID();
  private readonly channel: string;
  private readonly timeoutMs: number;
  private readonly publisher?: Redis;
  private readonly subscriber?: Redis;

  constructor(@Inject(redisConfig.KEY) config: ConfigType<typeof redisConfig>) {
    this.channel = `${config.keyPrefix}changes`;
    this.timeoutMs = config.timeoutMs;
    if (!config.url) return;
    const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2000);
    this.publisher = quiet(
      new Redis(config.url, {
        retryStrategy,
        enableOfflineQueue: false,
        commandTimeout: config.timeoutMs,
        maxRetriesPerRequest: 0,
        lazyConnect: true,
      }),
    );
    this.subscriber = quiet(
      new Redis(config.url, { retryStrategy, maxRetriesPerRequest: null, lazyConnect: true, autoResubscribe: false }),
    );
  }

  onModuleInit(): void {
    if (!this.publisher || !this.subscriber) return;
    this.publisher.connect().catch(() => undefined);
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    // Once subscribed again after a reconnect: what was published while the connection was down is lost.
    new RedisSubscription(
      this.subscriber,
      (error) => this.logger.warn(`Subscribe failed: ${error.message}`),
      () => {
        for (const listener of this.listeners) listener.resync();
      },
    ).add(this.channel);
  }

  onModuleDestroy(): Promise<void> {
    return closeRedis([this.publisher, this.subscriber], this.timeoutMs);
  }

  /** A list advanced here: tell the local streams, and the other instances. */
  announce(signal: ListAdvanced): void {
    this.deliver(signal);
    if (this.publisher?.status !== 'ready') return;
    const message: Message = { ...signal, from: this.instance };
    this.publisher.publish(this.channel, JSON.stringify(message)).catch(() => undefined);
  }

  /** Whether signals of other instances arrive: without Redis there are none, with it while subscribed. */
  get reliable(): boolean {
    return this.subscriber === undefined || this.subscriber.status === 'ready';
  }

  /** Calls `listener` on every signal; returns the function that stops it. */
  listen(listener: SignalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(text: string): void {
    try {
      const message = JSON.parse(text) as Partial<Message>;
      if (message.from === this.instance) return;
      if (typeof message.listId !== 'string' || typeof message.seq !== 'number') return;
      const memberId = typeof message.memberId === 'string' ? message.memberId : undefined;
      this.deliver({ listId: message.listId, seq: message.seq, memberId });
    } catch {
      // Not one of ours: another deployment sharing the prefix, or garbage.
    }
  }

  private deliver(signal: ListAdvanced): void {
    for (const listener of this.listeners) listener.signalled(signal);
  }
}

/** Redis errors are retried in the background; streams still hear their own instance meanwhile. */
function quiet(connection: Redis): Redis {
  connection.on('error', () => undefined);
  return connection;
}
