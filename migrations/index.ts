import { InitialSchema1763770000000 } from './1763770000000-InitialSchema.js';
import { TaskListIndexes1763800000000 } from './1763800000000-TaskListIndexes.js';

/**
 * Every migration, in order. Listed, not globbed: TypeORM loads globbed files
 * with a dynamic `import()` that Jest's ESM runtime fails on from the second
 * e2e file of a run onwards ("reading 'identifier'").
 */
export const MIGRATIONS = [InitialSchema1763770000000, TaskListIndexes1763800000000];
