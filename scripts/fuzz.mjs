// npm run fuzz -- [--count N] [--seed S] [--engine postgres|embedded|both] [--class NAME] [--path P] [--survey] [--focus RULE]
// Runs the fuzz suite (test/fuzz/fuzz.e2e-spec.ts) with a larger budget. Without --seed a random one is
// picked; it is printed first, so a failure can be replayed with the same seed (and fast-check's path).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    engine: { type: 'string', default: 'both' },
    class: { type: 'string' },
    path: { type: 'string' },
    // Diagnosis: list every broken rule instead of stopping at the first; or shrink only failures of one rule.
    survey: { type: 'boolean', default: false },
    focus: { type: 'string' },
  },
});
const seed = values.seed ?? String(randomInt(2 ** 31 - 1));
const engines = values.engine === 'both' ? 'postgres,embedded' : values.engine;
console.log(
  `fuzz: seed ${seed}, ${values.count} runs per engine (${engines})${values.class ? `, class ${values.class}` : ''}`,
);

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--runInBand', '--selectProjects', 'e2e', '--runTestsByPath', 'test/fuzz/fuzz.e2e-spec.ts'],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
      FUZZ_COUNT: values.count,
      FUZZ_SEED: seed,
      FUZZ_ENGINES: engines,
      FUZZ_PROGRESS: '1',
      ...(values.class ? { FUZZ_CLASS: values.class } : {}),
      ...(values.path ? { FUZZ_PATH: values.path } : {}),
      ...(values.survey ? { FUZZ_SURVEY: '1' } : {}),
      ...(values.focus ? { FUZZ_FOCUS: values.focus } : {}),
    },
  },
);
console.log(`fuzz: seed ${seed} ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);
