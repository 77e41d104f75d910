import { Module } from '@nestjs/common';
import { Broadcasts } from './broadcasts.js';
import { RedisConnections } from './redis-connections.js';

/**
 * State the instances of one deployment share through Redis (REDIS_URL): one pair of connections
 * per application, whichever modules import it.
 */
@Module({
  providers: [RedisConnections, Broadcasts],
  exports: [RedisConnections, Broadcasts],
})
export class SharedStateModule {}
