/** A bucket's state: tokens left (fractional while refilling) at a moment (ms since the epoch). */
export interface Bucket {
  tokens: number;
  at: number;
}

/** What one take decided, and the times a client needs for its headers. */
export interface Take {
  allowed: boolean;
  /** Whole tokens left after this take. */
  remaining: number;
  /** Until the next token: 0 when one is there. */
  msUntilToken: number;
  /** Until the bucket is full again. */
  msUntilFull: number;
}

/** A token bucket: `capacity` tokens at most, refilled at `perMs` tokens a millisecond. */
export interface BucketShape {
  capacity: number;
  perMs: number;
}

/**
 * Takes one token from `bucket` (a missing bucket is full) at `now`. The same
 * arithmetic runs in Redis (`TAKE_SCRIPT`), so both stores decide alike.
 */
export function take(bucket: Bucket | undefined, now: number, shape: BucketShape): { bucket: Bucket; take: Take } {
  const elapsed = Math.max(0, now - (bucket?.at ?? now));
  let tokens = Math.min(shape.capacity, (bucket?.tokens ?? shape.capacity) + elapsed * shape.perMs);
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return {
    bucket: { tokens, at: now },
    take: {
      allowed,
      remaining: Math.floor(tokens),
      msUntilToken: allowed ? 0 : Math.ceil((1 - tokens) / shape.perMs),
      msUntilFull: Math.ceil((shape.capacity - tokens) / shape.perMs),
    },
  };
}

/**
 * `take` in Redis, on the server's clock (every instance shares it), in one
 * round trip. KEYS[1] the bucket; ARGV capacity and tokens per ms. The key
 * expires once the bucket would be full again: a full bucket and a missing
 * one are the same. Returns allowed (0/1), remaining, ms until a token, ms until full.
 */
export const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * perMs)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local full = math.ceil((capacity - tokens) / perMs)
local wait = 0
if allowed == 0 then wait = math.ceil((1 - tokens) / perMs) end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], full + 1000)
return {allowed, math.floor(tokens), wait, full}`;
