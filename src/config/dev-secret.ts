import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const FILE_NAME = 'jwt-secret';
const MIN_LENGTH = 32;

export function devSecretFile(dataDir: string): string {
  return resolve(dataDir, FILE_NAME);
}

/** The development secret kept in the data folder, if there is one. */
export function readDevSecret(dataDir: string): string | undefined {
  try {
    const existing = readFileSync(join(dataDir, FILE_NAME), 'utf8').trim();
    return existing.length >= MIN_LENGTH ? existing : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}

/** Development only: a random signing secret, created once and kept (mode 0600) in the data folder. */
export function loadOrCreateDevSecret(dataDir: string): string {
  const existing = readDevSecret(dataDir);
  if (existing !== undefined) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(join(dataDir, FILE_NAME), secret, { mode: 0o600 });
  return secret;
}
