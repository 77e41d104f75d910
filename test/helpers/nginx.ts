import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployConfig } from './deploy-config.js';
import { freePort } from './free-port.mjs';
import { ProxyProcess } from './proxy-process.js';

/**
 * A real nginx (Debian's /usr/sbin/nginx, with deploy/nginx.conf) in front of service instances,
 * in the foreground as a child of the test, with its files under a temporary prefix.
 */
export class TestNginx extends ProxyProcess {
  static async start(backends: string[]): Promise<TestNginx> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'taskwell-nginx-'));
    const temp = join(dir, 'temp');
    mkdirSync(temp);
    const config = join(dir, 'nginx.conf');
    writeFileSync(
      config,
      deployConfig('nginx.conf', [
        [/^worker_processes auto;$/m, 'worker_processes 1;'],
        [/^ {2}worker_connections 16384;$/m, '  worker_connections 1024;'],
        // Its temporary files under the prefix, not in /var/lib/nginx.
        [
          /^http \{$/m,
          ['proxy', 'client_body', 'fastcgi', 'uwsgi', 'scgi']
            .map((kind) => `  ${kind}_temp_path ${join(temp, kind)};`)
            .reduce((text, line) => `${text}\n${line}`, 'http {'),
        ],
        [
          /^ {4}server api:3000 max_fails=1 fail_timeout=10s;$/m,
          backends.map((backend) => `    server ${new URL(backend).host} max_fails=1 fail_timeout=10s;`).join('\n'),
        ],
        [/^ {4}listen 8080;$/m, `    listen 127.0.0.1:${port};`],
      ]),
    );
    const args = ['-p', dir, '-c', config, '-e', 'stderr', '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`];
    return new TestNginx(await ProxyProcess.launch(dir, 'nginx', '/usr/sbin/nginx', args, port), dir, port);
  }
}
