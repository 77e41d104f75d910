import { databaseConfig } from './database.config.js';
import { loadOrCreateDevSecret } from './dev-secret.js';
import { jwtSecretFromEnv } from './jwt.config.js';

/**
 * A boot step (main.ts), run once the environment is loaded and validated:
 * without JWT_SECRET (development and test only; production refuses to boot
 * without one), a random secret is created once in the data folder, so tokens
 * survive a restart. Reading the configuration never writes anything.
 */
export function prepareDevSecret(): void {
  if (jwtSecretFromEnv() === undefined) loadOrCreateDevSecret(databaseConfig().dataDir);
}
