/** together: callers at once share a run begun after each asked; later callers wait for the next run. */
import { describe, expect, it } from 'vitest';
import { together } from './together.ts';

describe('together', () => {
  it('gives callers at once one run, and a caller during a run the next one, never an older result', async () => {
    let runs = 0;
    const releases: (() => void)[] = [];
    const start = () => {
      const run = ++runs;
      return new Promise<number>((resolve) => releases.push(() => resolve(run)));
    };
    const first = [together('k', start), together('k', start)];
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(1);
    const during = [together('k', start), together('k', start)]; // asked while run 1 is under way
    releases[0]?.();
    expect(await Promise.all(first)).toEqual([1, 1]);
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(2);
    releases[1]?.();
    expect(await Promise.all(during)).toEqual([2, 2]);
  });

  it('passes a failure to the callers of that run only', async () => {
    const failed = together('f', () => Promise.reject(new Error('broker down')));
    await expect(failed).rejects.toThrow('broker down');
    expect(await together('f', async () => 'next')).toBe('next');
  });
});
