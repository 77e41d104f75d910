import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisConnections } from './redis-connections.js';
import { RedisSubscription } from './redis-subscription.js';

export interface BroadcastListener<T> {
  /** A message published here or, with Redis, on another instance. */
  received(message: T): void;
  /** Messages may have been missed (the subscription was down): forget everything remembered. */
  resync(): void;
}

/** One named channel: what an instance publishes reaches every instance's listeners of that name. */
export interface BroadcastChannel<T> {
  /**
   * Delivers `message` to this instance's listeners at once, then tells the other instances. Never
   * throws and never waits longer than REDIS_TIMEOUT_MS: what it announces is already in the
   * database, which every instance asks once its memory expires. False when others were not told.
   */
  publish(message: T): Promise<boolean>;
  /**
   * Whether remembered state may be used. Without Redis: yes (one instance, or several with a
   * documented time bound). With Redis: only while its subscriber is connected.
   */
  readonly reliable: boolean;
  /** Whether messages reach other instances at all (REDIS_URL is set). */
  readonly shared: boolean;
}

interface Envelope {
  from: string;
  message: unknown;
}

/**
 * Messages every instance must hear at once (sessions revoked, memberships changed), through
 * Redis pub/sub when REDIS_URL is set (a few milliseconds), each on its channel under
 * REDIS_KEY_PREFIX. The publishing instance applies its own message synchronously. Without Redis,
 * or while it is away, listeners get `resync` and callers rely on their time bounds.
 */
@Injectable()
export class Broadcasts implements OnModuleInit {
  private readonly logger = new Logger('Broadcasts');
  private readonly instance = randomUUID();
  private readonly channels = new Map<
    string,
    { parse: (value: unknown) => unknown; listeners: BroadcastListener<never>[] }
  >();
  private readonly subscription?: RedisSubscription;

  constructor(private readonly redis: RedisConnections) {
    const subscriber = redis.subscriber;
    if (!subscriber) return;
    // Once the channels hold again after a reconnect: anything published while the connection was
    // down is lost, so remembered state is forgotten.
    this.subscription = new RedisSubscription(
      subscriber,
      (error) => this.logger.warn(`Subscribe failed: ${error.message}`),
      () => this.resyncAll(),
    );
  }

  onModuleInit(): void {
    const subscriber = this.redis.subscriber;
    if (!subscriber) return;
    subscriber.on('message', (channel: string, text: string) => this.receive(channel, text));
    subscriber.on('close', () => this.resyncAll());
  }

  /**
   * The channel `name`; `parse` turns what arrived from another instance into a message (or
   * undefined: not one), since anything may be published on a shared Redis.
   */
  open<T>(name: string, parse: (value: unknown) => T | undefined, listener: BroadcastListener<T>): BroadcastChannel<T> {
    const key = `${this.redis.keyPrefix}${name}`;
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = { parse, listeners: [] };
      this.channels.set(key, channel);
      this.subscription?.add(key);
    }
    const listeners = channel.listeners as BroadcastListener<T>[];
    listeners.push(listener);
    const redis = this.redis;
    const instance = this.instance;
    const logger = this.logger;
    return {
      async publish(message: T): Promise<boolean> {
        for (const each of listeners) each.received(message);
        const commands = redis.commands;
        if (!commands) return false;
        try {
          await commands.publish(key, JSON.stringify({ from: instance, message } satisfies Envelope));
          return true;
        } catch (error) {
          logger.warn(
            `Could not broadcast on ${name} (${(error as Error).message}): other instances rely on their time bound`,
          );
          return false;
        }
      },
      get reliable(): boolean {
        return redis.subscriber === undefined || redis.subscriber.status === 'ready';
      },
      shared: redis.subscriber !== undefined,
    };
  }

  private receive(key: string, text: string): void {
    const channel = this.channels.get(key);
    if (channel === undefined) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return; // not ours
    }
    if (envelope.from === this.instance) return; // applied when published
    const message = channel.parse(envelope.message);
    if (message === undefined) return;
    for (const listener of channel.listeners) listener.received(message as never);
  }

  private resyncAll(): void {
    for (const channel of this.channels.values()) for (const listener of channel.listeners) listener.resync();
  }
}
