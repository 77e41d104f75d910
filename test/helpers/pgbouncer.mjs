// Plain JavaScript: the Jest global setup (test/global-setup.mjs) starts one too.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freePort } from './free-port.mjs';

/**
 * A real PgBouncer (Debian's `pgbouncer`) in front of the PostgreSQL server
 * of `serverUrl`, in transaction mode unless told otherwise; every database
 * of that server is reachable through it under its own name. PgBouncer
 * refuses to run as root: as root it runs with `-u postgres`, its files
 * readable by that user.
 */
export async function startPgBouncer(serverUrl, poolMode = 'transaction') {
  const target = new URL(serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'taskwell-pgbouncer-'));
  chmodSync(dir, 0o755);
  const users = join(dir, 'users.txt');
  // auth_type = trust still needs the file, naming each user that may connect.
  writeFileSync(users, `"${decodeURIComponent(target.username) || 'postgres'}" ""\n`, { mode: 0o644 });
  const config = join(dir, 'pgbouncer.ini');
  const settings = [
    '[databases]',
    `* = host=${target.hostname} port=${target.port || 5432}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${users}`,
    `pool_mode = ${poolMode}`,
    'max_client_conn = 1000',
    'default_pool_size = 20',
    'log_connections = 0',
    'log_disconnections = 0',
  ];
  writeFileSync(config, `${settings.join('\n')}\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child = spawn('pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(String(chunk)));
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    if (await accepts(port)) {
      return {
        port,
        stop,
        /** The same database URL, through PgBouncer. */
        rewrite(databaseUrl) {
          const url = new URL(databaseUrl);
          url.hostname = '127.0.0.1';
          url.port = String(port);
          return url.toString();
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`pgbouncer did not start:\n${output.join('')}`);
}
