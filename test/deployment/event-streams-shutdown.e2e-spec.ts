import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BuiltService } from '../helpers/built-service.js';
import { GRACE_MS, howItStopped, newAccountToken, sendSigterm, startForShutdown } from '../helpers/shutdown.js';
import { openStream } from '../helpers/sse-client.js';

/** An event stream never ends by itself: SIGTERM must end it, or every rolling deploy waits out its grace period. */
describe('Event streams across a shutdown (e2e, built service)', () => {
  let service: BuiltService;

  beforeAll(async () => {
    service = await startForShutdown();
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
  });

  it('ends the open streams cleanly on SIGTERM and exits 0 well within the grace period', async () => {
    const token = await newAccountToken(service);
    const streams = [
      await openStream(`${service.baseUrl}/api/events`, { Authorization: `Bearer ${token}` }),
      await openStream(`${service.baseUrl}/api/events`, { Authorization: `Bearer ${token}` }),
    ];
    expect(streams.map((stream) => stream.status)).toEqual([200, 200]);

    const signalledAt = await sendSigterm(service);
    await Promise.all(streams.map((stream) => stream.ended));

    const stopped = await howItStopped(service, signalledAt);
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(stopped.tookMs).toBeLessThan(GRACE_MS);
    expect(stopped.stoppedCleanly).toBe(true);
  });
});
