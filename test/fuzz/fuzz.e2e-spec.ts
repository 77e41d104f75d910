import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { FUZZ_CLASSES, runsPerClass } from './classes.js';
import { fuzzClass } from './run-class.js';
import { FuzzTarget, type Engine } from './target.js';
import { ensureBuilt } from '../helpers/built-service.js';

/**
 * Hostile requests, generated, against the built service on both engines (docs/TESTING.md). In CI a
 * fixed budget with a fixed seed: a red build then means the code changed, not the dice; new
 * seeds are explored with `npm run fuzz`, which picks a random one and prints it. FUZZ_COUNT,
 * FUZZ_SEED, FUZZ_ENGINES, FUZZ_CLASS, FUZZ_PATH, FUZZ_SURVEY, FUZZ_FOCUS and FUZZ_PROGRESS
 * (set by scripts/fuzz.mjs) override.
 */
const TOTAL = Number(process.env.FUZZ_COUNT ?? 1200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const ENGINES = (process.env.FUZZ_ENGINES ?? 'postgres,embedded').split(',') as Engine[];
const ONLY = process.env.FUZZ_CLASS;
const PATH = process.env.FUZZ_PATH;
const BATCH = Number(process.env.FUZZ_BATCH ?? 100);
const FOCUS = process.env.FUZZ_FOCUS;
const survey = process.env.FUZZ_SURVEY ? new Map<string, { count: number; example: string }>() : undefined;

const classes = FUZZ_CLASSES.filter(({ fuzz }) => !ONLY || fuzz.name === ONLY);
const runs = runsPerClass(TOTAL);
const budgetFor = (name: string) => (ONLY ? TOTAL : (runs.get(name) ?? 0));

describe.each(ENGINES)('fuzz: hostile requests on %s (e2e, built service)', (engine) => {
  let target: FuzzTarget;

  beforeAll(async () => {
    ensureBuilt();
    target = await FuzzTarget.start(engine);
  }, 120_000);
  afterAll(async () => {
    await target?.dispose();
    if (survey) {
      const lines = [...survey].map(
        ([rule, { count, example }]) => `${count}× ${rule}\n    ${example.replaceAll('\n', '\n    ')}`,
      );
      console.log(`fuzz survey on ${engine} (seed ${SEED}): ${survey.size} rules broken\n${lines.join('\n')}`);
      survey.clear();
    }
  });

  it.each(classes.map(({ fuzz }) => ({ name: fuzz.name, fuzz })))(
    '$name: every answer keeps the contract',
    async ({ name, fuzz }) => {
      const runs = budgetFor(name);
      // Long runs (npm run fuzz) say how far they are: straight to stderr, past Jest's console buffering.
      const progress = process.env.FUZZ_PROGRESS
        ? (done: number) => {
            if (done % 1000 === 0 || done === runs)
              process.stderr.write(`fuzz ${engine} ${name}: ${done}/${runs} ${new Date().toISOString()}\n`);
          }
        : undefined;
      await fuzzClass(fuzz, target, { runs, seed: SEED, batch: BATCH, path: PATH, survey, focus: FOCUS, progress });
    },
    // Generous: a failure is shrunk, and shrinking may restart the service many times.
    Math.max(600_000, budgetFor(classes[0]?.fuzz.name ?? '') * 500),
  );
});
