import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './built-app.js';
import { freePort } from './free-port.mjs';

/**
 * The built service (`node dist/src/main.js`) on the suite's database, for tests that talk to it
 * as an outside client would (generated clients, the README's commands). It is ready once
 * `/health/ready` answers, which does not depend on what the start-up log says.
 */
export class ServiceProcess {
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  /** Starts it in `cwd` (a scratch folder: no `.env` is read there, the data folder goes there) and waits until it is ready. */
  static async start(cwd: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await ServiceProcess.launch(cwd, env);
    await service.ready();
    return service;
  }

  /** Starts it without waiting, for a test with other work to do meanwhile; `ready()` then waits. */
  static async launch(cwd: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        // The suite's database (test/global-setup.mjs): the PostgreSQL server, or the
        // embedded engine Jest already runs, which spares the service an initdb.
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        DB_POOL_SIZE: process.env.E2E_DB_POOL_SIZE,
        DB_POOL_MODE: process.env.E2E_DB_POOL_MODE ?? 'session',
        DATA_DIR: join(cwd, 'data'),
        JWT_SECRET: 'service-process-test-secret-0123456789abcdef',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child, `http://127.0.0.1:${port}`);
  }

  get output(): string {
    return this.log;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  async ready(): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the service exited:\n${this.log}`);
      const ok = await fetch(`${this.baseUrl}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await this.stop();
    throw new Error(`the service did not become ready:\n${this.log}`);
  }
}
