import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployConfig } from './deploy-config.js';
import { freePort } from './free-port.mjs';
import { ProxyProcess } from './proxy-process.js';

/** How often HAProxy asks each instance's readiness; two failures in a row take it out. */
export const HEALTH_CHECK_INTERVAL_MS = 300;
/** How long an instance takes at most to leave the rotation once its readiness fails, with room for a slow check. */
export const DROP_AFTER_MS = HEALTH_CHECK_INTERVAL_MS * 2 + 1000;

/**
 * A real load balancer (Debian's HAProxy, with deploy/haproxy.cfg) in front of service instances:
 * round-robin, health-checked on `/health/ready`. A request that could not
 * reach an instance (connection refused: never sent) is sent to another
 * one; a request an instance received is never sent twice, so a write is
 * never repeated behind the client's back.
 */
export class TestHaproxy extends ProxyProcess {
  static async start(backends: string[]): Promise<TestHaproxy> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'taskwell-haproxy-'));
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      deployConfig('haproxy.cfg', [
        [/^ {2}bind :8080$/m, `  bind 127.0.0.1:${port}`],
        // Docker's DNS and its replicas by name: the instances' addresses instead.
        [/^resolvers docker\n( {2}.*\n)+/m, ''],
        [
          /^ {2}default-server check inter 2s fall 2 rise 2 resolvers docker init-addr none$/m,
          // Checked faster, so that tests need not wait; a readiness answer slower than 1 s counts as a failure
          // (the default, the interval, is too tight on a busy machine).
          `  default-server check inter ${HEALTH_CHECK_INTERVAL_MS}ms fall 2 rise 1\n  timeout check 1s`,
        ],
        [
          /^ {2}server-template api 10 api:3000$/m,
          backends.map((backend, index) => `  server api${index} ${new URL(backend).host}`).join('\n'),
        ],
      ]),
    );
    return new TestHaproxy(
      await ProxyProcess.launch(dir, 'haproxy', 'haproxy', ['-db', '-f', config], port),
      dir,
      port,
    );
  }
}
