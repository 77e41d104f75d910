import { rmSync } from 'node:fs';
import { ServerProcess } from './child-process.js';

/** A proxy of the test's own (nginx, HAProxy) in the foreground: its process, its temporary folder, its port. */
export class ProxyProcess {
  protected constructor(
    private readonly process: ServerProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Starts `command` listening on `port`; its folder `dir` goes if it does not start. */
  protected static async launch(
    dir: string,
    name: string,
    command: string,
    args: string[],
    port: number,
  ): Promise<ServerProcess> {
    try {
      return await ServerProcess.start(name, command, args, port);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
}
