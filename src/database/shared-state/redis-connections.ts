import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Redis, type RedisOptions } from 'ioredis';
import { redisConfig } from '../../config/redis.config.js';

/** Reconnect delays: quick at first, then every two seconds for as long as it takes. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

/**
 * The two connections to Redis when REDIS_URL is set: one for commands
 * (rate-limit counters, publishing revocations and change signals), one in subscriber mode.
 * Redis is never waited for: the command connection has no offline queue, so
 * a command fails at once while Redis is away, and within REDIS_TIMEOUT_MS
 * when it is connected but not answering; both reconnect on their own for as
 * long as it takes, so the service recovers without a restart.
 */
@Injectable()
export class RedisConnections implements OnModuleDestroy {
  private readonly logger = new Logger('Redis');
  readonly commands?: Redis;
  readonly subscriber?: Redis;
  readonly keyPrefix: string;
  private readonly timeoutMs: number;

  constructor(@Inject(redisConfig.KEY) config: ConfigType<typeof redisConfig>) {
    this.keyPrefix = config.keyPrefix;
    this.timeoutMs = config.timeoutMs;
    if (!config.url) return;
    const common: RedisOptions = {
      connectTimeout: Math.max(config.timeoutMs, 1000),
      retryStrategy: reconnectDelay,
    };
    this.commands = this.watch(
      'commands',
      new Redis(config.url, {
        ...common,
        enableOfflineQueue: false,
        commandTimeout: config.timeoutMs,
        maxRetriesPerRequest: 0,
      }),
    );
    // Subscriptions are queued until connected; RedisSubscription renews them after a reconnect.
    this.subscriber = this.watch(
      'subscriber',
      new Redis(config.url, { ...common, maxRetriesPerRequest: null, autoResubscribe: false }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.commands, this.subscriber].map((connection) => this.close(connection)));
  }

  /**
   * QUIT, but never waiting on Redis longer than REDIS_TIMEOUT_MS: a Redis that stopped answering
   * must not hold up a shutdown. Whatever still waits then is cut, and its callers' promises reject.
   */
  private async close(connection: Redis | undefined): Promise<void> {
    if (!connection) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.timeoutMs)));
    await Promise.race([connection.quit().catch(() => undefined), waited]);
    clearTimeout(timer);
    connection.disconnect();
  }

  /** Logs each change of state once (not every failed reconnect), and keeps 'error' from being unhandled. */
  private watch(name: string, connection: Redis): Redis {
    let down = false;
    connection.on('error', (error: Error) => {
      if (down) return;
      down = true;
      this.logger.warn(`Redis ${name} connection lost: ${error.message}; retrying in the background`);
    });
    connection.on('ready', () => {
      if (down) this.logger.log(`Redis ${name} connection is back`);
      down = false;
    });
    return connection;
  }
}
