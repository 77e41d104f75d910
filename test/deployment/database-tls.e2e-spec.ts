import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { postJson } from '../helpers/http.js';
import { TlsCluster } from '../helpers/tls-cluster.js';
import { describeWhen } from '../helpers/describe-when.js';

/** pg_createcluster writes under /etc/postgresql and /var/lib/postgresql: root only (as CI runs). */
const asRoot = describeWhen(process.getuid?.() === 0, 'root (pg_createcluster, as CI runs)');

/**
 * TLS to PostgreSQL from DATABASE_URL alone, against a throwaway cluster that
 * accepts TLS connections only, with a certificate signed by a CA the test made.
 */
asRoot('TLS to PostgreSQL (e2e, built service)', () => {
  let cluster: TlsCluster;

  beforeAll(async () => {
    ensureBuilt();
    cluster = await TlsCluster.create();
  }, 90_000);
  afterAll(async () => {
    await cluster?.drop();
  });

  async function boot(databaseUrl: string): Promise<BuiltService> {
    return BuiltService.start({ ...BASE_ENV, DATABASE_URL: databaseUrl, DB_POOL_MODE: 'session' });
  }

  async function refusal(databaseUrl: string): Promise<string> {
    const service = BuiltService.spawn({
      ...BASE_ENV,
      DATABASE_URL: databaseUrl,
      DB_POOL_MODE: 'session',
      // Not retried at all; if it were, the test would still end.
      DB_BOOT_RETRY_SECONDS: '5',
    });
    try {
      expect(await service.exited).toEqual({ code: 1, signal: null });
      return String(service.logs().find((line) => line.level === 60)?.msg);
    } finally {
      await service.dispose();
    }
  }

  it.each(['verify-full', 'require'])(
    'boots and serves with sslmode=%s and the right CA file',
    async (mode) => {
      const service = await boot(cluster.url(`sslmode=${mode}&sslrootcert=${cluster.caFile}`));
      try {
        const registered = await postJson(`${service.baseUrl}/api/auth/register`, {
          email: uniqueEmail(),
          password: GOOD_PASSWORD,
        });
        expect(registered.status).toBe(201);
      } finally {
        await service.dispose();
      }
    },
    60_000,
  );

  it('stops the boot when the certificate is signed by another CA, saying so', async () => {
    const message = await refusal(cluster.url(`sslmode=verify-full&sslrootcert=${cluster.wrongCaFile}`));
    expect(message).toMatch(/TLS to PostgreSQL failed: the server's certificate was not accepted/);
    expect(message).toMatch(/sslrootcert/);
  }, 60_000);

  it('stops the boot when the host name is not the certificate’s', async () => {
    // 127.1 is 127.0.0.1 written another way: the same server, a name the certificate does not hold.
    const url = cluster.url(`sslmode=verify-full&sslrootcert=${cluster.caFile}`).replace('127.0.0.1', '127.1');
    expect(await refusal(url)).toMatch(/TLS to PostgreSQL failed: the server's certificate was not accepted/);
  }, 60_000);

  it('stops the boot when the server has no TLS, saying so', async () => {
    const plain = new URL(process.env.E2E_DATABASE_URL!);
    plain.searchParams.set('sslmode', 'verify-full');
    plain.searchParams.set('sslrootcert', cluster.caFile);
    expect(await refusal(plain.toString())).toMatch(/the server does not support TLS connections/);
  }, 60_000);
});
