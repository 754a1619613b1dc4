/**
 * Unit: drawing in rounds — the seed's draws in order, K at a time, empty ones never run; a round
 * with failures names its failing sequences by their index in the seed (fast-check's path to them)
 * and ends the drawing only when the caller says so; the deadline and an interrupt stop it between rounds,
 * and stop re-running a round's failures alone once it has passed; a round's failures are re-run
 * alone those that started most faults first.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../../core/op.ts';
import type { ScenarioOutcome } from '../../core/outcome.ts';
import type { RoundFlow } from '../../runner/run-round.ts';
import type { Shared } from '../../runner/run-types.ts';
import { noopScenario, type Scenario } from '../../runner/scenario.ts';
import { likeliestFirst, runInRounds, type RoundRun, type RoundsInput } from './explore-rounds.ts';

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
    // A round that never says it healed lets the next start once it ends: the round after a
    // failing one (run-9) has already started when the failure is re-run alone.
    const { input, rounds, ran, alone } = setup([3, 0, 4, 5, 99, 6, 7, 99, 99, 8]);
    const found = await runInRounds(input);
    expect(rounds).toEqual([['run-1', 'run-2'], ['run-3', 'run-4'], ['run-5', 'run-6'], ['run-7', 'run-8'], ['run-9']]);
    expect(ran.slice(0, 4)).toEqual(['run-1@0', 'run-2@2', 'run-3@3', 'run-4@4']);
    expect(alone).toEqual(['run-4@4', 'run-7@7', 'run-8@8']);
    expect(found).toMatchObject({ ended: true, timedOut: false, passedOver: 5 });
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

  it('re-runs the failures of a round alone only while the deadline allows', async () => {
    // Both sequences of the first round fail; the deadline passes while the first is re-run alone.
    let late = false;
    const { input, alone } = setup([99, 99, 1], {
      deadline: () => (late ? 0 : Number.POSITIVE_INFINITY),
      tryAlone: async (run) => {
        alone.push(run.name);
        late = true;
        return false;
      },
    });
    const found = await runInRounds(input);
    expect(alone).toEqual(['run-1']);
    expect(found.interactions.map((i) => [i.runs.map((r) => r.name), i.triedAlone])).toEqual([
      [['run-1', 'run-2'], true],
    ]);
  });

  it('calls a failure untried when its re-run alone could not run after all', async () => {
    const { input, alone } = setup([99, 99, 1], {
      tryAlone: async (run) => void alone.push(run.name),
    });
    const found = await runInRounds(input);
    expect(alone).toEqual(['run-1']);
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

  it('starts the next round once this one has healed, its faults held back until this one ends, and re-runs a failure alone only once both have ended', async () => {
    const events: string[] = [];
    const flows: RoundFlow[] = [];
    const ends: (() => void)[] = [];
    const faultOp = (round: number) =>
      ({ index: round, time: round, process: 'nemesis', type: 'ok', f: 'stop-fault', value: {} }) as Op;
    const { input } = setup([1, 99, 2, 3, 4], {
      runRound: async (scenarios, _first, _shared, flow = {}) => {
        const round = flows.push(flow);
        const names = scenarios.map((s) => s.name).join(',');
        events.push(`start ${names}`);
        flow.onHealed?.([faultOp(round)]);
        await new Promise<void>((end) => ends.push(end));
        events.push(`end ${names}`);
        const outcomes = scenarios.map((s) => ({ name: s.name, valid: s.tenants !== 99 }) as ScenarioOutcome);
        return { outcomes, phasesMs: { workload: 1 }, passedOver: 0 };
      },
      tryAlone: async (run) => {
        events.push(`alone ${run.name}`);
        return true;
      },
    });
    const found = runInRounds(input);
    // Rounds end in order, each once the next has started (or none is left).
    const endNext = async () => {
      await new Promise((r) => setTimeout(r, 5));
      ends.shift()?.();
    };
    await endNext();
    await endNext();
    expect(await found).toMatchObject({ ended: true, interactions: [] });
    expect(events).toEqual([
      'start run-1,run-2',
      'start run-3,run-4',
      'end run-1,run-2',
      'end run-3,run-4',
      'alone run-2',
    ]);
    // The second round's faults wait for the first to end, and its histories start with the first's fault actions.
    expect(flows[0]?.faultsFrom).toBeUndefined();
    expect(flows[1]?.faultsFrom).toBeInstanceOf(Promise);
    expect(flows[1]?.carried).toEqual([faultOp(1)]);
  });

  it('rethrows a round that threw only once the round after it has ended', async () => {
    const events: string[] = [];
    const { input } = setup([1, 2, 3, 4], {
      runRound: async (scenarios, _first, _shared, flow = {}) => {
        const names = scenarios.map((s) => s.name).join(',');
        flow.onHealed?.([]);
        await new Promise((r) => setTimeout(r, names === 'run-1,run-2' ? 5 : 20));
        events.push(`end ${names}`);
        if (names === 'run-1,run-2') throw new Error('cannot be set up as written');
        return { outcomes: [], phasesMs: {}, passedOver: 0 };
      },
    });
    await expect(runInRounds(input)).rejects.toThrow('cannot be set up as written');
    expect(events).toEqual(['end run-1,run-2', 'end run-3,run-4']);
  });

  it('re-runs the failures of a round alone, those that started most faults first, ties in draw order', async () => {
    const start = { kind: 'fault', fault: 'postgres-cut', action: 'start' } as const;
    const stop = { ...start, action: 'stop' } as const;
    const wait = { kind: 'wait', ms: 1 } as const;
    const run = (name: string, performed: RoundRun['record']['performed']) =>
      ({ name, index: 0, outcome: {}, record: { performed, violations: [] } }) as unknown as RoundRun;
    const failing = [
      run('none', [wait, wait, wait]),
      run('one', [start, stop]),
      run('two', [start, wait, start]),
      run('also-one', [wait, start]),
    ];
    expect(likeliestFirst(failing).map((r) => r.name)).toEqual(['two', 'one', 'also-one', 'none']);
    expect(failing.map((r) => r.name)).toEqual(['none', 'one', 'two', 'also-one']);
  });

  it("re-runs a round's failures alone in that order, from what each one performed", async () => {
    // A draw of 100 + n fails after starting n faults.
    const start = { kind: 'fault', fault: 'postgres-cut', action: 'start' } as const;
    const { input, alone } = setup([100, 102, 101, 1], {
      atOnce: 4,
      scenarioOf: (name, commands, record) => {
        for (let n = 100; n < commands; n++) record.performed.push(start);
        return { ...noopScenario, name, tenants: commands < 100 ? commands : 99 } as Scenario;
      },
      tryAlone: async (run) => {
        alone.push(run.name);
        return false;
      },
    });
    const found = await runInRounds(input);
    expect(alone).toEqual(['run-2', 'run-3', 'run-1']);
    expect(found.interactions.map((i) => i.runs.map((r) => r.name))).toEqual([['run-1', 'run-2', 'run-3']]);
  });
});
