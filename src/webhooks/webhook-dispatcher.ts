import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ChangeSignals } from '../changes/change-signals.js';
import { webhooksConfig } from '../config/webhooks.config.js';
import {
  type ChangeRow,
  type ClaimedDelivery,
  DeliveryQueueRepository,
  type EndpointRow,
  type NewDelivery,
  type Settlement,
} from './delivery-queue.repository.js';
import { SecretBox } from './secret-box.js';
import { eventBody } from './webhook-payload.js';
import { type AttemptResult, WebhookSender } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';

/** Changes turned into deliveries per list and transaction. */
const FOLLOW_BATCH = 200;
/** Lists looked at per pass. */
const LISTS_PER_PASS = 50;
/** How long a shutdown waits for attempts in flight (the leases cover the rest). */
const SHUTDOWN_WAIT_MS = 3000;
/**
 * After a change signal, how long to gather others before one look: a pass costs round trips
 * whatever it finds, so the changes of many writes share it (the lag it adds is this at most).
 */
const SIGNAL_WINDOW_MS = 150;
/** Beyond the attempt's time-out, before a lost attempt is due again. */
const LEASE_MARGIN_MS = 10_000;

/**
 * Every instance runs one: it follows the change log of the lists that have
 * endpoints (each committed change, never passing one, becomes a delivery per
 * subscribed endpoint) and sends the due deliveries, at most
 * WEBHOOKS_CONCURRENCY at once, off the request path. Instances share the
 * work through row locks (`SKIP LOCKED`) and leases, not through sessions:
 * PgBouncer in transaction mode keeps none.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly leaseMs: number;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  /** Whether the next pass reads the change log too (a signal or the poll), or only claims (an attempt ended). */
  private follows = false;
  private stopped = false;
  /** The last claim may have left due deliveries for want of slots: an attempt that ends looks again. */
  private backlog = false;
  private readonly inFlight = new Set<Promise<void>>();
  private stopListening?: () => void;
  private soonTimer?: NodeJS.Timeout;

  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    private readonly queue: DeliveryQueueRepository,
    private readonly sender: WebhookSender,
    private readonly secrets: SecretBox,
    private readonly signals: ChangeSignals,
  ) {
    this.leaseMs = config.timeoutMs + LEASE_MARGIN_MS;
  }

  onApplicationBootstrap(): void {
    if (!this.config.enabled) return;
    this.timer = setInterval(() => this.wake(), this.config.pollMs);
    this.timer.unref();
    this.stopListening = this.signals.listen({ signalled: () => this.soon(), resync: () => this.soon() });
    this.wake();
  }

  /**
   * A list advanced (here or, through Redis, elsewhere), after its writer
   * committed. Signals fold together: one look SIGNAL_WINDOW_MS after the
   * first, whatever their number (a pass under way then looks once more);
   * the poll catches a lost one.
   */
  private soon(): void {
    if (this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.wake();
    }, SIGNAL_WINDOW_MS);
    this.soonTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soonTimer);
    this.stopListening?.();
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (wait = setTimeout(resolve, SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(wait);
  }

  /**
   * Look for work now: new changes and due deliveries (a change was recorded,
   * the poll came round), or with `claimOnly` only due deliveries (an attempt ended).
   */
  wake(claimOnly = false): void {
    if (this.stopped || !this.config.enabled) return;
    if (!claimOnly) this.follows = true;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass().finally(() => (this.running = false));
  }

  private async pass(): Promise<void> {
    try {
      do {
        this.again = false;
        if (this.follows) {
          this.follows = false;
          await this.follow();
        }
        await this.claim();
      } while (this.again && !this.stopped);
    } catch (error) {
      // The database away, say: the next poll tries again.
      this.logger.warn(`Webhook pass failed: ${(error as Error).message}`);
    }
  }

  /** Changes after each list's cursor become deliveries. */
  private async follow(): Promise<void> {
    for (const listId of await this.queue.listsWithNewChanges(LISTS_PER_PASS)) {
      if (this.stopped) return;
      const followed = await this.queue.followList(listId, FOLLOW_BATCH, (changes, endpoints) =>
        fanOut(listId, changes, endpoints),
      );
      if (followed === FOLLOW_BATCH) this.wake();
    }
  }

  /**
   * Due deliveries, as many as there are free slots, shared evenly among the
   * lists that wait longest: one statement per list, whatever it takes.
   */
  private async claim(): Promise<void> {
    let free = this.config.concurrency - this.inFlight.size;
    if (free <= 0) {
      this.backlog = true;
      return;
    }
    const wanted = Math.min(LISTS_PER_PASS, free);
    const lists = await this.queue.listsWithDueDeliveries(wanted);
    const share = Math.ceil(free / Math.max(1, lists.length));
    // More may be due: lists beyond those asked for, or rows beyond a list's share.
    let more = lists.length === wanted;
    for (const listId of lists) {
      if (this.stopped) return;
      if (free <= 0) {
        more = true;
        break;
      }
      const limit = Math.min(share, free);
      const claimed = await this.queue.claim(listId, limit, this.leaseMs);
      free -= claimed.length;
      more ||= claimed.length === limit;
      for (const delivery of claimed) this.launch(delivery);
    }
    this.backlog = more;
    if (more && free > 0) this.again = true;
  }

  private launch(delivery: ClaimedDelivery): void {
    const attempt = this.attempt(delivery)
      .catch((error: Error) => this.logger.warn(`Webhook delivery ${delivery.id} not settled: ${error.message}`))
      .finally(() => {
        this.inFlight.delete(attempt);
        // Only work left waiting for a slot needs a claim now (a retry falls due on the poll). Claims come
        // in batches: once half the slots are free (or none is busy), not for every slot.
        if (this.backlog && this.inFlight.size <= this.config.concurrency / 2) this.wake(true);
      });
    this.inFlight.add(attempt);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const secrets = this.signingSecrets(delivery);
    if (secrets === undefined) {
      // Counted as a failed attempt, on its schedule: another instance (with the right key) may sign it.
      const error = 'The signing secret cannot be read here (is WEBHOOKS_SECRET_KEY the same on every instance?)';
      this.logger.error(`Webhook delivery ${delivery.id}: ${error}`);
      await this.queue.settle(delivery, this.settlement(delivery, { outcome: 'error', error }));
      return;
    }
    // Signed afresh for each attempt: receivers refuse old timestamps.
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await this.sender.send({
      url: delivery.url,
      body: delivery.payload,
      headers: {
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, delivery.eventId, timestamp, delivery.payload),
        'user-agent': 'Taskwell-Webhooks/1',
      },
    });
    await this.queue.settle(delivery, this.settlement(delivery, result));
  }

  /** The current secret, and the previous one while a rotation's overlap lasts; undefined if they do not open. */
  private signingSecrets(delivery: ClaimedDelivery): string[] | undefined {
    const bound = `${delivery.listId}:${delivery.webhookId}`;
    try {
      const secrets = [this.secrets.open(delivery.secret, bound)];
      const until = delivery.previousSecretUntil;
      if (delivery.previousSecret && until && Date.parse(until) > Date.now()) {
        secrets.push(this.secrets.open(delivery.previousSecret, bound));
      }
      return secrets;
    } catch {
      return undefined;
    }
  }

  private settlement(delivery: ClaimedDelivery, result: AttemptResult): Settlement {
    if (result.outcome === 'refused') {
      return { status: 'refused', statusCode: null, responseBody: null, error: result.error };
    }
    const statusCode = result.outcome === 'response' ? result.statusCode : null;
    const responseBody = result.outcome === 'response' ? result.body : null;
    const error = result.outcome === 'error' ? result.error : null;
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
      return { status: 'succeeded', statusCode, responseBody, error };
    }
    // 410 Gone: the receiver asks for no more.
    if (statusCode === 410) return { status: 'failed', statusCode, responseBody, error, disable: 'gone' };
    if (delivery.manual) return { status: 'failed', statusCode, responseBody, error };
    const schedule = this.config.retryScheduleMs;
    if (delivery.attempts > schedule.length) {
      return { status: 'failed', statusCode, responseBody, error, disable: 'failing' };
    }
    return { status: 'pending', retryInMs: schedule[delivery.attempts - 1], statusCode, responseBody, error };
  }
}

/** A delivery for each endpoint that chose the change's type and was there before it. */
function fanOut(listId: string, changes: ChangeRow[], endpoints: EndpointRow[]): NewDelivery[] {
  const deliveries: NewDelivery[] = [];
  for (const change of changes) {
    const body = eventBody(listId, change);
    for (const endpoint of endpoints) {
      if (BigInt(change.seq) <= BigInt(endpoint.fromSeq) || !endpoint.events.includes(change.type)) continue;
      deliveries.push({
        webhookId: endpoint.id,
        eventId: change.eventId,
        seq: change.seq,
        type: change.type,
        payload: body,
      });
    }
  }
  return deliveries;
}
