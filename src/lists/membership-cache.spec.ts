import { describe, expect, it } from '@jest/globals';
import type { ConfigType } from '@nestjs/config';
import type { listsConfig } from '../config/lists.config.js';
import type { redisConfig } from '../config/redis.config.js';
import { Broadcasts } from '../database/shared-state/broadcasts.js';
import { RedisConnections } from '../database/shared-state/redis-connections.js';
import { MembershipCache } from './membership-cache.js';

/** A cache of one process without Redis. */
function cacheOf(size: number, seconds = 5): MembershipCache {
  const config = { membershipCacheSize: size, membershipCacheSeconds: seconds } as ConfigType<typeof listsConfig>;
  return new MembershipCache(config, new Broadcasts(new RedisConnections({} as ConfigType<typeof redisConfig>)));
}

const one = (listId: string) => new Map([[listId, 'editor' as const]]);

describe(MembershipCache.name, () => {
  it('keeps at most its size, dropping the least recently used', () => {
    const cache = cacheOf(2);
    cache.set('a', one('1'), cache.mark());
    cache.set('b', one('2'), cache.mark());
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('c', one('3'), cache.mark());
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.get('1')).toBe('editor');
    expect(cache.get('c')?.get('3')).toBe('editor');
  });

  it('forgets the users a change names, at once', async () => {
    const cache = cacheOf(10);
    cache.set('a', one('1'), cache.mark());
    cache.set('b', one('2'), cache.mark());
    await cache.changed(['a']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
  });

  it('does not store a read that started before a change (it may hold the state before it)', async () => {
    const cache = cacheOf(10);
    const mark = cache.mark();
    await cache.changed(['someone else']);
    cache.set('a', one('1'), mark);
    expect(cache.get('a')).toBeUndefined();
  });

  it('trusts an entry LISTS_MEMBERSHIP_CACHE_SECONDS without Redis; 0 remembers nothing', async () => {
    const short = cacheOf(10, 0.05);
    short.set('a', one('1'), short.mark());
    expect(short.get('a')).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(short.get('a')).toBeUndefined();
    const none = cacheOf(10, 0);
    none.set('a', one('1'), none.mark());
    expect(none.get('a')).toBeUndefined();
  });
});
