import type fc from 'fast-check';
import type { FuzzTarget } from './target.js';

/** One class of hostile input: a generator, and how to send what it generates and check the answer. */
export interface FuzzClass<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  run(value: T, target: FuzzTarget): Promise<void>;
}
