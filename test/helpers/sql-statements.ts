import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { SqlRunner } from '../../src/database/sql-runner.js';

export interface Statement {
  text: string;
  values: unknown[];
}

/** What `SqlRunner` sends, seen through its one private path to the client. */
type Run = (client: unknown, text: string, values: unknown[]) => Promise<unknown[]>;

/** Every statement `SqlRunner` sends while `work` runs; they still run. */
export async function recordStatements(app: INestApplication, work: () => Promise<unknown>): Promise<Statement[]> {
  const runner = app.get<SqlRunner, { run: Run }>(SqlRunner);
  const seen: Statement[] = [];
  const original = runner.run.bind(runner);
  const spy = jest.spyOn(runner, 'run').mockImplementation((client, text, values) => {
    seen.push({ text, values });
    return original(client, text, values);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return seen;
}
