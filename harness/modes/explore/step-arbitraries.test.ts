// Unit: the steps an exploration draws — valid step values only, price lists published and prices
// read in every currency, catalogs and offerings without one, and no business step the family
// does not exercise; a shrunk sequence replays from its full path (fast-check's, @ the commands' replay path).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepProblem, type Step } from '../../workload/steps.ts';
import { UsageError } from '../../core/errors.ts';
import { CURRENCIES } from '../../workload/tenant-data.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { familyOf } from './family.ts';
import { checkReplayPath, exploreReplay } from './explore-replay.ts';
import {
  commandsArbitrary,
  drawsFor,
  fullReplayPath,
  hasSteps,
  splitReplayPath,
  stepArbitrary,
} from './step-arbitraries.ts';

const sample = (family: 'cache' | 'messaging' | 'all'): Step[] =>
  fc.sample(stepArbitrary(familyOf(family)), { numRuns: 2000, seed: 7 });

describe('step arbitraries', () => {
  it('draw only valid steps', () => {
    for (const family of ['cache', 'messaging', 'all'] as const)
      expect(sample(family).filter((s) => stepProblem(s) !== undefined)).toEqual([]);
  });

  it('publish price lists and read prices in every currency, and name none for catalogs and offerings', () => {
    const steps = sample('cache');
    const currencies = (kind: string, pick: (s: Step) => boolean) =>
      new Set(steps.filter((s) => s.kind === kind && pick(s)).map((s) => ('currency' in s ? s.currency : 'none')));
    expect(currencies('publish', (s) => s.kind === 'publish' && s.domain === 'pricing')).toEqual(new Set(CURRENCIES));
    expect(currencies('read', (s) => s.kind === 'read' && s.what === 'price')).toEqual(new Set(CURRENCIES));
    expect(currencies('publish', (s) => s.kind === 'publish' && s.domain === 'catalog')).toEqual(new Set(['none']));
    expect(currencies('read', (s) => s.kind === 'read' && s.what === 'offering')).toEqual(new Set(['none']));
  });

  it('give each class of fault a fair share of the draws', () => {
    const catalog = faultCatalog();
    for (const family of ['cache', 'messaging', 'all'] as const) {
      const faults = sample(family).filter((s) => s.kind === 'fault');
      const classes = new Set(familyOf(family).faults.map((f) => catalog.get(f)?.class));
      for (const c of classes) {
        const share = faults.filter((s) => s.kind === 'fault' && catalog.get(s.fault)?.class === c).length;
        expect(share, `${family}: ${c}`).toBeGreaterThan((0.5 * faults.length) / classes.size);
      }
    }
  });

  it('draw Redis outages twice as often as their class alone would in the all family, where a checker depends on meeting one', () => {
    const all = familyOf('all').faultWeights;
    expect(all['redis-outage']).toBe(2 * (all['kafka-outage'] ?? 0));
    expect(all['redis-freeze']).toBe(2 * (all['postgres-pause'] ?? 0));
    const cache = familyOf('cache').faultWeights;
    expect(cache['redis-outage']).toBe(cache['stale-cache-window']);
    const drawn = (fault: string) => sample('all').filter((s) => s.kind === 'fault' && s.fault === fault).length;
    expect(drawn('redis-outage') + drawn('redis-freeze')).toBeGreaterThan(
      drawn('kafka-outage') + drawn('postgres-pause'),
    );
  });

  it('meet most policy publishes with a submit the moment they are acknowledged, and some with none', () => {
    const policies = sample('cache').filter((s) => s.kind === 'publish-policy');
    const met = policies.filter((s) => 'submit' in s).length;
    expect(met).toBeGreaterThan(0.6 * policies.length);
    expect(met).toBeLessThan(policies.length);
    expect(policies.every((s) => !('submit' in s) || s.submit !== undefined)).toBe(true);
  });

  it('leave browse reads and stampedes out of the messaging family', () => {
    const kinds = new Set(sample('messaging').map((s) => s.kind));
    expect(kinds.has('read')).toBe(false);
    expect(kinds.has('stampede')).toBe(false);
    expect(kinds.has('convert')).toBe(true);
  });
});

describe('replaying a shrunk sequence', () => {
  // Quote steps are skipped here (not applicable), as steps naming a quote that does not exist are live.
  const model = { applicable: (step: Step) => step.kind !== 'quote' && step.kind !== 'convert' };
  const failing = (cmds: Iterable<fc.Command<object, unknown>>) => {
    fc.modelRun(() => ({ model: model as never, real: () => undefined }), cmds as never);
    return [...cmds].filter((c) => String(c).startsWith('publish')).length < 3;
  };

  it('needs the commands replay path after @: fast-check walks a path without running what it walks', () => {
    const details = fc.check(
      fc.property(commandsArbitrary(familyOf('cache'), 12), (cmds) => failing(cmds as never)),
      { seed: 1 },
    );
    const path = details.counterexamplePath as string;
    expect(path.split(':').length).toBeGreaterThan(2);
    const full = fullReplayPath(path, details.counterexample?.[0]);
    expect(full).toMatch(/^[\d:]+@[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/);
    expect(splitReplayPath(full)).toEqual({ path, replayPath: full.split('@')[1] });

    expect(() => checkReplayPath({ family: 'cache', steps: 12, seed: 1, path })).toThrow(UsageError);
    expect(() => checkReplayPath({ family: 'cache', steps: 12, seed: 1, path: full })).not.toThrow();
    // The first shrink of a failing sequence is the empty one: a path to it replays nothing, and says so.
    const empty = `${path.split(':')[0]}:0@${full.split('@')[1]}`;
    expect(() => checkReplayPath({ family: 'cache', steps: 12, seed: 1, path: empty })).toThrow(/empty sequence/);
    const again = fc.check(
      fc.property(commandsArbitrary(familyOf('cache'), 12, splitReplayPath(full).replayPath), (cmds) =>
        failing(cmds as never),
      ),
      { seed: 1, path, endOnFailure: true },
    );
    const steps = (v: unknown) => String(v).replace(/\/\*replayPath=.*\*\//, '');
    expect(steps(again.counterexample?.[0])).toBe(steps(details.counterexample?.[0]));
  });
});

describe('sequences drawn to run at once', () => {
  const arbitrary = () => commandsArbitrary(familyOf('all'), 12);
  const text = (commands: Iterable<unknown>) => [...commands].map(String).join(', ');

  it('are the sequences fast-check runs one after another, and path i re-runs exactly the ith alone', () => {
    const drawn = fc.sample(arbitrary(), { seed: 11, numRuns: 8 }).map(text);
    const checked: string[] = [];
    fc.check(
      fc.property(arbitrary(), (commands) => {
        checked.push(text(commands));
        return true;
      }),
      { seed: 11, numRuns: 8 },
    );
    expect(checked).toEqual(drawn);
    const alone: string[] = [];
    const details = fc.check(
      fc.property(arbitrary(), (commands) => {
        alone.push(text(commands));
        return false;
      }),
      { seed: 11, numRuns: 1, path: '5' },
    );
    expect(alone[0]).toBe(drawn[5]);
    expect(details.counterexamplePath).toBe('5');
    const passing: string[] = [];
    fc.check(
      fc.property(arbitrary(), (commands) => {
        passing.push(text(commands));
        return true;
      }),
      { seed: 11, numRuns: 1, path: '5' },
    );
    expect(passing).toEqual([drawn[5]]);
  });
});

describe('drawsFor', () => {
  // Often empty: one draw in three or so.
  const arbitrary = fc.array(fc.nat(), { maxLength: 2 });

  it("draws the seed's first ones, as many as it takes for `runs` of them to have steps", () => {
    const drawn = drawsFor(arbitrary, 3, 20);
    expect(drawn.filter(hasSteps)).toHaveLength(20);
    expect(hasSteps(drawn.at(-1) ?? [])).toBe(true);
    expect(drawn.length).toBeGreaterThan(20); // this seed draws empty ones among the first
    expect(drawn).toEqual(fc.sample(arbitrary, { seed: 3, numRuns: drawn.length }));
  });

  it('keeps every draw where it was: more draws only add to the end (a path names the same sequence)', () => {
    const fewer = fc.sample(arbitrary, { seed: 3, numRuns: 20 });
    expect(drawsFor(arbitrary, 3, 20).slice(0, 20)).toEqual(fewer);
  });

  it('stops at its limit when the draws are all empty', () => {
    expect(drawsFor(fc.constant([] as number[]), 1, 5)).toHaveLength(20);
  });

  it('tells a sequence with steps from an empty one without counting them all', () => {
    expect([hasSteps([]), hasSteps([0]), hasSteps(new Set([1, 2]))]).toEqual([false, true, true]);
  });
});

describe('exploreReplay', () => {
  const settings = { family: 'all' as const, steps: 20, seed: 3, bugs: [], runs: 60, atOnce: 12 };
  it('replays a whole exploration with its runs and sequences at once, and one sequence alone by its path', () => {
    expect(exploreReplay(settings)).toBe(
      'npx cpqchaos explore --family all --steps 20 --seed 3 --runs 60 --at-once 12',
    );
    expect(exploreReplay(settings, '7:2')).toBe('npx cpqchaos explore --family all --steps 20 --seed 3 --path 7:2');
  });
});
