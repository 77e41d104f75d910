import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** Secrets and settings every spawned service gets; tests add the database. */
export const BASE_ENV = {
  NODE_ENV: 'production',
  PORT: '0', // the service logs the port it got
  JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
  LOG_LEVEL: 'info',
  // How the suite reaches its database (test/global-setup.mjs): directly, or through PgBouncer.
  DB_POOL_MODE: process.env.E2E_DB_POOL_MODE ?? 'session',
};

/** BASE_ENV with the suite's own database (test/global-setup.mjs), reached at `databaseUrl` (a proxy, say). */
export function suiteEnv(databaseUrl = process.env.E2E_DATABASE_URL!): Record<string, string> {
  return { ...BASE_ENV, DATABASE_URL: databaseUrl, DB_POOL_SIZE: process.env.E2E_DB_POOL_SIZE! };
}

/**
 * `npm run build`, unless dist is newer than every source file: the tests
 * that spawn the service must run the code under test, not a stale build.
 */
export function ensureBuilt(): void {
  if (
    existsSync(MAIN) &&
    newestMtime(join(ROOT, 'src')) <= statSync(MAIN).mtimeMs &&
    newestMtime(join(ROOT, 'migrations')) <= statSync(MAIN).mtimeMs
  )
    return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `node dist/src/main.js` as a child process, as production runs it (no npm in between). */
export class BuiltService {
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;
  baseUrl = '';

  private constructor(private readonly child: ChildProcess) {
    let pending = '';
    const collect = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      this.output.push(...lines);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts it with exactly `env` (plus PATH), in a scratch folder so no `.env` file is read,
   * unless `files` puts one there (name → content).
   */
  static spawn(env: Record<string, string>, files: Record<string, string> = {}): BuiltService {
    const cwd = mkdtempSync(join(tmpdir(), 'taskwell-cwd-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
    const child = spawn(process.execPath, [MAIN], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new BuiltService(child);
    void service.exited.then(() => rmSync(cwd, { recursive: true, force: true }));
    return service;
  }

  static async start(
    env: Record<string, string>,
    timeoutMs = 30_000,
    files: Record<string, string> = {},
  ): Promise<BuiltService> {
    const service = BuiltService.spawn(env, files);
    await service.listening(timeoutMs);
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The JSON log lines written so far (other lines are skipped). */
  logs(): Array<Record<string, unknown>> {
    return this.output.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops it if it still runs (SIGKILL: used in teardown only). */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private async listening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline && !exited) {
      const line = this.output.find((text) => text.includes('Listening on http://'));
      const port = line?.match(/localhost:(\d+)/)?.[1];
      if (port) {
        this.baseUrl = `http://127.0.0.1:${port}`;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.dispose();
    throw new Error(`the service did not start:\n${this.output.join('\n')}`);
  }
}
