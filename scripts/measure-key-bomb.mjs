// Server CPU per rejected key-bomb request: starts the built service, sends N bodies of ~13,000
// unknown keys (top level and wrapped in one unknown field) to a public route, one at a time, and
// reads the server's CPU time from /proc before and after. Loopback only; bounded by N.
//   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/db node scripts/measure-key-bomb.mjs [N]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? 200);
const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'main.js');
const TICK_MS = 10; // USER_HZ is 100 on Linux

const child = spawn(process.execPath, [MAIN], {
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: '0',
    LOG_LEVEL: 'info',
    JWT_SECRET: 'measure-secret-that-is-long-enough-for-hs256-0123456789',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /localhost:(\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`service exited:\n${seen}`)));
  });
  const keys = Array.from({ length: 12_000 }, (_, i) => `"${i.toString(36)}":0`).join(',');
  const bodies = { 'top-level keys': `{${keys}}`, 'inside one field': `{"x":{${keys}}}` };
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
  };
  const url = `http://127.0.0.1:${port}/api/auth/login`;
  for (const [name, body] of Object.entries(bodies)) {
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }); // warm-up
    const before = cpuMs();
    let status = 0;
    let bytes = 0;
    for (let i = 0; i < N; i++) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      status = response.status;
      bytes = (await response.arrayBuffer()).byteLength;
    }
    const perRequest = (cpuMs() - before) / N;
    console.log(
      `${name}: ${(body.length / 1024).toFixed(0)} KB body, ${status}, answer ${bytes} B, server CPU ${perRequest.toFixed(2)} ms/request (N=${N})`,
    );
  }
} finally {
  child.kill('SIGTERM');
}
