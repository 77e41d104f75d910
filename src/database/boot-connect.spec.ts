import { describe, expect, it } from '@jest/globals';
import { describeBootFailure, isRetryableAtBoot } from './boot-connect.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe(isRetryableAtBoot.name, () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a host name not resolvable yet', Object.assign(new Error('getaddrinfo EAI_AGAIN db'), { code: 'EAI_AGAIN' })],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a database starting up', pgError('57P03', 'the database system is starting up')],
    [
      'one of several addresses refusing',
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    ],
  ])('retries %s', (_name, error) => {
    expect(isRetryableAtBoot(error)).toBe(true);
  });

  it.each([
    ['a wrong password', pgError('28P01', 'password authentication failed for user "taskwell"')],
    ['a missing database', pgError('3D000', 'database "taskwell" does not exist')],
    ['a startup parameter PgBouncer refuses', pgError('08P01', 'unsupported startup parameter: statement_timeout')],
    [
      'a certificate that does not verify',
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
    ],
  ])('stops at once on %s', (_name, error) => {
    expect(isRetryableAtBoot(error)).toBe(false);
  });
});

describe(describeBootFailure.name, () => {
  it('names the CA file for a certificate that does not verify', () => {
    const error = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(describeBootFailure(error)).toMatch(/^TLS to PostgreSQL failed: .*sslrootcert/);
  });

  it('says when the server has no TLS', () => {
    expect(describeBootFailure(new Error('The server does not support SSL connections'))).toMatch(
      /the server does not support TLS connections/,
    );
  });

  it('points at DB_POOL_MODE when PgBouncer refuses the statement timeout', () => {
    expect(describeBootFailure(pgError('08P01', 'unsupported startup parameter: statement_timeout'))).toMatch(
      /set DB_POOL_MODE=transaction/,
    );
  });

  it('passes any other error on with its message', () => {
    expect(describeBootFailure(pgError('28P01', 'password authentication failed'))).toBe(
      'Could not connect to PostgreSQL: password authentication failed',
    );
  });
});
