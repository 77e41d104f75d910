// `npm run web`: the web client's dev server, against the local API, with no setup.
// Installs web/'s dependencies when they are missing or older than its lock file,
// builds and starts the API (as `npm start` does: embedded PostgreSQL under ./data unless
// DATABASE_URL is set) on API_PORT (default 3000) unless TASKWELL_API_PROXY names a running one,
// and runs Vite on WEB_PORT (default 5173), which passes /api on to the API (one origin, no CORS).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

const installed = join(web, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(web, 'package-lock.json')).mtimeMs) {
  runOrExit(['ci', '--no-audit', '--no-fund'], web);
}

let apiUrl = process.env.TASKWELL_API_PROXY;
if (!apiUrl) {
  const port = process.env.API_PORT ?? '3000';
  apiUrl = `http://127.0.0.1:${port}`;
  runOrExit(['run', 'build'], root);
  const api = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: port },
  });
  children.push(api);
  api.on('exit', (code) => {
    console.error(`The API exited (${code ?? 'signal'}).`);
    stopAll(code ?? 1);
  });
}

// The dev server opens once the API answers, so the first page load finds it.
for (let waited = 0; waited < 120; waited += 1) {
  const live = await fetch(`${apiUrl}/health/live`).then(
    (response) => response.ok,
    () => false,
  );
  if (live) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const vite = spawn(npm, ['run', 'dev'], {
  cwd: web,
  stdio: 'inherit',
  env: { ...process.env, TASKWELL_API_PROXY: apiUrl },
});
children.push(vite);
vite.on('exit', (code) => stopAll(code ?? 0));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));
