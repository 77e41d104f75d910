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

  it('keeps event streams open through either proxy: idle time-outs longer than the 25 s keep-alive', () => {
    const seconds = (value: string) =>
      Number(/^(\d+)(s|m|h)?$/.exec(value)![1]) * { s: 1, m: 60, h: 3600 }[/[smh]$/.exec(value)?.[0] ?? 's']!;
    const haproxy = read('deploy/haproxy.cfg');
    for (const side of ['client', 'server']) {
      expect(seconds(new RegExp(`timeout ${side} (\\w+)`).exec(haproxy)![1])).toBeGreaterThan(25);
    }
    const nginx = read('deploy/nginx.conf');
    const events = /location \/api\/events \{([^}]*)\}/.exec(nginx)![1];
    expect(events).toMatch(/proxy_buffering off;/);
    expect(seconds(/proxy_read_timeout (\w+);/.exec(events)![1])).toBeGreaterThan(25);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    expect(nginx).toMatch(/proxy_set_header Connection "";/);
  });
});

describe('deploy/pgbouncer.ini', () => {
  /** `key = value` lines by section; `;` starts a comment. */
  const sections = new Map<string, Map<string, string>>();
  let section = '';
  for (const line of read('deploy/pgbouncer.ini').split('\n')) {
    const header = /^\[(\w+)\]\s*$/.exec(line);
    const setting = /^(\w+)\s*=\s*(.*?)\s*$/.exec(line);
    if (header) sections.set((section = header[1]), new Map());
    else if (setting) sections.get(section)?.set(setting[1], setting[2]);
  }
  const pgbouncer = sections.get('pgbouncer')!;
  const inCompose = (parse(read('docker-compose.yml')) as { services: Record<string, any> }).services.pgbouncer
    .environment as Record<string, string>;

  it('pools as the compose PgBouncer does: transaction mode, SCRAM, the same client and pool sizes', () => {
    expect(pgbouncer.get('pool_mode')).toBe(inCompose.POOL_MODE);
    expect(pgbouncer.get('auth_type')).toBe(inCompose.AUTH_TYPE);
    expect(pgbouncer.get('max_client_conn')).toBe(inCompose.MAX_CLIENT_CONN);
    expect(pgbouncer.get('default_pool_size')).toBe(inCompose.DEFAULT_POOL_SIZE);
  });

  it('serves the compose database under its own name, on the address docs/DEPLOYMENT.md connects to', () => {
    expect(sections.get('databases')?.get(inCompose.DB_NAME)).toMatch(new RegExp(`dbname=${inCompose.DB_NAME}\\b`));
    const address = `${pgbouncer.get('listen_addr')}:${pgbouncer.get('listen_port')}/${inCompose.DB_NAME}`;
    const guide = read('docs/DEPLOYMENT.md');
    expect(guide).toContain('deploy/pgbouncer.ini');
    expect(guide).toContain(`@${address} `);
    expect(guide).toMatch(new RegExp(`@${address} .*DB_POOL_MODE=transaction`));
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
