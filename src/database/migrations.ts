import { InitialSchema1763770000000 } from '../../migrations/1763770000000-InitialSchema.js';
import { TaskListIndexes1763800000000 } from '../../migrations/1763800000000-TaskListIndexes.js';
import { GeneratedColumnMetadata1764400000000 } from '../../migrations/1764400000000-GeneratedColumnMetadata.js';
import { IdempotencyKeys1764500000000 } from '../../migrations/1764500000000-IdempotencyKeys.js';
import { UserIdentities1764600000000 } from '../../migrations/1764600000000-UserIdentities.js';
import { DistributeByUser1764700000000 } from '../../migrations/1764700000000-DistributeByUser.js';
import { IdempotencyKeyCounts1764830000000 } from '../../migrations/1764830000000-IdempotencyKeyCounts.js';
import { NormalizeEmails1765100000000 } from '../../migrations/1765100000000-NormalizeEmails.js';
import { SharedLists1765200000000 } from '../../migrations/1765200000000-SharedLists.js';
import { Changes1765300000000 } from '../../migrations/1765300000000-Changes.js';
import { Webhooks1765400000000 } from '../../migrations/1765400000000-Webhooks.js';

/**
 * Every migration, oldest first. Listed, not globbed: TypeORM loads a glob
 * with an eval'd dynamic import, which under Jest's ESM mode resolves through
 * an earlier test file's torn-down environment, so every e2e file after the
 * second one failed to boot. migrations.spec.ts fails when a file in
 * migrations/ is missing here: after `npm run migration:generate`, add the
 * new class.
 */
export const MIGRATIONS = [
  InitialSchema1763770000000,
  TaskListIndexes1763800000000,
  GeneratedColumnMetadata1764400000000,
  IdempotencyKeys1764500000000,
  UserIdentities1764600000000,
  DistributeByUser1764700000000,
  IdempotencyKeyCounts1764830000000,
  NormalizeEmails1765100000000,
  SharedLists1765200000000,
  Changes1765300000000,
  Webhooks1765400000000,
];
