import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** The repository root (npm runs Jest there). */
export const ROOT = process.cwd();
export const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** What `nest build` compiles; if any of it is newer than the output, the output is stale. */
const BUILD_INPUTS = [
  'src',
  'migrations',
  'nest-cli.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
];
const BUILD_OUTPUT = join(ROOT, 'dist', 'src', 'generate-openapi.js');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A directory's own mtime changes when a file is added or removed.
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(BUILD_OUTPUT).mtimeMs;
  } catch {
    return true;
  }
  return BUILD_INPUTS.some((input) => newestMtime(join(ROOT, input)) > built);
}

/**
 * The Swagger CLI plugin only runs in `nest build` (not under ts-jest), so the
 * OpenAPI checks use the built application: build it unless `dist` is current.
 */
export async function ensureBuilt(): Promise<void> {
  if (isStale()) await run('npm', ['run', 'build'], { cwd: ROOT });
}
