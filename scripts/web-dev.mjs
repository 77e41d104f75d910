// `npm run web`: the web client's dev server, against the local API, with no setup.
// Uses the Taskwell API already running on API_PORT (default 3000; `npm start` in another
// terminal, say), or TASKWELL_API_PROXY when it names one; otherwise builds and starts one (as
// `npm start` does: embedded PostgreSQL under ./data unless DATABASE_URL is set). Installs web/'s
// dependencies when they are missing or older than its lock file, and once the API is ready runs
// Vite on WEB_PORT (default 5173), which passes /api on to the API (one origin, no CORS).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { probeApi, waitUntilReady } from './web-api.mjs';

const root = join(import.meta.dirname, '..');
const web = join(root, 'web');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const children = [];

function runOrExit(args, cwd) {
  const result = spawnSync(npm, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function stopAll(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}

/** One line, no stack: what went wrong and what to do. */
function fail(message) {
  console.error(message);
  stopAll(1);
  process.exit(1);
}

/** Whether to start an API of our own on `apiUrl`'s port: no when a Taskwell API answers there already. */
async function portIsFree(apiUrl) {
  const found = await probeApi(apiUrl);
  if (found === 'other') {
    const { port } = new URL(apiUrl);
    fail(
      `Port ${port} is taken by another program, not a Taskwell API: stop it, or run on another port (API_PORT=3001 npm run web).`,
    );
  }
  if (found === 'taskwell') console.log(`Using the Taskwell API already running on ${apiUrl}.`);
  return found === 'free';
}

let apiUrl = process.env.TASKWELL_API_PROXY;
let startApi = false;
if (!apiUrl) {
  apiUrl = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;
  startApi = await portIsFree(apiUrl);
}

const installed = join(web, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(web, 'package-lock.json')).mtimeMs) {
  runOrExit(['ci', '--no-audit', '--no-fund'], web);
}

let apiGone = false;
if (startApi) runOrExit(['run', 'build'], root);
// Asked again after the build: an `npm start` begun just before may have opened the port since.
if (startApi && (await portIsFree(apiUrl))) {
  const api = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: new URL(apiUrl).port },
  });
  children.push(api);
  api.on('exit', (code) => {
    apiGone = true;
    console.error(`The API exited (${code ?? 'signal'}).`);
    stopAll(code ?? 1);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));

// The dev server opens once the API is ready (its database answers), not merely live: a sign-up in
// the first seconds would otherwise get 503 "The service is starting".
const READY_TIMEOUT_S = 180;
if (
  !(await waitUntilReady(apiUrl, {
    timeoutMs: READY_TIMEOUT_S * 1000,
    gone: () => apiGone || process.exitCode !== undefined,
  }))
) {
  if (!apiGone && process.exitCode === undefined) {
    fail(`The API on ${apiUrl} is not ready after ${READY_TIMEOUT_S} s (GET /health/ready): is its database up?`);
  }
} else {
  const vite = spawn(npm, ['run', 'dev'], {
    cwd: web,
    stdio: 'inherit',
    env: { ...process.env, TASKWELL_API_PROXY: apiUrl },
  });
  children.push(vite);
  vite.on('exit', (code) => stopAll(code ?? 0));
}
