import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { TooManyRequestsException } from '../common/problems/too-many-requests.exception.js';
import { type SessionsEnded, SessionLiveness } from '../common/session-liveness.js';
import { changesConfig } from '../config/changes.config.js';
import type { Memberships } from '../lists/list-access.js';
import type { FeedPosition } from './change-cursor.js';
import { type ListAdvanced, ChangeSignals } from './change-signals.js';
import type { ChangeRow } from './changes.repository.js';
import { ChangesService } from './changes.service.js';

/** A stream told of a change it cannot read yet reads again after these waits, then gives up (the next read finds it). */
const RETRY_DELAYS_MS = [25, 50, 100, 200, 400, 800, 1600, 3200];
/** While Redis is away, every this many sweeps also reads every stream unasked (a signal lost meanwhile). */
const READ_EVERY_SWEEPS = 5;
/** Session checks and reads a sweep keeps in flight at once: a sweep must not take the whole pool. */
const SWEEP_CONCURRENCY = 8;
/** The largest read while skipping ahead after a `pull`. */
const SKIP_PAGE = 500;

/**
 * An open stream. Kept small (10,000 of them per instance): no timer, closure or buffer of its own
 * while idle; the instance's one heartbeat and one sweep walk the set.
 */
interface Stream {
  caller: AuthUser;
  position: FeedPosition;
  /** Kept, not asked for on every read: re-read when `stale` (a change of their own memberships). */
  memberships: Memberships;
  response: Response;
  /** Lists signalled past the stream's position (list id → the number it was told of), while there are any. */
  waiting?: Map<string, number>;
  stale: boolean;
  reading: boolean;
  readAgain: boolean;
  closed: boolean;
  attempt: number;
  retry?: NodeJS.Timeout;
}

/** Which stream a response carries: one shared 'close' handler instead of a closure per stream. */
const STREAM_OF = Symbol('event stream');
type StreamResponse = Response & { [STREAM_OF]?: Stream };

/**
 * The open event streams of this instance (`GET /api/events`). A stream
 * holds a feed position and, when a list it follows advances (a signal from
 * `ChangeSignals`, local or through Redis), reads the feed from it and sends
 * what came as one `changes` event whose `id` is the new cursor, so
 * `Last-Event-ID` resumes exactly there. Too much at once is a `{ "pull":
 * true }` event whose id is the cursor before it: the client reads the feed
 * from there, the stream skips ahead.
 */
@Injectable()
export class EventStreams implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('EventStreams');
  private readonly streams = new Set<Stream>();
  /** Each user's open streams: revocations and membership changes reach only theirs. */
  private readonly byUser = new Map<string, Set<Stream>>();
  /** Streams counted in, open or still starting, per user (the per-user cap). */
  private readonly perUser = new Map<string, number>();
  /** Lists signalled since the last shared read. */
  private readonly tails = new Set<string>();
  private stopListening?: () => void;
  private heartbeat?: NodeJS.Timeout;
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  /** A resync came during a pass: another full pass follows it. */
  private resyncAgain = false;
  private sweeps = 0;
  private lastSessionSweep = Date.now();
  private readonly onResponseClose: (this: StreamResponse) => void;

  constructor(
    private readonly changes: ChangesService,
    private readonly signals: ChangeSignals,
    private readonly liveness: SessionLiveness,
    @Inject(changesConfig.KEY) private readonly config: ConfigType<typeof changesConfig>,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the handler's `this` is the response
    const streams = this;
    this.onResponseClose = function () {
      const stream = this[STREAM_OF];
      if (stream !== undefined) streams.close(stream);
    };
  }

  onModuleInit(): void {
    this.stopListening = this.signals.listen({
      signalled: (signal) => this.signalled(signal),
      resync: () => this.resync(),
    });
    // Revocations and membership changes come as messages (in-process, and through Redis from
    // other instances): an idle stream asks nothing.
    this.liveness.watch({ ended: (ended) => this.ended(ended), resync: () => this.resync() });
    this.changes.watchMemberships({
      changed: (userIds) => this.membershipsChanged(userIds),
      resync: () => this.resync(),
    });
    this.heartbeat = setInterval(() => this.beat(), this.config.heartbeatMs).unref();
    this.sweeper = setInterval(() => void this.sweep(), this.config.recheckMs).unref();
  }

  /** On SIGTERM (the drain) and on close: every stream ends cleanly; clients reconnect elsewhere with Last-Event-ID. */
  onApplicationShutdown(): void {
    this.closeAll();
  }

  closeAll(): void {
    this.stopListening?.();
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
    for (const stream of this.streams) this.close(stream);
  }

  get open(): number {
    return this.streams.size;
  }

  /**
   * Opens a stream for the caller: 429 past the per-user cap, 503 past the
   * instance's, 400 / 410 for a bad or expired `Last-Event-ID`.
   */
  async start(caller: AuthUser, request: Request, response: Response, lastEventId: string | undefined): Promise<void> {
    this.reserve(caller.id, response);
    let position: FeedPosition;
    let memberships: Memberships;
    try {
      memberships = await this.changes.memberships(caller.id);
      position =
        lastEventId === undefined
          ? await this.changes.now(caller.id)
          : this.changes.positionOf(caller.id, lastEventId, 'Last-Event-ID');
    } catch (error) {
      this.release(caller.id);
      throw error;
    }
    if (response.destroyed) return this.release(caller.id); // the client left while we read

    // The comments keep the connection alive: no idle time-out applies to it (Node's request
    // time-out ends with the request head; the socket's own time-out is off).
    request.socket.setTimeout(0);
    request.socket.setNoDelay(true);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Accel-Buffering', 'no'); // proxies (nginx) must not hold events back
    response.flushHeaders();
    response.write(`: connected\nretry: 2000\n\n`);

    const stream: Stream = {
      caller,
      position,
      memberships,
      response,
      waiting: undefined,
      stale: false,
      reading: false,
      readAgain: false,
      closed: false,
      attempt: 0,
      retry: undefined,
    };
    this.streams.add(stream);
    let mine = this.byUser.get(caller.id);
    if (mine === undefined) this.byUser.set(caller.id, (mine = new Set()));
    mine.add(stream);
    (response as StreamResponse)[STREAM_OF] = stream;
    response.once('close', this.onResponseClose);
    if (lastEventId !== undefined) void this.read(stream);
  }

  /** Counts the stream in, or refuses it: per user 429, per instance 503, each with Retry-After. */
  private reserve(userId: string, response: Response): void {
    if (this.streams.size >= this.config.maxStreams) {
      response.setHeader('Retry-After', '5');
      throw new HttpException('This instance holds as many event streams as it can', HttpStatus.SERVICE_UNAVAILABLE);
    }
    const held = this.perUser.get(userId) ?? 0;
    if (held >= this.config.maxStreamsPerUser) {
      response.setHeader('Retry-After', '5');
      throw new TooManyRequestsException(5, `Too many event streams for this account (at most ${held})`);
    }
    this.perUser.set(userId, held + 1);
  }

  private release(userId: string): void {
    const left = (this.perUser.get(userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(userId, left);
    else this.perUser.delete(userId);
  }

  /** Sessions revoked: by id, those streams end; by user, that user's streams check their session again. */
  private ended({ sessionIds, userIds }: SessionsEnded): void {
    if (sessionIds.length > 0) {
      const ids = new Set(sessionIds);
      for (const stream of this.streams) {
        if (stream.caller.sessionId !== undefined && ids.has(stream.caller.sessionId)) this.close(stream);
      }
    }
    // A password change revokes every session and opens a new one: check, do not end blindly.
    for (const userId of userIds) {
      for (const stream of this.byUser.get(userId) ?? []) void this.checkSession(stream);
    }
  }

  /** Their memberships changed: read them again, then the feed (a joined list whole, a left one `access_revoked`). */
  private membershipsChanged(userIds: readonly string[]): void {
    for (const userId of userIds) {
      for (const stream of this.byUser.get(userId) ?? []) {
        stream.stale = true;
        void this.read(stream);
      }
    }
  }

  /** Messages may have been lost (Redis reconnected): every stream checks its session and reads, once. */
  private resync(): void {
    if (this.sweeping) this.resyncAgain = true;
    else void this.pass(true, true);
  }

  /** One comment for every stream, from one timer. */
  private beat(): void {
    for (const stream of this.streams) this.write(stream, ': keep-alive\n\n');
  }

  /**
   * The safety net, one timer for all streams. While Redis is configured but away, messages do not
   * arrive: every tick checks every session, every fifth also reads every stream (as each stream once
   * did for itself). Otherwise only every EVENTS_SESSION_SWEEP_SECONDS, sessions only: what no message
   * announces (a session past its lifetime, an identity unlinked).
   */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.streams.size === 0) return;
    const degraded = !this.liveness.reliable || !this.signals.reliable;
    if (degraded) {
      await this.pass(true, ++this.sweeps % READ_EVERY_SWEEPS === 0);
    } else if (Date.now() - this.lastSessionSweep >= this.config.sessionSweepMs) {
      await this.pass(true, false);
    }
  }

  private async pass(sessions: boolean, reads: boolean): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    this.lastSessionSweep = Date.now();
    try {
      const all = [...this.streams];
      const next = { index: 0 };
      const worker = async () => {
        while (next.index < all.length) {
          const stream = all[next.index++];
          if (stream.closed) continue;
          if (sessions && !(await this.checkSession(stream))) continue;
          if (!reads) continue;
          stream.stale = true;
          await this.read(stream);
        }
      };
      await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
    } finally {
      this.sweeping = false;
    }
    if (this.resyncAgain) {
      this.resyncAgain = false;
      await this.pass(true, true);
    }
  }

  /** Ends the stream if its session is gone; true while it lives (or the database cannot tell: next time). */
  private async checkSession(stream: Stream): Promise<boolean> {
    try {
      if (await this.liveness.isAlive(stream.caller)) return true;
    } catch {
      return true;
    }
    this.close(stream);
    return false;
  }

  private signalled({ listId, seq, memberId }: ListAdvanced): void {
    // Their own membership changed (joined, removed, another role): memberships first, then a read.
    if (memberId !== undefined) this.membershipsChanged([memberId]);
    let behind = false;
    for (const stream of this.streams) {
      if (stream.caller.id === memberId) continue;
      const list = stream.position.lists.get(listId);
      if (list === undefined || list.seq >= seq) continue;
      stream.waiting ??= new Map();
      stream.waiting.set(listId, Math.max(seq, stream.waiting.get(listId) ?? 0));
      behind = true;
    }
    if (!behind) return;
    // Signals that arrive together (a burst of writes, a transaction of many changes) make one read.
    this.tails.add(listId);
    if (this.tails.size === 1) setImmediate(() => this.readTails());
  }

  private readTails(): void {
    const lists = [...this.tails];
    this.tails.clear();
    for (const listId of lists) void this.readTail(listId, 0);
  }

  /**
   * One read of a list's new changes for every stream of this instance that
   * follows it and waits for them: two statements (the changes after the
   * lowest position, and which readers are still members) whatever the
   * number of streams. A stream that needs more than that (a list joined or
   * left, too many changes, a read of its own under way) reads for itself.
   */
  private async readTail(listId: string, attempt: number): Promise<void> {
    const followers: Stream[] = [];
    for (const stream of this.streams) {
      if (stream.waiting?.has(listId) !== true) continue;
      if (stream.reading || stream.stale || !this.settled(stream)) void this.read(stream);
      else followers.push(stream);
    }
    if (followers.length === 0) return;
    for (const stream of followers) stream.reading = true;
    try {
      const from = Math.min(...followers.map((stream) => stream.position.lists.get(listId)?.seq ?? 0));
      const [rows, members] = await Promise.all([
        this.changes.tail(listId, from, this.config.maxBatch + 1),
        this.changes.membersAmong(listId, [...new Set(followers.map((stream) => stream.caller.id))]),
      ]);
      for (const stream of followers) this.deliverTail(stream, listId, rows, members);
    } catch (error) {
      this.logger.warn(`Reading a list's changes for its streams failed: ${(error as Error).message}`);
      for (const stream of followers) stream.readAgain = true;
    } finally {
      for (const stream of followers) stream.reading = false;
    }
    let waiting = false;
    for (const stream of followers) {
      if (stream.closed) continue;
      if (stream.readAgain) void this.read(stream);
      else if ((stream.waiting?.get(listId) ?? 0) > (stream.position.lists.get(listId)?.seq ?? Infinity))
        waiting = true;
      else forget(stream, listId);
    }
    // Told of a change not readable here yet (another instance's commit a moment ahead): again, soon.
    const delay = RETRY_DELAYS_MS[attempt];
    if (waiting && delay !== undefined) setTimeout(() => void this.readTail(listId, attempt + 1), delay).unref();
  }

  private deliverTail(stream: Stream, listId: string, rows: ChangeRow[], members: Set<string>): void {
    const list = stream.position.lists.get(listId);
    if (stream.closed || list === undefined) return;
    // Removed from the list: the stream's own read sends `access_revoked`.
    if (!members.has(stream.caller.id)) {
      stream.stale = true;
      stream.readAgain = true;
      return;
    }
    const mine = rows.filter((row) => Number(row.seq) > list.seq);
    if (mine.length === 0) return;
    // More than one event holds, or (never expected) a gap: the stream's own read decides.
    if (mine.length > this.config.maxBatch || Number(mine[0].seq) !== list.seq + 1) {
      return void (stream.readAgain = true);
    }
    list.seq = Number(mine[mine.length - 1].seq);
    const changes = mine.map((row) => this.changes.changeOf(row, stream.memberships));
    this.send(stream, this.changes.encode(stream.caller.id, stream.position), changes);
  }

  /** Nothing but changes to read: no list joined or left since the stream's last read, no snapshot under way. */
  private settled(stream: Stream): boolean {
    const { lists } = stream.position;
    if (lists.size !== stream.memberships.size) return false;
    for (const [listId, list] of lists) {
      if (list.stage !== 0 || !stream.memberships.has(listId)) return false;
    }
    return true;
  }

  /** Reads the feed from the stream's position and sends what came; one read at a time per stream. */
  private async read(stream: Stream): Promise<void> {
    if (stream.closed) return;
    if (stream.reading) {
      stream.readAgain = true;
      return;
    }
    stream.reading = true;
    try {
      do {
        stream.readAgain = false;
        if (stream.stale) {
          stream.stale = false;
          stream.memberships = await this.changes.memberships(stream.caller.id);
        }
        await this.readOnce(stream);
      } while (stream.readAgain && !stream.closed);
      for (const [listId, seq] of stream.waiting ?? []) {
        const list = stream.position.lists.get(listId);
        if (list === undefined || list.seq >= seq) forget(stream, listId);
      }
    } catch (error) {
      this.logger.warn(`Reading the feed for a stream failed: ${(error as Error).message}`);
    } finally {
      stream.reading = false;
    }
    this.retryIfWaiting(stream);
  }

  private async readOnce(stream: Stream): Promise<void> {
    const userId = stream.caller.id;
    const before = this.changes.encode(userId, stream.position);
    const page = await this.changes.advance(userId, stream.position, this.config.maxBatch, stream.memberships);
    if (stream.closed) return;
    if (page.hasMore) {
      // Too many for one event: the client reads the feed from `before`; the stream skips ahead.
      for (let more = true; more && !stream.closed;) {
        more = (await this.changes.advance(userId, stream.position, SKIP_PAGE, stream.memberships)).hasMore;
      }
      this.send(stream, before, { pull: true });
    } else if (page.changes.length > 0) {
      this.send(stream, this.changes.encode(userId, stream.position), page.changes);
    }
  }

  /** A signal told of a change not readable here yet: read again soon. */
  private retryIfWaiting(stream: Stream): void {
    clearTimeout(stream.retry);
    stream.retry = undefined;
    if (stream.closed || stream.waiting === undefined) {
      stream.attempt = 0;
      return;
    }
    const delay = RETRY_DELAYS_MS[stream.attempt++];
    if (delay === undefined) {
      // The next signal of the list (or, with Redis away, the sweep's read) finds it, whatever it was.
      stream.waiting = undefined;
      stream.attempt = 0;
      return;
    }
    stream.retry = setTimeout(() => {
      stream.retry = undefined;
      void this.read(stream);
    }, delay);
  }

  private send(stream: Stream, id: string, data: unknown): void {
    this.write(stream, `event: changes\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(stream: Stream, text: string): void {
    if (!stream.closed) stream.response.write(text);
  }

  private close(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.retry);
    this.streams.delete(stream);
    const mine = this.byUser.get(stream.caller.id);
    mine?.delete(stream);
    if (mine?.size === 0) this.byUser.delete(stream.caller.id);
    this.release(stream.caller.id);
    stream.response.off('close', this.onResponseClose);
    if (!stream.response.writableEnded) stream.response.end();
  }
}

/** The stream caught up with the list: nothing to wait for there (no empty map kept). */
function forget(stream: Stream, listId: string): void {
  stream.waiting?.delete(listId);
  if (stream.waiting?.size === 0) stream.waiting = undefined;
}
