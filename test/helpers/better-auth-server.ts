import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'better-auth');

export interface BetterAuthOptions {
  audience: string;
  /** Defaults to the server's origin, as Better Auth does. */
  issuer?: string;
  jwks?: { rotationInterval?: number; gracePeriod?: number };
}

export interface BetterAuthServer {
  url: string;
  jwksUri: string;
  /** Signs the user up (or in) and returns a fresh access token from the JWT plugin. */
  mint(email: string, name?: string): Promise<{ token: string; userId: string }>;
  /** GET /api/auth/jwks requests seen so far. */
  jwksFetches(): Promise<number>;
  /** While down, /api/auth/jwks answers 503. */
  setJwksDown(down: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Better Auth server (memory adapter, JWT plugin, EdDSA by default) in a
 * child process (Better Auth is a devDependency; the app never imports it).
 */
export async function startBetterAuth(options: BetterAuthOptions): Promise<BetterAuthServer> {
  const child = spawn(process.execPath, [join(FIXTURE, 'server.mjs'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await firstLine(child)
    .then((line) => (JSON.parse(line) as { url: string }).url)
    .catch((error: unknown) => {
      child.kill(); // a child left running would keep Jest from exiting
      throw error;
    });
  const control = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${url}/control/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const result = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`Better Auth ${path}: ${String(result.error)}`);
    return result;
  };
  return {
    url,
    jwksUri: `${url}/api/auth/jwks`,
    mint: async (email, name) => (await control('mint', { email, name })) as { token: string; userId: string },
    jwksFetches: async () => (await control('jwks-fetches')).count as number,
    setJwksDown: async (down) => void (await control('jwks-down', { down })),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`Better Auth server exited (${code}) before listening`)));
  });
}
