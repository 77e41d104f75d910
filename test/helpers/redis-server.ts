import { ServerProcess } from './child-process.js';
import { freePort } from './free-port.mjs';

/**
 * A throwaway Redis of the test's own (Debian's redis-server), on a port of
 * its own, keeping nothing on disk: stopping and starting it again on the
 * same port is a real Redis outage, without touching any other Redis.
 */
export class TestRedis {
  private server?: ServerProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedis> {
    const redis = new TestRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server?.running ?? false;
  }

  /** Starts it again after `stop()`, on the same port. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('redis-server is still running');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    this.server = await ServerProcess.start('redis-server', 'redis-server', args, this.port);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** Still connected, answering nothing (SIGSTOP): the slow case. `resume()` undoes it. */
  pause(): void {
    this.server?.signal('SIGSTOP');
  }

  resume(): void {
    this.server?.signal('SIGCONT');
  }
}
