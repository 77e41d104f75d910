import { InitialSchema1763770000000 } from './1763770000000-InitialSchema.js';

/**
 * Every migration, oldest first. Listed rather than globbed: loading them by
 * dynamic import breaks under Jest's ESM runtime, and an explicit list makes a
 * forgotten migration a review question rather than a deployment surprise.
 * After `npm run migration:generate`, add the new class here.
 */
export const migrations = [InitialSchema1763770000000];
