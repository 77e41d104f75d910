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
import { SessionLiveness } from '../common/session-liveness.js';
import { changesConfig } from '../config/changes.config.js';
import type { Memberships } from '../lists/list-access.js';
import type { FeedPosition } from './change-cursor.js';
import { type ListAdvanced, ChangeSignals } from './change-signals.js';
import type { ChangeRow } from './changes.repository.js';
import { ChangesService } from './changes.service.js';

/** A stream told of a change it cannot read yet reads again after these waits, then gives up (the next read finds it). */
const RETRY_DELAYS_MS = [25, 50, 100, 200, 400, 800, 1600, 3200];
/** Every this many re-checks, a stream re-reads its memberships and the feed unasked (a signal lost on the way). */
const READ_EVERY_RECHECKS = 5;
/** The largest read while skipping ahead after a `pull`. */
const SKIP_PAGE = 500;

interface Stream {
  caller: AuthUser;
  position: FeedPosition;
  /** Kept, not asked for on every read: re-read when `stale` (their own member changes, every few seconds). */
  memberships: Memberships;
  stale: boolean;
  response: Response;
  /** Lists signalled past the stream's position: list id → the number it was told of. */
  waiting: Map<string, number>;
  reading: boolean;
  readAgain: boolean;
  attempt: number;
  retry?: NodeJS.Timeout;
  heartbeat: NodeJS.Timeout;
  recheck: NodeJS.Timeout;
  rechecks: number;
  closed: boolean;
}

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
  private readonly perUser = new Map<string, number>();
  /** Lists signalled since the last shared read. */
  private readonly tails = new Set<string>();
  private stopListening?: () => void;

  constructor(
    private readonly changes: ChangesService,
    private readonly signals: ChangeSignals,
    private readonly liveness: SessionLiveness,
    @Inject(changesConfig.KEY) private readonly config: ConfigType<typeof changesConfig>,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.signals.listen((signal) => this.signalled(signal));
  }

  /** On SIGTERM (the drain) and on close: every stream ends cleanly; clients reconnect elsewhere with Last-Event-ID. */
  onApplicationShutdown(): void {
    this.closeAll();
  }

  closeAll(): void {
    this.stopListening?.();
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
    const release = this.reserve(caller.id, response);
    let position: FeedPosition;
    let memberships: Memberships;
    try {
      memberships = await this.changes.memberships(caller.id);
      position =
        lastEventId === undefined
          ? await this.changes.now(caller.id)
          : this.changes.positionOf(caller.id, lastEventId, 'Last-Event-ID');
    } catch (error) {
      release();
      throw error;
    }

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
      stale: false,
      response,
      waiting: new Map(),
      reading: false,
      readAgain: false,
      attempt: 0,
      heartbeat: setInterval(() => this.write(stream, ': keep-alive\n\n'), this.config.heartbeatMs),
      recheck: setInterval(() => void this.recheck(stream), this.config.recheckMs),
      rechecks: 0,
      closed: false,
    };
    this.streams.add(stream);
    const done = () => {
      this.close(stream);
      release();
    };
    request.once('close', done);
    response.once('close', done);
    if (lastEventId !== undefined) void this.read(stream);
  }

  /** Counts the stream in, or refuses it: per user 429, per instance 503, each with Retry-After. */
  private reserve(userId: string, response: Response): () => void {
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
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  private signalled({ listId, seq, memberId }: ListAdvanced): void {
    let behind = false;
    for (const stream of this.streams) {
      if (stream.caller.id === memberId) {
        // Their own membership changed (joined, removed, another role): memberships first, then a read.
        stream.stale = true;
        void this.read(stream);
        continue;
      }
      const list = stream.position.lists.get(listId);
      if (list === undefined || list.seq >= seq) continue;
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
      if (!stream.waiting.has(listId)) continue;
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
      else if ((stream.waiting.get(listId) ?? 0) > (stream.position.lists.get(listId)?.seq ?? Infinity)) waiting = true;
      else stream.waiting.delete(listId);
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

  /**
   * Session still alive (else the stream ends); every few re-checks, the
   * memberships again and a read unasked (a signal lost while Redis was away).
   */
  private async recheck(stream: Stream): Promise<void> {
    try {
      if (!(await this.liveness.isAlive(stream.caller))) return this.close(stream);
    } catch {
      return; // the database is away: the next re-check decides
    }
    if (++stream.rechecks % READ_EVERY_RECHECKS !== 0) return;
    stream.stale = true;
    void this.read(stream);
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
      for (const [listId, seq] of stream.waiting) {
        const list = stream.position.lists.get(listId);
        if (list === undefined || list.seq >= seq) stream.waiting.delete(listId);
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
    if (stream.closed || stream.waiting.size === 0) {
      stream.attempt = 0;
      return;
    }
    const delay = RETRY_DELAYS_MS[stream.attempt++];
    if (delay === undefined) {
      // The periodic read finds it, whatever it was.
      stream.waiting.clear();
      stream.attempt = 0;
      return;
    }
    stream.retry = setTimeout(() => void this.read(stream), delay);
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
    clearInterval(stream.heartbeat);
    clearInterval(stream.recheck);
    clearTimeout(stream.retry);
    this.streams.delete(stream);
    if (!stream.response.writableEnded) stream.response.end();
  }
}
