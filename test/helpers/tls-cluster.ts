import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.mjs';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster (Debian's pg_createcluster) with `ssl = on`
 * and a certificate for localhost / 127.0.0.1 signed by a CA made here, next
 * to a second CA that signed nothing. The shared server is left alone; the
 * cluster and its files are removed by `drop()`. Needs root (as CI runs).
 */
export class TlsCluster {
  private constructor(
    readonly name: string,
    readonly version: string,
    readonly port: number,
    readonly dir: string,
  ) {}

  /** The CA that signed the server certificate, and one that did not. */
  get caFile(): string {
    return join(this.dir, 'ca.crt');
  }

  get wrongCaFile(): string {
    return join(this.dir, 'other-ca.crt');
  }

  url(query: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres?${query}`;
  }

  static async create(): Promise<TlsCluster> {
    const version = readdirSync('/usr/lib/postgresql').sort().at(-1)!;
    // TEST_CLUSTER_PREFIX: a machine shared by several runs gives each its own cluster names.
    const name = `${process.env.TEST_CLUSTER_PREFIX ?? 'taskwelltls'}${process.pid}${Date.now().toString(36)}`;
    // The server (user postgres) must read what is made here: under the usual umask, whatever an earlier
    // test of this process set (the embedded engine keeps its files private with a umask of 077).
    const umask = process.umask(0o022);
    try {
      return await TlsCluster.make(version, name);
    } finally {
      process.umask(umask);
    }
  }

  private static async make(version: string, name: string): Promise<TlsCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'taskwell-tls-'));
    chmodSync(dir, 0o755); // the server (user postgres) reads its certificate here
    const cluster = new TlsCluster(name, version, await freePort(), dir);
    try {
      await cluster.makeCertificates();
      await run('pg_createcluster', ['-p', String(cluster.port), version, name, '--', '--auth=trust']);
      // TLS connections only, so a connection that works is a TLS one.
      writeFileSync(
        `/etc/postgresql/${version}/${name}/pg_hba.conf`,
        'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n',
      );
      writeFileSync(
        `/etc/postgresql/${version}/${name}/conf.d/tls.conf`,
        `ssl = on\nssl_cert_file = '${join(dir, 'server.crt')}'\nssl_key_file = '${join(dir, 'server.key')}'\n`,
      );
      await run('pg_ctlcluster', [version, name, 'start']);
      return cluster;
    } catch (error) {
      await cluster.drop();
      throw error;
    }
  }

  async drop(): Promise<void> {
    await run('pg_dropcluster', ['--stop', this.version, this.name]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async makeCertificates(): Promise<void> {
    const at = (file: string) => join(this.dir, file);
    const openssl = (...args: string[]) => run('openssl', args, { cwd: this.dir });
    for (const ca of ['ca', 'other-ca']) {
      await openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=taskwell test ${ca}`,
        '-keyout',
        at(`${ca}.key`),
        '-out',
        at(`${ca}.crt`),
      );
    }
    await openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
    );
    writeFileSync(at('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    await openssl(
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      at('server.ext'),
      '-out',
      at('server.crt'),
    );
    // PostgreSQL refuses a key that others can read, or that is not its own.
    const { stdout } = await run('id', ['-u', 'postgres']);
    chownSync(at('server.key'), Number(stdout.trim()), -1);
    chmodSync(at('server.key'), 0o600);
  }
}
