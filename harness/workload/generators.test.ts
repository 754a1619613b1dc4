// Unit: generators — weighted mixes are seeded and respect weights, time limits end workers,
// staggering pauses, phases run in order with fresh process numbers, and an abort stops everyone.
import { describe, expect, it, vi } from 'vitest';
import { Random } from '../core/random.ts';
import {
  either,
  mix,
  once,
  onWorkers,
  repeat,
  runPhases,
  runWorkers,
  stagger,
  timeLimit,
  type Step,
} from './generators.ts';

const never = new AbortController().signal;

describe('generators', () => {
  it('mix picks by weight, the same way for the same seed', async () => {
    const picks = (seed: number) => {
      const seen: string[] = [];
      const gen = mix([
        [3, async () => void seen.push('a')],
        [1, async () => void seen.push('b')],
      ]);
      const worker = { process: 0, random: new Random(seed), signal: never };
      return Promise.all(Array.from({ length: 4000 }, () => (gen.next(worker) as Step)(worker))).then(() => seen);
    };
    const first = await picks(1);
    expect(await picks(1)).toEqual(first);
    expect(await picks(2)).not.toEqual(first);
    const share = first.filter((x) => x === 'a').length / first.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
  });

  it('mix refuses no steps or non-positive weights', () => {
    expect(() => mix([])).toThrow(/positive weights/);
    expect(() => mix([[0, async () => undefined]])).toThrow(/positive weights/);
  });

  it('timeLimit ends every worker once the limit has passed', async () => {
    let steps = 0;
    const started = performance.now();
    await runWorkers(
      timeLimit(
        150,
        repeat(async () => {
          steps++;
          await new Promise((r) => setTimeout(r, 10));
        }),
      ),
      { concurrency: 3, random: new Random(1), signal: never },
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(steps).toBeGreaterThan(3);
  });

  it('stagger pauses up to twice the mean before each step', async () => {
    // Fake timers: the pauses are exactly what stagger chose, however loaded the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const times: number[] = [];
      const started = performance.now();
      const running = runWorkers(
        stagger(
          20,
          once(async () => void times.push(performance.now() - started)),
        ),
        { concurrency: 20, random: new Random(3), signal: never },
      );
      await vi.runAllTimersAsync();
      await running;
      expect(times).toHaveLength(20);
      expect(Math.max(...times)).toBeLessThanOrEqual(40);
      expect(new Set(times.map((t) => Math.round(t / 5))).size).toBeGreaterThan(3); // not in lockstep
    } finally {
      vi.useRealTimers();
    }
  });

  it('onWorkers and either give worker 0 one job and the rest another', async () => {
    const seen = new Map<number, string>();
    await runWorkers(
      either(
        onWorkers(
          (p) => p === 0,
          once(async (w) => void seen.set(w.process, 'publisher')),
        ),
        onWorkers(
          (p) => p !== 0,
          once(async (w) => void seen.set(w.process, 'reader')),
        ),
      ),
      { concurrency: 3, random: new Random(1), signal: never },
    );
    expect(Object.fromEntries(seen)).toEqual({ 0: 'publisher', 1: 'reader', 2: 'reader' });
  });

  it('runs phases in order, numbering each phase’s workers after the previous ones', async () => {
    const log: string[] = [];
    await runPhases(
      [
        { name: 'one', gen: once(async (w) => void log.push(`one:${w.process}`)) },
        { name: 'two', concurrency: 1, gen: once(async (w) => void log.push(`two:${w.process}`)) },
      ],
      { concurrency: 2, random: new Random(1), signal: never, onPhase: (name) => log.push(`>${name}`) },
    );
    expect(log).toEqual(['>one', 'one:0', 'one:1', '>two', 'two:2']);
  });

  it('an abort stops workers between steps', async () => {
    const controller = new AbortController();
    let steps = 0;
    setTimeout(() => controller.abort(), 50);
    await runWorkers(
      repeat(async () => {
        steps++;
        await new Promise((r) => setTimeout(r, 5));
      }),
      { concurrency: 2, random: new Random(1), signal: controller.signal },
    );
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(60);
  });
});
