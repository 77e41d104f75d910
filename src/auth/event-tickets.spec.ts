import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { EventTickets } from './event-tickets.js';
import { RedisConnections } from '../database/shared-state/redis-connections.js';

const caller = { id: 'u1', sessionId: 's1', expiresAt: 2_000_000_000 };

/** Without Redis: the in-process store. (With Redis, test/api/events.e2e-spec.ts redeems on another instance.) */
describe(EventTickets.name, () => {
  const tickets = () => new EventTickets(new RedisConnections({ url: undefined, keyPrefix: 't:', timeoutMs: 500 }));

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('redeems a ticket once, for the caller who asked for it', async () => {
    const store = tickets();
    const { ticket, expiresAt } = await store.issue(caller);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(59_000);
    await expect(store.redeem(ticket)).resolves.toEqual(caller);
    await expect(store.redeem(ticket)).resolves.toBeUndefined();
  });

  it('refuses a ticket after 60 s, and anything that is not a ticket', async () => {
    const store = tickets();
    const { ticket } = await store.issue(caller);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 60_001);
    await expect(store.redeem(ticket)).resolves.toBeUndefined();
    for (const bad of ['', 'short', `${ticket}x`, '../'.repeat(15)])
      await expect(store.redeem(bad)).resolves.toBeUndefined();
  });
});
