import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

const quota = (fallback: number) => Joi.number().integer().min(1).max(1_000_000).default(fallback);

export const LISTS_ENV = envVariables({
  LISTS_MAX_OWNED: quota(100),
  LISTS_MAX_MEMBERS: quota(50),
  LISTS_MAX_INVITATIONS: quota(20),
  LISTS_MEMBERSHIP_CACHE_SECONDS: Joi.number().min(0).max(30).default(2),
  LISTS_MEMBERSHIP_CACHE_SIZE: Joi.number().integer().min(1).max(1_000_000).default(10_000),
});

interface ListsEnv {
  LISTS_MAX_OWNED: number;
  LISTS_MAX_MEMBERS: number;
  LISTS_MAX_INVITATIONS: number;
  LISTS_MEMBERSHIP_CACHE_SECONDS: number;
  LISTS_MEMBERSHIP_CACHE_SIZE: number;
}

/** Quotas of shared lists (past one, the request is a 409 `limit-reached`), and the membership cache. */
export const listsConfig = registerAs('lists', () => {
  const env = readEnv<ListsEnv>(LISTS_ENV);
  return {
    /** Lists a user owns, the default list included. */
    maxOwned: env.LISTS_MAX_OWNED,
    /** Members of one list, the owner included. */
    maxMembers: env.LISTS_MAX_MEMBERS,
    /** Invitations of one list that can still be accepted. */
    maxInvitations: env.LISTS_MAX_INVITATIONS,
    /**
     * Without Redis, how long a process trusts the memberships it remembered: the bound on how late
     * another instance sees a membership change (this instance sees its own at once).
     */
    membershipCacheSeconds: env.LISTS_MEMBERSHIP_CACHE_SECONDS,
    /** Users whose memberships a process remembers, at most (the least recently used go first). */
    membershipCacheSize: env.LISTS_MEMBERSHIP_CACHE_SIZE,
  };
});
