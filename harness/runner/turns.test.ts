/** Turns: steps side by side, a step alone only when none other runs, and never starved. */
import { describe, expect, it } from 'vitest';
import { Turns } from './turns.ts';

/** A step that records when it starts and ends, and ends when told. */
function step(log: string[], name: string) {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    work: async () => {
      log.push(`+${name}`);
      await ended;
      log.push(`-${name}`);
    },
    end,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Turns', () => {
  it('runs ordinary steps side by side', async () => {
    const turns = new Turns();
    const log: string[] = [];
    const [a, b] = [step(log, 'a'), step(log, 'b')];
    const done = [turns.run(false, a.work), turns.run(false, b.work)];
    await tick();
    expect(log).toEqual(['+a', '+b']);
    a.end();
    b.end();
    await Promise.all(done);
    expect(await turns.run(true, async () => 'alone, once both ended')).toBe('alone, once both ended');
  });

  it('starts a step alone only once the steps under way end, and holds later ones back until it ends', async () => {
    const turns = new Turns();
    const log: string[] = [];
    const [a, s, b] = [step(log, 'a'), step(log, 'stampede'), step(log, 'b')];
    const done = [turns.run(false, a.work)];
    await tick();
    done.push(turns.run(true, s.work));
    await tick();
    done.push(turns.run(false, b.work));
    await tick();
    expect(log).toEqual(['+a']);
    a.end();
    await tick();
    await tick();
    expect(log).toEqual(['+a', '-a', '+stampede']);
    s.end();
    await tick();
    await tick();
    expect(log).toEqual(['+a', '-a', '+stampede', '-stampede', '+b']);
    b.end();
    await Promise.all(done);
  });

  it('frees its turn when the step throws', async () => {
    const turns = new Turns();
    await expect(turns.run(true, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await turns.run(true, async () => 'next')).toBe('next');
  });
});

describe('Turns asked for inside a turn', () => {
  it('runs work inside a turn alone at once, and refuses a turn alone inside an ordinary one', async () => {
    const turns = new Turns();
    const inner = await turns.run(true, () => turns.run(false, async () => 'the measurement’s own reads'));
    expect(inner).toBe('the measurement’s own reads');
    expect(await turns.run(false, () => turns.run(false, async () => 'nested ordinary'))).toBe('nested ordinary');
    await expect(turns.run(false, () => turns.run(true, async () => 'never'))).rejects.toThrow(
      /inside an ordinary turn/,
    );
    expect(await turns.run(true, async () => 'free again')).toBe('free again');
  });
});
