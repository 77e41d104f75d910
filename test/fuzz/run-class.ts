import fc from 'fast-check';
import { ContractViolation } from './contract-rules.js';
import type { FuzzClass } from './fuzz-class.js';
import type { FuzzTarget } from './target.js';

export interface Budget {
  runs: number;
  seed: number;
  /** Runs between two checks that the process lives and the victim's data is unchanged. */
  batch: number;
  /** fast-check's replay path, with the seed of the failing batch. */
  path?: string;
  /**
   * Diagnosis only (`npm run fuzz -- --survey` / `--focus RULE`), never in CI: `survey` records
   * every broken rule and goes on; `focus` fails, and shrinks, only on rules containing this text.
   */
  survey?: Map<string, { count: number; example: string }>;
  focus?: string;
  /** Told after every batch (long runs print progress). */
  progress?: (done: number) => void;
}

/** A seed for each batch: batch 0 uses the given seed, so a printed batch seed replays as `--seed`. */
const batchSeed = (seed: number, batch: number) => (seed + batch) | 0;

/**
 * Runs one class's property in batches against the live service. A failing run is shrunk to a
 * small counterexample (the service is started again if the run killed it), and the error says
 * how to replay it.
 */
export async function fuzzClass(fuzz: FuzzClass, target: FuzzTarget, budget: Budget): Promise<void> {
  for (let batch = 0, done = 0; done < budget.runs; batch += 1) {
    const runs = Math.min(budget.batch, budget.runs - done);
    const seed = batchSeed(budget.seed, batch);
    const replay = `npm run fuzz -- --engine ${target.engine} --class ${fuzz.name} --seed ${seed}`;
    const property = fc.asyncProperty(fuzz.arbitrary, async (value) => {
      await target.reviveIfDead();
      try {
        await fuzz.run(value, target);
      } catch (error) {
        if (!(error instanceof ContractViolation)) throw error;
        if (budget.focus !== undefined && !error.rule.includes(budget.focus)) return;
        if (!budget.survey) throw error;
        const seen = budget.survey.get(error.rule) ?? { count: 0, example: `${fuzz.name}: ${error.message}` };
        seen.count += 1;
        budget.survey.set(error.rule, seen);
      }
    });
    const details = await fc.check(property, { numRuns: runs, seed, path: budget.path, endOnFailure: false });
    if (details.failed) {
      await target.reviveIfDead();
      const path = details.counterexamplePath ?? '';
      const cause =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `${fuzz.name} on ${target.engine}: ${cause}\n${clip(fc.defaultReportMessage(details) ?? '')}\n` +
          `replay: ${replay} --path ${path} --count ${runs}` +
          (target.restarts > 0 ? `\n(the service died and was started again ${target.restarts} times)` : ''),
      );
    }
    try {
      if (budget.survey) await target.reviveIfDead();
      await target.checkInvariants();
    } catch (error) {
      throw new Error(
        `${fuzz.name} on ${target.engine}, after batch seed ${seed} (${replay} --count ${runs}): ${String(error)}`,
        { cause: error },
      );
    }
    done += runs;
    budget.progress?.(done);
  }
}

/** A counterexample can be a 90 kB body: enough of it to read, not all of it. */
function clip(text: string, max = 4000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
