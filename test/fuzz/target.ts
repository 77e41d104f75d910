import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { BASE_ENV, BuiltService } from '../helpers/built-service.js';
import { GOOD_PASSWORD } from '../helpers/fixtures.js';
import { LIFTED_LIMITS } from '../helpers/lifted-limits.js';
import { harnessJson } from './harness-request.js';
import { send } from './http-client.js';
import { ListScene } from './list-scene.js';

export type Engine = 'postgres' | 'embedded';

/** Access tokens live 15 minutes: a long run signs in afresh well before that. */
const TOKEN_REUSE_MS = 10 * 60_000;

export interface Account {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Tokens that must be refused: kept from accounts and sessions that ended during setup. */
interface DeadTokens {
  deletedUser: string;
  endedSession: string;
}

/**
 * The built service under attack, and the people in it: an attacker (whose token the fuzzer
 * uses, and who may delete their own account or change their password mid-run), and a victim
 * whose data must come through every batch unchanged.
 */
export class FuzzTarget {
  /** Times the service had to be started again because it died. */
  restarts = 0;
  private attackerAccount?: Account;
  private attackerSince = 0;
  private victimSince = 0;
  private ownTask?: string;
  private victimSnapshot: unknown;
  private scene?: Promise<ListScene>;
  victim!: Account & { taskIds: string[] };
  dead!: DeadTokens;

  private service!: BuiltService;

  private constructor(
    readonly engine: Engine,
    private readonly env: Record<string, string>,
    private readonly dataDir?: string,
  ) {}

  static async start(engine: Engine): Promise<FuzzTarget> {
    const dataDir = engine === 'embedded' ? mkdtempSync(join(tmpdir(), 'taskwell-fuzz-')) : undefined;
    const env: Record<string, string> = {
      ...BASE_ENV,
      CORS_ORIGINS: 'https://app.example.com',
      ...LIFTED_LIMITS,
      // The BOLA class attacks the webhook routes too; its endpoint's documentation address is refused at once.
      WEBHOOKS_ENABLED: 'true',
      WEBHOOKS_SECRET_KEY: 'fuzz-webhook-secret-key-that-is-long-enough-0123456789',
      WEBHOOKS_POLL_MS: '100',
      ...(dataDir
        ? { DATA_DIR: dataDir }
        : { DATABASE_URL: process.env.E2E_DATABASE_URL!, DB_POOL_SIZE: process.env.E2E_DB_POOL_SIZE ?? '4' }),
    };
    const target = new FuzzTarget(engine, env, dataDir);
    target.watch(await BuiltService.start(env, 60_000));
    await target.setUpPeople();
    return target;
  }

  get baseUrl(): string {
    return this.service.baseUrl;
  }

  /** The service's output, for a failure report. */
  recentOutput(lines = 20): string {
    return this.service.output.slice(-lines).join('\n');
  }

  async dispose(): Promise<void> {
    await this.service.dispose();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /**
   * True when the process has exited (a request killed it). A request that lost its connection
   * asks just after the loss; the exit event may trail it by a moment, hence the short wait then.
   */
  async hasDied(settleMs = 0): Promise<boolean> {
    if (!this.exited && settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return this.exited;
  }

  /** Starts the service again after it died, so shrinking can go on; the run has already failed. */
  async reviveIfDead(): Promise<void> {
    if (!this.exited) return;
    this.restarts += 1;
    this.watch(await BuiltService.start(this.env, 60_000));
  }

  private exited = false;

  private watch(service: BuiltService): void {
    this.service = service;
    this.exited = false;
    void service.exited.then(() => {
      if (this.service === service) this.exited = true;
    });
  }

  async attacker(): Promise<Account> {
    if (this.attackerAccount && Date.now() - this.attackerSince > TOKEN_REUSE_MS) this.forgetAttacker();
    if (!this.attackerAccount) {
      this.attackerAccount = await this.register('attacker');
      this.attackerSince = Date.now();
    }
    return this.attackerAccount;
  }

  /** After the attacker's account or sessions ended (a 2xx on such a route): sign up a new one. */
  forgetAttacker(): void {
    this.attackerAccount = undefined;
    this.ownTask = undefined;
  }

  /** One of the attacker's tasks that exists now. */
  async ownTaskId(): Promise<string> {
    if (this.ownTask) return this.ownTask;
    const attacker = await this.attacker();
    const created = await this.json('POST', '/api/tasks', attacker.accessToken, { title: 'Mine to attack' });
    this.ownTask = (created as { data: { id: string } }).data.id;
    return this.ownTask;
  }

  forgetOwnTask(): void {
    this.ownTask = undefined;
  }

  /** The shared lists the BOLA class attacks, set up on first use. */
  listScene(): Promise<ListScene> {
    this.scene ??= ListScene.build(() => this.baseUrl);
    return this.scene;
  }

  /** Between batches: the process answers, and the victim's data (and lists, once set up) is exactly as it was. */
  async checkInvariants(): Promise<void> {
    if (await this.hasDied()) throw new Error(`the service died:\n${this.recentOutput()}`);
    const live = await send(this.baseUrl, 'GET', '/health/live', {});
    if (live.status !== 200) throw new Error(`GET /health/live answered ${live.status}`);
    const now = await this.victimView();
    if (!isDeepStrictEqual(now, this.victimSnapshot))
      throw new Error(
        `the victim's data changed:\nbefore ${JSON.stringify(this.victimSnapshot)}\nafter  ${JSON.stringify(now)}`,
      );
    if (this.scene) await (await this.scene).checkUnchanged();
  }

  private async setUpPeople(): Promise<void> {
    const victim = await this.register('victim');
    const taskIds: string[] = [];
    for (const body of [
      { title: 'Victim secret plan', description: 'not yours', tags: ['private'] },
      { title: 'Victim done', completed: true, priority: 'high', dueAt: '2030-01-01T00:00:00.000Z' },
      { title: 'Victim third' },
    ]) {
      const created = await this.json('POST', '/api/tasks', victim.accessToken, body);
      taskIds.push((created as { data: { id: string } }).data.id);
    }
    this.victim = { ...victim, taskIds };
    this.victimSince = Date.now();
    this.victimSnapshot = await this.victimView();

    const deleted = await this.register('deleted');
    await this.json('DELETE', '/api/users/me', deleted.accessToken);
    const ended = await this.register('ended');
    await this.json('POST', '/api/auth/logout', undefined, { refreshToken: ended.refreshToken });
    this.dead = { deletedUser: deleted.accessToken, endedSession: ended.accessToken };
  }

  private async victimView(): Promise<unknown> {
    if (Date.now() - this.victimSince > TOKEN_REUSE_MS) {
      const body = (await this.json('POST', '/api/auth/login', undefined, {
        email: this.victim.email,
        password: GOOD_PASSWORD,
      })) as { data: { tokens: { accessToken: string } } };
      this.victim.accessToken = body.data.tokens.accessToken;
      this.victimSince = Date.now();
    }
    const token = this.victim.accessToken;
    return {
      me: await this.json('GET', '/api/users/me', token),
      tasks: await this.json('GET', '/api/tasks?limit=100', token),
    };
  }

  private async register(prefix: string): Promise<Account> {
    const email = `${prefix}-${randomUUID()}@example.com`;
    const body = (await this.json('POST', '/api/auth/register', undefined, { email, password: GOOD_PASSWORD })) as {
      data: { user: { id: string }; tokens: { accessToken: string; refreshToken: string } };
    };
    return { id: body.data.user.id, email, ...body.data.tokens };
  }

  /** A request of the harness itself, which must succeed. */
  private json(method: string, path: string, token?: string, body?: unknown): Promise<unknown> {
    return harnessJson(this.baseUrl, method, path, token, body);
  }
}
