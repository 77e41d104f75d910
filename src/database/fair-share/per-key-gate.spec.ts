import { describe, expect, it } from '@jest/globals';
import { PerKeyGate } from './per-key-gate.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(PerKeyGate.name, () => {
  it('lets `limit` holders in per key, and other keys alongside', async () => {
    const gate = new PerKeyGate(2, 1000, 10);
    const a1 = await gate.enter('a');
    const a2 = await gate.enter('a');
    expect(a1 && a2).toBeDefined();
    expect(await gate.enter('b')).toBeDefined();
    expect(gate.load('a')).toEqual({ inside: 2, waiting: 0 });
  });

  it('hands a freed turn to the first in line, in order', async () => {
    const gate = new PerKeyGate(1, 1000, 10);
    const first = await gate.enter('a');
    const order: number[] = [];
    const second = gate.enter('a').then((leave) => (order.push(2), leave));
    const third = gate.enter('a').then((leave) => (order.push(3), leave));
    await tick();
    expect(order).toEqual([]);
    first!();
    (await second)!();
    (await third)!();
    expect(order).toEqual([2, 3]);
    expect(gate.load('a')).toEqual({ inside: 0, waiting: 0 });
  });

  it('turns a waiter away when its wait runs out, and a newcomer at once when the line is full', async () => {
    const gate = new PerKeyGate(1, 30, 1);
    const first = await gate.enter('a');
    const waiting = gate.enter('a');
    expect(await gate.enter('a')).toBeUndefined(); // the line holds one
    expect(await waiting).toBeUndefined(); // after 30 ms
    first!();
    expect(gate.load('a')).toEqual({ inside: 0, waiting: 0 });
  });

  it('ignores a second leave, so a turn is never freed twice', async () => {
    const gate = new PerKeyGate(1, 1000, 10);
    const first = await gate.enter('a');
    const second = await gate.enter('b');
    first!();
    first!();
    expect(gate.load('a')).toEqual({ inside: 0, waiting: 0 });
    second!();
  });

  it('does not wait at all when the wait is 0', async () => {
    const gate = new PerKeyGate(1, 0, 10);
    await gate.enter('a');
    expect(await gate.enter('a')).toBeUndefined();
  });
});
