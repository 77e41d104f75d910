import { client } from './api/client.gen.js';
import { changesRead, eventTicketsIssue } from './api/sdk.gen.js';
import type { ChangeResponseDto } from './api/types.gen.js';
import { authed } from './session.js';

export type Change = ChangeResponseDto;

/** What the page does with what the stream brings. */
export interface LiveListener {
  /** Changes to apply: each only if its `version` is newer than the one held (they may come twice). */
  changes(changes: Change[]): void;
  /** Something may have been missed that the feed cannot give back: read everything again. */
  resync(): void;
}

/** Waits before reconnecting, after each failure in a row (and a little jitter, so a restarted API is not hit at once). */
const RETRY_MS = [1000, 2000, 4000, 8000, 15_000];

let listener: LiveListener | undefined;
let running = false;
/** Bumped by `stopLive`: callbacks of an older connection see it and do nothing. */
let generation = 0;
let source: EventSource | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
/** Where the feed resumes: the last event's id, or the end of the last feed read. */
let cursor: string | undefined;
/** Feed reads under way: meanwhile the stream's ids do not move the cursor, the reads' ends do (a repeat is possible, a gap is not). */
let reads = 0;
/** The last stream ended: the next one resumes from the cursor. */
let lost = false;

/** The page shown now gets the changes (`undefined`: none; a page that is replaced must not act on them). */
export function follow(next: LiveListener | undefined): void {
  listener = next;
}

/**
 * Opens the caller's event stream (`GET /api/events`), once per tab. The
 * browser's EventSource cannot send the access token, so each connection
 * spends a fresh single-use ticket (`POST /api/events/tickets`); and since a
 * spent ticket cannot reconnect, after an error this closes the stream and
 * opens a new one, then reads the feed (`GET /api/changes`) from the last
 * cursor for what happened in between.
 */
export function startLive(): void {
  if (running) return;
  running = true;
  void connect(generation);
}

/** Signing out (here or in another tab) ends the stream. */
export function stopLive(): void {
  running = false;
  generation += 1;
  source?.close();
  source = undefined;
  clearTimeout(retryTimer);
  failures = 0;
  cursor = undefined;
  reads = 0;
  lost = false;
}

async function connect(mine: number): Promise<void> {
  let ticket: string | undefined;
  try {
    const { data, response } = await authed(() => eventTicketsIssue());
    // A 401 here has already ended the session (the sign-in form stops the stream).
    if (response?.status === 401) return;
    ticket = data?.data.ticket;
  } catch {
    // the API cannot be reached: try again later
  }
  if (mine !== generation) return;
  if (!ticket) return retryLater(mine);

  const url = new URL(`${client.getConfig().baseUrl ?? ''}/api/events`, location.href);
  url.searchParams.set('ticket', ticket);
  const stream = new EventSource(url);
  source = stream;
  stream.onopen = () => {
    failures = 0;
    if (!lost) return;
    lost = false;
    // A new stream starts at "now": what came since the last cursor is in the feed. Lost before any
    // event, there is no cursor, and the page's copy may be behind by anything: it reads it all again.
    if (cursor === undefined) listener?.resync();
    else void readFeed(mine, cursor);
  };
  stream.addEventListener('changes', (event) => {
    const data = JSON.parse(event.data) as Change[] | { pull: true };
    if (Array.isArray(data)) {
      listener?.changes(data);
      if (reads === 0) cursor = event.lastEventId;
    } else if (data.pull) {
      void readFeed(mine, event.lastEventId);
    }
  });
  stream.onerror = () => {
    // EventSource would reconnect with the spent ticket: close it and start again with a new one.
    stream.close();
    if (mine !== generation) return;
    lost = true;
    retryLater(mine);
  };
}

function retryLater(mine: number): void {
  const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] * (1 + Math.random() * 0.2);
  failures += 1;
  retryTimer = setTimeout(() => void connect(mine), wait);
}

/** Reads the feed from `from` until it has no more; an expired cursor (410) means starting over. */
async function readFeed(mine: number, from: string): Promise<void> {
  reads += 1;
  let at = from;
  try {
    for (;;) {
      const { data, response } = await authed(() => changesRead({ query: { cursor: at, limit: 500 } }));
      if (mine !== generation) return;
      if (!data) {
        if (response?.status === 410) {
          cursor = undefined;
          listener?.resync();
        }
        return;
      }
      listener?.changes(data.data);
      at = data.meta.cursor;
      cursor = at;
      if (!data.meta.hasMore) return;
    }
  } catch {
    // The next reconnection reads again from the cursor kept.
  } finally {
    if (mine === generation) reads -= 1;
  }
}

/**
 * Whether `change` is newer than the copy held. An upsert must carry a higher
 * version; a delete carries the version of what it removed, so the same one
 * will do; `access_revoked` (version 0) always applies.
 */
export function supersedes(change: Change, held: { version: number }): boolean {
  if (change.reason === 'access_revoked') return true;
  return change.op === 'upsert' ? change.version > held.version : change.version >= held.version;
}
