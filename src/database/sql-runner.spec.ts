import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { createTestingModule } from '../../test/helpers/testing-module.js';
import { SqlRunner } from './sql-runner.js';

/** A statement that fails as PostgreSQL fails the loser of a race (or, with 23505, a duplicate). */
const failWith = (sqlState: string) =>
  `DO $$ BEGIN RAISE EXCEPTION 'as a concurrent transaction would' USING ERRCODE = '${sqlState}'; END $$`;

describe(`${SqlRunner.name}.transaction`, () => {
  let moduleRef: TestingModule;
  let sql: SqlRunner;

  beforeAll(async () => {
    moduleRef = await createTestingModule();
    sql = moduleRef.get(SqlRunner, { strict: false });
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  /** Work that fails with `sqlState` on its first run only; counts its runs. */
  function failingOnce(sqlState: string) {
    const work = async (tx: Parameters<Parameters<SqlRunner['transaction']>[0]>[0]) => {
      work.runs++;
      const [row] = await tx.query<{ run: number }>('SELECT $1::int AS run', [work.runs]);
      if (work.runs === 1) await tx.query(failWith(sqlState));
      return row.run;
    };
    work.runs = 0;
    return work;
  }

  it('with retry, runs work that lost a race (serialization failure, deadlock) again from its start', async () => {
    for (const sqlState of ['40001', '40P01']) {
      const work = failingOnce(sqlState);
      await expect(sql.transaction(work, { retry: true })).resolves.toBe(2);
      expect(work.runs).toBe(2);
    }
  });

  it('without retry, leaves the lost race to the caller', async () => {
    const work = failingOnce('40001');
    await expect(sql.transaction(work)).rejects.toMatchObject({ code: '40001' });
    expect(work.runs).toBe(1);
  });

  it('with retry, does not run again work that failed for another reason', async () => {
    const work = failingOnce('23505');
    await expect(sql.transaction(work, { retry: true })).rejects.toMatchObject({ code: '23505' });
    expect(work.runs).toBe(1);
  });

  it('runs afterCommit callbacks once the transaction committed, only then, and never after a rollback', async () => {
    const calls: string[] = [];
    await sql.transaction(async (tx) => {
      tx.afterCommit(() => calls.push('committed'));
      await tx.query('SELECT 1');
      calls.push('work done');
    });
    expect(calls).toEqual(['work done', 'committed']);

    await expect(
      sql.transaction(async (tx) => {
        tx.afterCommit(() => calls.push('rolled back'));
        await tx.query(failWith('23505'));
      }),
    ).rejects.toMatchObject({ code: '23505' });
    // A lost race run again keeps only the callbacks of the run that committed.
    const work = failingOnce('40001');
    await sql.transaction(
      async (tx) => {
        const label = `run ${work.runs + 1}`;
        tx.afterCommit(() => calls.push(label));
        return work(tx);
      },
      { retry: true },
    );
    expect(calls).toEqual(['work done', 'committed', 'run 2']);
  });

  it('keeps a commit a commit when an afterCommit callback throws', async () => {
    await expect(
      sql.transaction(async (tx) => {
        tx.afterCommit(() => {
          throw new Error('a follow-up failed');
        });
        return (await tx.query<{ word: string }>(`SELECT 'written' AS word`))[0].word;
      }),
    ).resolves.toBe('written');
  });
});
