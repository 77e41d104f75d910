import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisConnections } from '../database/shared-state/redis-connections.js';
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
export class ChangeSignals implements OnModuleInit {
  private readonly logger = new Logger('ChangeSignals');
  private readonly listeners = new Set<SignalListener>();
  private readonly instance = randomUUID();
  private readonly channel: string;

  constructor(private readonly redis: RedisConnections) {
    this.channel = `${redis.keyPrefix}changes`;
  }

  onModuleInit(): void {
    const subscriber = this.redis.subscriber;
    if (!subscriber) return;
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    // Once subscribed again after a reconnect: what was published while the connection was down is lost.
    new RedisSubscription(
      subscriber,
      (error) => this.logger.warn(`Subscribe failed: ${error.message}`),
      () => {
        for (const listener of this.listeners) listener.resync();
      },
    ).add(this.channel);
  }

  /** A list advanced here: tell the local streams, and the other instances. */
  announce(signal: ListAdvanced): void {
    this.deliver(signal);
    const commands = this.redis.commands;
    if (commands?.status !== 'ready') return;
    const message: Message = { ...signal, from: this.instance };
    commands.publish(this.channel, JSON.stringify(message)).catch(() => undefined);
  }

  /** Whether signals of other instances arrive: without Redis there are none, with it while subscribed. */
  get reliable(): boolean {
    const subscriber = this.redis.subscriber;
    return subscriber === undefined || subscriber.status === 'ready';
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
