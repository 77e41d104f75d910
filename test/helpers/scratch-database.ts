import pg from 'pg';

/**
 * A database of a test's own on the suite's PostgreSQL server, dropped and
 * created empty: named TEST_SCRATCH_DB_PREFIX (default: the test database's
 * name and `_`) followed by `suffix`. `drop()` removes it.
 */
export async function scratchDatabase(suffix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `${process.env.TEST_SCRATCH_DB_PREFIX ?? `${base.pathname.slice(1)}_`}${suffix}`;
  if (!/^\w+$/.test(name)) throw new Error(`unusual scratch database name: ${name}`);
  const admin = async (sql: string) => {
    const client = new pg.Client({
      connectionString: Object.assign(new URL(base), { pathname: '/postgres' }).toString(),
    });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  return {
    url: Object.assign(new URL(base), { pathname: `/${name}` }).toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
