import { describe, expect, it, jest } from '@jest/globals';
import { retryTransient } from './retry-transient.js';

const failure = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

describe(retryTransient.name, () => {
  it('runs a deadlock victim again', async () => {
    const run = jest.fn<() => Promise<string>>().mockRejectedValueOnce(failure('40P01')).mockResolvedValue('ok');
    await expect(retryTransient(run)).resolves.toBe('ok');
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('gives up after four attempts', async () => {
    const run = jest.fn<() => Promise<string>>().mockRejectedValue(failure('40001'));
    await expect(retryTransient(run)).rejects.toThrow('query failed');
    expect(run).toHaveBeenCalledTimes(4);
  });

  it('does not retry other errors', async () => {
    const run = jest.fn<() => Promise<string>>().mockRejectedValue(failure('23505'));
    await expect(retryTransient(run)).rejects.toThrow('query failed');
    expect(run).toHaveBeenCalledTimes(1);
  });
});
