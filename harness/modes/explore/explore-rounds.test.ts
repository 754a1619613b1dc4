/**
 * Unit: drawing in rounds — the seed's draws in order, K at a time, empty ones never run; a round
 * with failures names its failing sequences by their index in the seed (fast-check's path to them)
 * and ends the drawing only when the caller says so; the deadline and an interrupt stop it between rounds.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioOutcome } from '../../core/outcome.ts';
import type { Shared } from '../../runner/run-types.ts';
import { noopScenario, type Scenario } from '../../runner/scenario.ts';
import { runInRounds, type RoundsInput } from './explore-rounds.ts';

/** Draws are step counts; a draw of 99 fails. */
function setup(draws: number[], overrides: Partial<RoundsInput<number>> = {}) {
  const rounds: string[][] = [];
  const ran: string[] = [];
  const alone: string[] = [];
  let next = 0;
  const input: RoundsInput<number> = {
    shared: { options: {} } as Shared,
    draws,
    atOnce: 2,
    scenarioOf: (name, commands) => ({ ...noopScenario, name, tenants: commands }) as Scenario,
    runnable: (commands) => commands > 0,
    reserve: (count) => (next += count) - count,
    deadline: () => Number.POSITIVE_INFINITY,
    runRound: async (scenarios) => {
      rounds.push(scenarios.map((s) => s.name));
      const outcomes = scenarios.map((s) => ({ name: s.name, valid: s.tenants !== 99 }) as ScenarioOutcome);
      return { outcomes, phasesMs: { workload: 1 }, passedOver: 1 };
    },
    onRun: (run) => {
      ran.push(`${run.name}@${run.index}`);
      return run.outcome.valid === false;
    },
    // Only the third failing sequence fails again alone.
    tryAlone: async (run) => {
      alone.push(`${run.name}@${run.index}`);
      return alone.length === 3;
    },
    ...overrides,
  };
  return { input, rounds, ran, alone };
}

describe('runInRounds', () => {
  it('runs the draws K at a time in order, skipping empty ones, until a failing round ends it', async () => {
    const { input, rounds, ran, alone } = setup([3, 0, 4, 5, 99, 6, 7, 99, 99, 8]);
    const found = await runInRounds(input);
    expect(rounds).toEqual([
      ['run-1', 'run-2'],
      ['run-3', 'run-4'],
      ['run-5', 'run-6'],
      ['run-7', 'run-8'],
    ]);
    expect(ran.slice(0, 4)).toEqual(['run-1@0', 'run-2@2', 'run-3@3', 'run-4@4']);
    expect(alone).toEqual(['run-4@4', 'run-7@7', 'run-8@8']);
    expect(found).toMatchObject({ ended: true, timedOut: false, passedOver: 4 });
    expect(found.interactions.map((i) => [i.runs.map((r) => r.name), i.round, i.triedAlone])).toEqual([
      [['run-4'], ['run-3', 'run-4'], true],
    ]);
  });

  it('runs every draw when none fails, and says nothing timed out', async () => {
    const { input, rounds } = setup([1, 2, 3]);
    expect(await runInRounds(input)).toMatchObject({ ended: false, timedOut: false });
    expect(rounds.flat()).toEqual(['run-1', 'run-2', 'run-3']);
  });

  it('calls a failure an interaction untried when the deadline came during its round', async () => {
    let now = 0;
    const { input, alone } = setup([99, 1, 2], { deadline: () => (now++ === 0 ? Number.POSITIVE_INFINITY : 0) });
    const found = await runInRounds(input);
    expect(alone).toEqual([]);
    expect(found.interactions.map((i) => i.triedAlone)).toEqual([false]);
  });

  it('starts no round past the deadline, or once interrupted', async () => {
    const late = setup([1, 2, 3], { deadline: () => 0 });
    expect(await runInRounds(late.input)).toMatchObject({ ended: false, timedOut: true });
    expect(late.rounds).toEqual([]);
    const aborted = new AbortController();
    aborted.abort();
    const stopped = setup([1, 2, 3], { shared: { options: { signal: aborted.signal } } as Shared });
    expect(await runInRounds(stopped.input)).toMatchObject({ ended: false, timedOut: false });
    expect(stopped.rounds).toEqual([]);
  });
});
