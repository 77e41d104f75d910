import type { FuzzClass } from './fuzz-class.js';
import { bola } from './generators/bola.js';
import { deepNesting } from './generators/deep-nesting.js';
import { duplicateKeys } from './generators/duplicate-keys.js';
import { oddHeaders } from './generators/headers.js';
import { longQuery } from './generators/long-query.js';
import { malformedJson } from './generators/malformed-json.js';
import { hugeNumbers } from './generators/numbers.js';
import { percentEncoding } from './generators/percent-encoding.js';
import { prototypeKeys } from './generators/prototype-keys.js';
import { randomRoutes } from './generators/random-routes.js';
import { rawHttp } from './generators/raw-http.js';
import { badTokens } from './generators/tokens.js';
import { oddUnicode } from './generators/unicode.js';
import { wrongTypes } from './generators/wrong-types.js';

/** Every class of hostile input, with its share of a run's budget (cheap classes get more runs). */
/** Hides a class's value type so that classes of different types share one list. */
function erase<T>(fuzz: FuzzClass<T>): FuzzClass {
  return {
    name: fuzz.name,
    arbitrary: fuzz.arbitrary,
    run: (value, target) => fuzz.run(value as T, target),
  };
}

export const FUZZ_CLASSES: { fuzz: FuzzClass; weight: number }[] = [
  { fuzz: erase(malformedJson), weight: 2 },
  { fuzz: erase(deepNesting), weight: 1 },
  { fuzz: erase(hugeNumbers), weight: 2 },
  { fuzz: erase(duplicateKeys), weight: 2 },
  { fuzz: erase(prototypeKeys), weight: 2 },
  { fuzz: erase(wrongTypes), weight: 3 },
  { fuzz: erase(oddUnicode), weight: 2 },
  { fuzz: erase(longQuery), weight: 1 },
  { fuzz: erase(percentEncoding), weight: 2 },
  { fuzz: erase(randomRoutes), weight: 3 },
  { fuzz: erase(rawHttp), weight: 3 },
  { fuzz: erase(badTokens), weight: 2 },
  { fuzz: erase(bola), weight: 4 },
  { fuzz: erase(oddHeaders), weight: 2 },
];

/** Splits `total` runs among the classes by weight (each gets at least one). */
export function runsPerClass(total: number): Map<string, number> {
  const weights = FUZZ_CLASSES.reduce((sum, { weight }) => sum + weight, 0);
  return new Map(
    FUZZ_CLASSES.map(({ fuzz, weight }) => [fuzz.name, Math.max(1, Math.round((total * weight) / weights))]),
  );
}
