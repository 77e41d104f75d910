import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__TEST_PGBOUNCER__?.stop();
  const embedded = globalThis.__EMBEDDED_TEST_DB__;
  if (!embedded) return;
  await embedded.server.stop();
  await embedded.db.close();
  rmSync(embedded.dataDir, { recursive: true, force: true });
}
