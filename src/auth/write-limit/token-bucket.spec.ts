import { describe, expect, it } from '@jest/globals';
import { type Bucket, take } from './token-bucket.js';

/** 10 at once, then one every 100 ms (600 a minute). */
const shape = { capacity: 10, perMs: 10 / 1000 };

function drain(times: number, now: number, bucket?: Bucket): { bucket?: Bucket; allowed: number } {
  let allowed = 0;
  for (let i = 0; i < times; i++) {
    const result = take(bucket, now, shape);
    bucket = result.bucket;
    if (result.take.allowed) allowed++;
  }
  return { bucket, allowed };
}

describe('token bucket', () => {
  it('lets an idle client send a whole burst at once, and refuses the next', () => {
    const { bucket, allowed } = drain(10, 0);
    expect(allowed).toBe(10);
    const next = take(bucket, 0, shape);
    expect(next.take).toEqual({ allowed: false, remaining: 0, msUntilToken: 100, msUntilFull: 1000 });
  });

  it('refills at the sustained rate, never above the capacity', () => {
    const { bucket } = drain(10, 0);
    expect(drain(5, 250, bucket).allowed).toBe(2); // 2.5 tokens came back in 250 ms
    const rested = take(bucket, 3_600_000, shape);
    expect(rested.take).toMatchObject({ allowed: true, remaining: 9 });
  });

  it('holds a flood to the burst plus the refill: 1,000 writes a second for 10 s pass 109 (10 + 99 refilled)', () => {
    let bucket: Bucket | undefined;
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      const result = take(bucket, ms, shape);
      bucket = result.bucket;
      if (result.take.allowed) allowed++;
    }
    expect(allowed).toBe(10 + 99);
  });

  it('says how long until the next token when refused, and reports hits that never go negative', () => {
    const { bucket } = drain(10, 0);
    const refused = take(bucket, 40, shape); // 0.4 token back
    expect(refused.take.allowed).toBe(false);
    expect(refused.take.msUntilToken).toBe(60);
    expect(refused.take.remaining).toBe(0);
  });

  it('does not refill when the clock steps back', () => {
    const { bucket } = drain(10, 1000);
    expect(take(bucket, 0, shape).take.allowed).toBe(false);
  });
});
