import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisConnections } from './redis-connections.js';

/** Sessions that ended: by id (logout, refresh-token reuse) or every session of a user (password change, deletion). */
export interface Revocation {
  sessionIds?: string[];
  userIds?: string[];
}

export interface RevocationListener {
  /** A revocation made here or on another instance. */
  revoked(revocation: Revocation): void;
  /** Revocations may have been missed (the subscription was down): forget everything remembered. */
  resync(): void;
}

interface Message extends Revocation {
  from: string;
}

/**
 * Tells every instance at once that sessions ended, so each forgets what it
 * remembered about them. The revoking instance applies a revocation to
 * itself synchronously; with REDIS_URL, it also publishes it, and every
 * other instance applies it when the message arrives (pub/sub: a few
 * milliseconds). Without Redis, or while it is away, other instances notice
 * within SESSION_CACHE_SECONDS, as their remembered session checks expire;
 * `mayRemember` tells the session cache whether it can rely on messages.
 */
@Injectable()
export class Revocations implements OnModuleInit {
  private readonly logger = new Logger('Revocations');
  private readonly listeners: RevocationListener[] = [];
  private readonly instance = randomUUID();
  private readonly channel: string;

  constructor(private readonly redis: RedisConnections) {
    this.channel = `${redis.keyPrefix}revocations`;
  }

  onModuleInit(): void {
    const subscriber = this.redis.subscriber;
    if (!subscriber) return;
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    let subscribedBefore = false;
    // 'ready' comes after every (re)connect, once the subscriptions are renewed: anything published
    // while the connection was down is lost, so remembered sessions are forgotten.
    subscriber.on('ready', () => {
      if (subscribedBefore) for (const listener of this.listeners) listener.resync();
      subscribedBefore = true;
    });
    subscriber.on('close', () => {
      for (const listener of this.listeners) listener.resync();
    });
    subscriber.subscribe(this.channel).catch((error: Error) => this.logger.warn(`Subscribe failed: ${error.message}`));
  }

  /**
   * Whether a remembered session check may be used. Without Redis: yes (one
   * instance, or several with SESSION_CACHE_SECONDS as the documented bound).
   * With Redis: only while its subscriber is connected; meanwhile every
   * request asks the database, so no revocation is missed.
   */
  get mayRemember(): boolean {
    return this.redis.subscriber === undefined || this.redis.subscriber.status === 'ready';
  }

  listen(listener: RevocationListener): void {
    this.listeners.push(listener);
  }

  /**
   * Applies a revocation here at once, then tells the other instances. Never
   * throws and never waits longer than REDIS_TIMEOUT_MS: the revocation is
   * already in the database, which every instance asks once its memory expires.
   */
  async publish(revocation: Revocation): Promise<void> {
    for (const listener of this.listeners) listener.revoked(revocation);
    const commands = this.redis.commands;
    if (!commands) return;
    const message: Message = { ...revocation, from: this.instance };
    try {
      await commands.publish(this.channel, JSON.stringify(message));
    } catch (error) {
      this.logger.warn(
        `Could not broadcast a revocation (${(error as Error).message}): other instances see it within SESSION_CACHE_SECONDS`,
      );
    }
  }

  private receive(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return; // not ours
    }
    if (message.from === this.instance) return; // applied when published
    const revocation: Revocation = {
      sessionIds: stringsOf(message.sessionIds),
      userIds: stringsOf(message.userIds),
    };
    for (const listener of this.listeners) listener.revoked(revocation);
  }
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
