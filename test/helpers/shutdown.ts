import { BuiltService, ensureBuilt, type Exit, suiteEnv } from './built-service.js';
import { GOOD_PASSWORD, uniqueEmail } from './fixtures.js';
import { eventually, postJson } from './http.js';

/** The grace period the shutdown specs give the service: each expects it to stop well within it. */
export const GRACE_MS = 5000;

/** The built service on the suite's database, with a grace period of GRACE_MS: SIGTERM is what the specs send it. */
export async function startForShutdown(): Promise<BuiltService> {
  ensureBuilt();
  return BuiltService.start({
    ...suiteEnv(),
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  });
}

/** The access token of a new account. */
export async function newAccountToken(service: BuiltService): Promise<string> {
  const registered = await postJson(`${service.baseUrl}/api/auth/register`, {
    email: uniqueEmail(),
    password: GOOD_PASSWORD,
  });
  return registered.body.data.tokens.accessToken as string;
}

/** Sends SIGTERM, as an orchestrator does in a rolling deploy, and waits until the service logs it; resolves to when it was sent. */
export async function sendSigterm(service: BuiltService): Promise<number> {
  const signalledAt = Date.now();
  service.signal('SIGTERM');
  await eventually(() => service.logs().find((line) => /SIGTERM received/.test(String(line.msg))), 5000, 'SIGTERM log');
  return signalledAt;
}

/** How the service ended after `sendSigterm`: its exit, the time since the signal, and whether it logged a clean stop. */
export async function howItStopped(
  service: BuiltService,
  signalledAt: number,
): Promise<{ exit: Exit; tookMs: number; stoppedCleanly: boolean }> {
  const exit = await service.exited;
  return {
    exit,
    tookMs: Date.now() - signalledAt,
    stoppedCleanly: service.logs().some((line) => line.msg === 'Stopped cleanly'),
  };
}
