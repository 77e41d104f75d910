// Mixed-workload throughput of the deployments docs/SCALING.md describes, back to back in one run:
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskwell_bench npm run bench:deployments
//
// For each topology it empties BENCH_DATABASE_URL, starts what it needs, seeds and drives
// scripts/bench.mjs's mixed workload through BENCH_URL, and stops everything:
//   direct      one instance, straight to PostgreSQL (DB_POOL_MODE=session)
//   pgbouncer   one instance through PgBouncer in transaction mode (DB_POOL_MODE=transaction)
//   lb-1        one instance behind HAProxy
//   lb-2        two instances behind HAProxy (round-robin)
// and prints req/s with the ratios pgbouncer/direct and lb-2/lb-1. Needs pgbouncer and haproxy
// (Debian packages, as CI installs them). Sizes are scripts/bench.mjs's variables, smaller by default.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { accepts, freePort } from '../test/helpers/free-port.mjs';
import { startPgBouncer } from '../test/helpers/pgbouncer.mjs';

const env = process.env;
const url = env.BENCH_DATABASE_URL;
if (!url) throw new Error('Set BENCH_DATABASE_URL (a database to empty and use)');
const topologies = (env.TOPOLOGIES ?? 'direct,pgbouncer,lb-1,lb-2').split(',');
const sizes = {
  USERS: env.USERS ?? '20',
  TASKS_PER_USER: env.TASKS_PER_USER ?? '50',
  HEAVY_TASKS: env.HEAVY_TASKS ?? '200',
  DURATION: env.DURATION ?? '15',
  HEAVY_DURATION: env.HEAVY_DURATION ?? '1',
  CONNECTIONS: env.CONNECTIONS ?? '50',
};
const secret = randomBytes(48).toString('base64url');

const results = {};
for (const topology of topologies) {
  const stops = [];
  try {
    await resetDatabase(url);
    let databaseUrl = url;
    let poolMode = 'session';
    if (topology === 'pgbouncer') {
      const pgbouncer = await startPgBouncer(url, 'transaction');
      stops.push(() => pgbouncer.stop());
      databaseUrl = pgbouncer.rewrite(url);
      poolMode = 'transaction';
    }
    const count = topology === 'lb-2' ? 2 : 1;
    const instances = [];
    for (let i = 0; i < count; i++) {
      const instance = await startService(databaseUrl, poolMode);
      stops.push(instance.stop);
      instances.push(instance.origin);
    }
    let base = instances[0];
    if (topology.startsWith('lb-')) {
      const haproxy = await startHaproxy(instances);
      stops.push(haproxy.stop);
      base = haproxy.origin;
    }
    const rows = await runBench(base);
    results[topology] = rows.find((row) => row.name === 'mixed');
    console.log(`${topology}: ${JSON.stringify(results[topology])}`);
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

console.log(`\n| topology | conns | req/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|---:|`);
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
}
const ratio = (a, b) => (results[a] && results[b] ? `${Math.round((100 * results[a].rps) / results[b].rps)} %` : 'n/a');
console.log(`\npgbouncer / direct: ${ratio('pgbouncer', 'direct')}; lb-2 / lb-1: ${ratio('lb-2', 'lb-1')}`);

async function resetDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

async function startService(databaseUrl, poolMode) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DB_POOL_MODE: poolMode,
      DB_POOL_SIZE: '10',
      LOG_LEVEL: 'warn',
      JWT_SECRET: secret,
      JWT_ACCESS_TTL: '3600',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
      // Seeding and the heavy runs drive a few accounts far past their fair share: measure the service, not its limits.
      RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
      RATE_LIMIT_WRITES_BURST: '1000000',
      DB_MAX_CONCURRENT_PER_USER: '100',
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ready = await fetch(`${origin}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { origin, stop: () => stopChild(child) };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopChild(child);
  throw new Error('the service did not become ready');
}

async function startHaproxy(backends) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'taskwell-bench-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 3s',
      '  timeout client 60s',
      '  timeout server 60s',
      'frontend api',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      ...backends.map((backend, i) => `  server api${i} ${new URL(backend).host} check inter 2s`),
      '',
    ].join('\n'),
  );
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 2500)); // the first health checks
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runBench(base) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/bench.mjs'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...env, ...sizes, BENCH_URL: base, BENCH_DATABASE_URL: url },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench.mjs exited ${code}:\n${output}`));
      resolve(
        output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line)),
      );
    });
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}
