import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A file of deploy/ with the given parts replaced: what the tests run is the shipped
 * configuration, with only its addresses, ports and paths (and the health checks' pace) changed.
 * Each pattern must match, so a deploy file that changes shape fails the test instead of going
 * untested.
 */
export function deployConfig(file: string, replacements: [RegExp, string][]): string {
  let text = readFileSync(join(process.cwd(), 'deploy', file), 'utf8');
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(text)) throw new Error(`deploy/${file} no longer has ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  return text;
}
