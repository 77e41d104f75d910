import { registerAs } from '@nestjs/config';

const DAY_SECONDS = 86_400;

export const authConfig = registerAs('auth', () => ({
  /** A session unused this long ends (each refresh restarts the clock). */
  sessionIdleTtlSeconds: Number(process.env.SESSION_IDLE_TTL_DAYS ?? 30) * DAY_SECONDS,
  /** No session outlives this, however often it is refreshed. */
  sessionAbsoluteTtlSeconds: Number(process.env.SESSION_ABSOLUTE_TTL_DAYS ?? 90) * DAY_SECONDS,
}));
