// What the load scripts share: the built service started for a run, and accounts registered on it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const PASSWORD = 'bench-Password-1234';

/**
 * Starts dist/src/main.js in production mode on `port` against `databaseUrl`, with the script's own
 * environment, LOG_LEVEL=warn, hour-long access tokens and no per-IP limit on registering (the scripts
 * register many accounts from one address); `env` adds to or overrides those, `nodeArgs` go to Node. Resolves once
 * /health/ready answers 200 to `{ server, origin }`; stops the service and throws when it exits or is
 * not ready in 30 s.
 */
export async function startService({ port, databaseUrl, env = {}, nodeArgs = [] }) {
  const server = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      JWT_ACCESS_TTL: '3600',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
      ...env,
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const exit = server.signalCode ?? server.exitCode;
    if (exit !== null) throw new Error(`the service exited (${exit}) before it was ready`);
    const ready = await fetch(`${origin}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { server, origin };
    await sleep(300);
  }
  server.kill('SIGTERM');
  throw new Error('the service did not become ready');
}

/**
 * Registers a new account named `<name>-<random>@bench.example`; resolves to its id and access token.
 * A 429 or 5xx (a loaded service) is tried again, up to five times, after its Retry-After.
 */
export async function register(origin, name) {
  const email = `${name}-${randomBytes(6).toString('hex')}@bench.example`;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${origin}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if ((response.status === 429 || response.status >= 500) && attempt < 5) {
      await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
      continue;
    }
    if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
    const { data } = await response.json();
    return { id: data.user.id, token: data.tokens.accessToken };
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
