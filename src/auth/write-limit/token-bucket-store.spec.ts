import { describe, expect, it } from '@jest/globals';
import { TokenBucketStore } from './token-bucket-store.js';

describe(TokenBucketStore.name, () => {
  it('maps a bucket onto express-rate-limit hits: capacity minus remaining, capacity + 1 when refused', async () => {
    const store = new TokenBucketStore({ capacity: 3, perMs: 1 / 60_000 });
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push((await store.increment('user:a')).totalHits);
    expect(hits).toEqual([1, 2, 3, 4]);
    expect(store.localKeys).toBe(true);
  });

  it('keeps accounts apart', async () => {
    const store = new TokenBucketStore({ capacity: 1, perMs: 1 / 60_000 });
    expect((await store.increment('user:a')).totalHits).toBe(1);
    expect((await store.increment('user:a')).totalHits).toBe(2);
    expect((await store.increment('user:b')).totalHits).toBe(1);
  });

  it('gives a refused client the time of its next token as resetTime (Retry-After)', async () => {
    const store = new TokenBucketStore({ capacity: 1, perMs: 1 / 60_000 });
    await store.increment('user:a');
    const refused = await store.increment('user:a');
    const seconds = (refused.resetTime!.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(58);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('gives the token back on decrement, and forgets a key on reset', async () => {
    const store = new TokenBucketStore({ capacity: 1, perMs: 1 / 60_000 });
    await store.increment('user:a');
    store.decrement('user:a');
    expect((await store.increment('user:a')).totalHits).toBe(1);
    await store.resetKey('user:a');
    expect((await store.increment('user:a')).totalHits).toBe(1);
  });
});
