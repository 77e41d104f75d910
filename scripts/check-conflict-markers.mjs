// Fails when a git-tracked file still holds merge-conflict markers: a line that starts with seven
// `<` or `>` and a space, or that is exactly seven `=`. (A Markdown heading underlined with exactly
// seven `=` would match too: underline it with another length.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MARKER = new RegExp(`^(?:${'<'.repeat(7)} |${'='.repeat(7)}\\r?$|${'>'.repeat(7)} )`, 'm');

const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const findings = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed but absent from the work tree (deleted, not yet staged)
  }
  if (text.includes('\u0000')) continue; // binary
  text.split('\n').forEach((line, index) => {
    if (MARKER.test(line)) findings.push(`${file}:${index + 1}: ${line.trimEnd()}`);
  });
}
if (findings.length > 0) {
  console.error(`Merge-conflict markers found:\n${findings.join('\n')}`);
  process.exit(1);
}
console.log(`No merge-conflict markers in ${files.length} tracked files.`);
