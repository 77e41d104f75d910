import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { envValidationSchema } from '../../src/config/env.validation.js';

/**
 * No Docker engine runs here: these files are kept honest by reading them.
 * What the compose file and the image rely on must match what the service reads.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Variables documented in .env.example, set or commented out (`# NAME=`). */
function documentedVariables(): Set<string> {
  return new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
}

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const compose = parse(text) as { services: Record<string, any>; volumes: Record<string, unknown> };
  const { api, db } = compose.services;

  it('interpolates only variables documented in .env.example', () => {
    const interpolated = [...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]);
    expect(interpolated.length).toBeGreaterThan(0);
    const documented = documentedVariables();
    expect(interpolated.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('gives the api only variables the service reads', () => {
    const known = Object.keys(envValidationSchema.describe().keys ?? {});
    expect(Object.keys(api.environment).filter((name) => !known.includes(name))).toEqual([]);
  });

  it('takes secrets from an env file and requires the database password', () => {
    expect([api.env_file].flat()).toContain('.env');
    expect(db.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(text).not.toMatch(/JWT_SECRET:/); // never written in the file itself
  });

  it('keeps PostgreSQL data in a named volume, checks its health, and starts the api after it', () => {
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(db.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    expect(compose.services.pgbouncer.depends_on.db.condition).toBe('service_healthy');
    expect(Object.keys(api.depends_on)).toEqual(expect.arrayContaining(['pgbouncer', 'redis']));
  });

  it('runs the api in production, migrating at start, with a readiness healthcheck', () => {
    expect(api.environment).toMatchObject({ NODE_ENV: 'production', DB_MIGRATIONS_RUN: 'true' });
    expect(api.healthcheck.test.join(' ')).toMatch(/\/health\/ready/);
  });

  it('reaches PostgreSQL through PgBouncer in transaction mode, the password outside the URL', () => {
    const url = new URL(api.environment.DATABASE_URL as string);
    expect(url.host).toBe('pgbouncer:5432');
    expect(url.password).toBe(''); // a password with / @ : # would break a URL; PGPASSWORD takes it as it is
    expect(api.environment.PGPASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(api.environment.DB_POOL_MODE).toBe('transaction');
    expect(compose.services.pgbouncer.environment.POOL_MODE).toBe('transaction');
  });

  it('shares state in Redis and balances several replicas on readiness, draining before they stop', () => {
    expect(api.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(compose.services.redis).toBeDefined();
    expect(api.ports).toBeUndefined(); // replicas are reached through the proxy only
    expect(Number(api.environment.SHUTDOWN_DRAIN_DELAY_MS)).toBeGreaterThan(4000); // > inter 2s x fall 2
    const haproxy = read('deploy/haproxy.cfg');
    expect(haproxy).toMatch(/balance roundrobin/);
    expect(haproxy).toMatch(/option httpchk GET \/health\/ready/);
    expect(haproxy).toMatch(/inter 2s fall 2/);
    expect(compose.services.proxy.volumes.join(' ')).toMatch(/deploy\/haproxy\.cfg/);
  });
});

describe('.env.example', () => {
  it('documents every variable the service validates', () => {
    const documented = documentedVariables();
    const known = Object.keys(envValidationSchema.describe().keys ?? {});
    expect(known.filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;
  const instructions = (stage: string) => stage.replace(/^\s*#.*$/gm, '');

  it('is multi-stage on Node 24', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:24/);
  });

  it('ships production dependencies only', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const copiedModules = runtime.match(/COPY --from=(\w+) \/app\/node_modules/);
    expect(copiedModules).not.toBeNull();
    expect(stages.find((stage) => stage.includes(`AS ${copiedModules![1]}`))).toMatch(/--omit=dev/);
  });

  it('runs as a non-root user, node itself as PID 1, with a readiness healthcheck that needs no curl', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD ['));
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", ".*\/health\/ready/m);
    expect(instructions(runtime)).not.toMatch(/curl|wget/);
  });

  it('keeps secrets and local artefacts out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.env', 'data']) expect(ignored).toContain(entry);
  });
});
