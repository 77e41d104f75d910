import { describe } from '@jest/globals';

/**
 * `describe` when what the tests need is at hand. Otherwise they are skipped under a name that
 * says what they need, and the file's output says it too: a run never skips tests silently.
 */
export function describeWhen(available: boolean, needs: string): (name: string, tests: () => void) => void {
  return (name, tests) => {
    if (available) return describe(name, tests);
    // Straight to stderr: Jest prints no console output for a file whose tests all skip.
    process.stderr.write(`skipped: ${name}: needs ${needs}\n`);
    describe.skip(`${name} (skipped: needs ${needs})`, tests);
  };
}
