// What one abusive client does to everyone else:
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskwell_bench npm run bench:abuse
//
// Starts the built service (production mode, a free loopback port) against BENCH_DATABASE_URL,
// registers a well-behaved user with TASKS tasks and an attacker, and measures the well-behaved
// user's GET /api/tasks (one keep-alive connection, one request at a time) for SECONDS seconds:
// first quiet, then while the attacker runs each class on CONNECTIONS (at most 8) connections,
// each sending again as soon as it is answered:
//   key-bomb      92 KB bodies of 12,000 unknown keys to POST /api/auth/login (public)
//   slow-headers  request heads sent one byte every 200 ms (reconnecting when closed)
//   idle          connections that send nothing (reconnecting when closed)
//   short-search  GET /api/tasks?q=a as the attacker
//   write-flood   POST /api/tasks as the attacker
// Prints one Markdown table: the user's median and p99 latency, what the attacker got, and the
// server's CPU time (from /proc) per attacker request, the user's requests deducted at the quiet rate.
// Bounded: SECONDS per class (default 5, at most 60), MAX_REQUESTS user requests per class,
// loopback only. The attacker runs in a worker thread, so its work is not counted in the user's.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const env = process.env;
const SECONDS = Math.min(Number(env.SECONDS ?? 5), 60);
const MAX_REQUESTS = Number(env.MAX_REQUESTS ?? 20_000);
const CONNECTIONS = Math.min(Number(env.CONNECTIONS ?? 8), 8);
const TASKS = Number(env.TASKS ?? 200);
const PASSWORD = 'bench-Password-1234';
const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'main.js');
const CLASSES = ['quiet', 'key-bomb', 'slow-headers', 'idle', 'short-search', 'write-flood'];

if (isMainThread) await main();
else await attack(workerData);

async function main() {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      LOG_LEVEL: 'info', // the start-up line names the port
      JWT_SECRET: 'bench-abuse-secret-that-is-long-enough-for-hs256-0123',
      DATABASE_URL: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      // The public routes' per-address limit would answer most key bombs 429 before their body is
      // read; an attacker with many addresses gets past it, so the bodies are let through here.
      RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rows = [];
  let quietCpuPerRequest;
  try {
    const port = await portOf(child);
    const setup = new Agent({ keepAlive: true, maxSockets: 4 });
    const victim = await register(port, setup, 'user');
    const attacker = await register(port, setup, 'attacker');
    for (let i = 0; i < TASKS; i += 10) {
      const batch = Array.from({ length: Math.min(10, TASKS - i) }, (_, j) =>
        call(port, setup, 'POST', '/api/tasks', { token: victim, body: JSON.stringify({ title: `task ${i + j}` }) }),
      );
      await Promise.all(batch);
    }
    setup.destroy();
    for (const name of CLASSES) {
      const worker = new Worker(new URL(import.meta.url), { workerData: { port, attacker, name } });
      const stopped = new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the attack under way
      const cpuBefore = cpuMsOf(child.pid);
      const { times, failures } = await measure(port, victim);
      const cpu = cpuMsOf(child.pid) - cpuBefore;
      worker.postMessage('stop');
      const { summary: attack, requests } = await stopped;
      quietCpuPerRequest ??= cpu / Math.max(1, times.length);
      const attackerCpu = requests > 0 ? ((cpu - quietCpuPerRequest * times.length) / requests).toFixed(2) : '-';
      rows.push([
        name,
        String(times.length),
        times.length ? percentile(times, 50).toFixed(1) : '-',
        times.length ? percentile(times, 99).toFixed(1) : '-',
        failures || '0',
        attack,
        attackerCpu,
      ]);
    }
  } finally {
    child.kill('SIGTERM');
  }
  console.log(
    `\nWell-behaved user's GET /api/tasks (${TASKS} tasks), ${SECONDS} s per class, attacker on ${CONNECTIONS} connections\n`,
  );
  console.log(
    '| class | user requests | median ms | p99 ms | user failures | attacker got | server CPU ms per attacker request |',
  );
  console.log('|---|---:|---:|---:|---|---|---:|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/** The well-behaved user: one request at a time on one keep-alive connection. */
async function measure(port, token) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  const failures = new Map();
  const deadline = performance.now() + SECONDS * 1000;
  while (performance.now() < deadline && times.length < MAX_REQUESTS) {
    const { status, ms } = await call(port, agent, 'GET', '/api/tasks', { token });
    if (status === 200) times.push(ms);
    else failures.set(status, (failures.get(status) ?? 0) + 1);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { times, failures: tally(failures) };
}

/** In the worker: runs one class until the main thread says stop, then reports what it got. */
async function attack({ port, attacker, name }) {
  const keyBomb = `{${Array.from({ length: 12_000 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`;
  const slowHead = (socket) => {
    const head = Buffer.from(`GET /api/tasks HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(4000)}`);
    let sent = 0;
    const timer = setInterval(() => socket.write(head.subarray(sent, ++sent)), 200);
    socket.on('close', () => clearInterval(timer));
  };
  const start = {
    quiet: () => () => Promise.resolve({ summary: '-', requests: 0 }),
    'key-bomb': () => httpFlood(port, () => ['POST', '/api/auth/login', { body: keyBomb }]),
    'slow-headers': () => socketFlood(port, slowHead),
    idle: () => socketFlood(port, () => undefined),
    'short-search': () => httpFlood(port, () => ['GET', '/api/tasks?q=a', { token: attacker }]),
    'write-flood': () => httpFlood(port, () => ['POST', '/api/tasks', { token: attacker, body: '{"title":"flood"}' }]),
  }[name];
  const stop = start();
  await new Promise((resolve) => parentPort.once('message', resolve));
  parentPort.postMessage(await stop());
  parentPort.close();
}

/** Requests on CONNECTIONS keep-alive connections, each sent as soon as the last is answered. */
function httpFlood(port, make) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const statuses = new Map();
  let running = true;
  const loops = Array.from({ length: CONNECTIONS }, async () => {
    while (running) {
      const [method, path, options] = make();
      const { status } = await call(port, agent, method, path, options);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    agent.destroy();
    return { summary: tally(statuses), requests: [...statuses.values()].reduce((a, b) => a + b, 0) };
  };
}

/** CONNECTIONS raw connections, each doing `behave(socket)`, reopened whenever the server closes one. */
function socketFlood(port, behave) {
  let running = true;
  let closedByServer = 0;
  const sockets = new Set();
  const open = () => {
    const socket = connect(port, '127.0.0.1');
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('connect', () => behave(socket));
    socket.on('close', () => {
      sockets.delete(socket);
      if (!running) return;
      closedByServer++;
      setTimeout(open, 10);
    });
  };
  for (let i = 0; i < CONNECTIONS; i++) open();
  return () => {
    running = false;
    for (const socket of sockets) socket.destroy();
    return Promise.resolve({ summary: `${closedByServer} connections closed by the server`, requests: 0 });
  };
}

/** One HTTP exchange: its status (or error code) and milliseconds. */
function call(port, agent, method, path, { token, body } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json' });
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, ms: performance.now() - started, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', (error) => resolve({ status: error.code ?? 'error', ms: performance.now() - started, text: '' }));
    req.end(body);
  });
}

async function register(port, agent, name) {
  const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const answer = await call(port, agent, 'POST', '/api/auth/register', {
    body: JSON.stringify({ email, password: PASSWORD, name }),
  });
  if (answer.status !== 201) throw new Error(`register: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text).data.tokens.accessToken;
}

function portOf(child) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const match = /Listening on http:\/\/localhost:(\d+)/.exec(seen);
      if (!match) return;
      child.stdout.off('data', onData);
      child.stdout.resume(); // the access log keeps coming: read and dropped
      resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the service exited (${code}):\n${seen}`)));
  });
}

/** User and system CPU time of a process so far, in ms (Linux: clock ticks of 10 ms in /proc). */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function tally(counts) {
  return [...counts].map(([status, count]) => `${count}× ${status}`).join(', ');
}
