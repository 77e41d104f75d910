import { createRequire } from 'node:module';
import type { TransportSingleOptions } from 'pino';

/**
 * Human-readable output for a developer's terminal: only in development, and
 * only when pino-pretty (a devDependency) is installed. Production images do
 * not have it and always log JSON.
 */
export function prettyTransport(env: string): TransportSingleOptions | undefined {
  if (env !== 'development') return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } };
}
