import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

export const CHANGES_ENV = envVariables({
  CHANGES_RETENTION_DAYS: Joi.number().integer().min(1).max(3650).default(30),
  // How often an instance deletes changes past retention (0: never, e.g. when a job elsewhere does).
  CHANGES_PURGE_INTERVAL_MS: Joi.number().integer().min(0).max(86_400_000).default(3_600_000),
  EVENTS_MAX_STREAMS_PER_USER: Joi.number().integer().min(1).max(1000).default(5),
  // Must stay well below HTTP_MAX_CONNECTIONS: other requests need connections too.
  EVENTS_MAX_STREAMS: Joi.number().integer().min(1).max(1_000_000).default(500),
  EVENTS_HEARTBEAT_MS: Joi.number().integer().min(100).max(300_000).default(25_000),
  // More changes than this at once: the stream sends `{ "pull": true }` and the client reads the feed.
  EVENTS_MAX_BATCH: Joi.number().integer().min(1).max(500).default(100),
  // While Redis is configured but away (no revocations or signals arrive), every stream's session is
  // checked this often, and every fifth time its feed read.
  EVENTS_RECHECK_MS: Joi.number().integer().min(100).max(60_000).default(1000),
  // Otherwise the sessions of all streams are checked this often, in one pass (what no message tells:
  // a session past its lifetime, an identity unlinked).
  EVENTS_SESSION_SWEEP_SECONDS: Joi.number().integer().min(1).max(86_400).default(60),
});

interface ChangesEnv {
  CHANGES_RETENTION_DAYS: number;
  CHANGES_PURGE_INTERVAL_MS: number;
  EVENTS_MAX_STREAMS_PER_USER: number;
  EVENTS_MAX_STREAMS: number;
  EVENTS_HEARTBEAT_MS: number;
  EVENTS_MAX_BATCH: number;
  EVENTS_RECHECK_MS: number;
  EVENTS_SESSION_SWEEP_SECONDS: number;
}

/** The change feed and the event streams. */
export const changesConfig = registerAs('changes', () => {
  const env = readEnv<ChangesEnv>(CHANGES_ENV);
  return {
    /** Changes older than this are purged; a cursor older than this is `410 cursor-expired`. */
    retentionMs: env.CHANGES_RETENTION_DAYS * 86_400_000,
    purgeIntervalMs: env.CHANGES_PURGE_INTERVAL_MS,
    maxStreamsPerUser: env.EVENTS_MAX_STREAMS_PER_USER,
    maxStreams: env.EVENTS_MAX_STREAMS,
    heartbeatMs: env.EVENTS_HEARTBEAT_MS,
    maxBatch: env.EVENTS_MAX_BATCH,
    recheckMs: env.EVENTS_RECHECK_MS,
    sessionSweepMs: env.EVENTS_SESSION_SWEEP_SECONDS * 1000,
  };
});
