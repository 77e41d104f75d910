/** Frees the turn `PerKeyGate.enter` granted; calling it again does nothing. */
export type Leave = () => void;

interface Waiter {
  admit: (leave: Leave | undefined) => void;
  timer: NodeJS.Timeout;
}

interface Lane {
  inside: number;
  waiting: Waiter[];
}

/**
 * At most `limit` holders per key at once; the next ones wait in line (first
 * come, first served) for up to `waitMs`, at most `maxWaiting` of them, and
 * are turned away after that. Memory holds only the keys in use.
 */
export class PerKeyGate {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    readonly limit: number,
    private readonly waitMs: number,
    private readonly maxWaiting: number,
  ) {}

  /** A `Leave` once the key has a free turn, or `undefined` when the line is full or the wait ran out. */
  enter(key: string): Promise<Leave | undefined> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { inside: 0, waiting: [] };
      this.lanes.set(key, lane);
    }
    if (lane.inside < this.limit) {
      lane.inside++;
      return Promise.resolve(this.leaveFor(key, lane));
    }
    if (lane.waiting.length >= this.maxWaiting || this.waitMs === 0) return Promise.resolve(undefined);
    const line = lane;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: resolve,
        timer: setTimeout(() => {
          line.waiting.splice(line.waiting.indexOf(waiter), 1);
          resolve(undefined);
        }, this.waitMs),
      };
      line.waiting.push(waiter);
    });
  }

  /** How many hold or wait for `key` (for tests and diagnostics). */
  load(key: string): { inside: number; waiting: number } {
    const lane = this.lanes.get(key);
    return { inside: lane?.inside ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  private leaveFor(key: string, lane: Lane): Leave {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = lane.waiting.shift();
      if (next) {
        // The turn passes straight to the first in line: `inside` stays the same.
        clearTimeout(next.timer);
        next.admit(this.leaveFor(key, lane));
        return;
      }
      lane.inside--;
      if (lane.inside === 0) this.lanes.delete(key);
    };
  }
}
