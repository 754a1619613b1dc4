// Unit: the nemesis records every action as nemesis ops, heals injected faults with the rest, and
// gives each action a random stream named by its place in the schedule — never by the clock — so
// the same seed draws the same fault parameters.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryWriter } from '../core/history.ts';
import { Random } from '../core/random.ts';
import type { Environment } from '../env/environment.ts';
import type { Fault } from './fault.ts';
import { Nemesis } from './nemesis.ts';
import { faultPackage } from './schedule.ts';

/** A fault that only records the random draw each action got. */
function drawing(name: string, draws: number[]): Fault {
  return { name, target: 't', invoke: async (ctx) => ({ draw: draws[draws.push(ctx.random.next()) - 1] }) };
}

async function play(seed: number): Promise<{ draws: number[]; ops: string[] }> {
  const draws: number[] = [];
  const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nemesis-')), 'history.jsonl'));
  const scheduled = drawing('scheduled', draws);
  const injected = drawing('injected', draws);
  const nemesis = new Nemesis(
    [faultPackage(scheduled, [{ atMs: 5, action: 'start' }])],
    { env: {} as Environment, dir: os.tmpdir() },
    history,
    new Random(seed),
  );
  await nemesis.run(performance.now());
  await new Promise((r) => setTimeout(r, 7)); // a different clock, the same draws
  await nemesis.inject(injected, 'start');
  expect(nemesis.inEffect.sort()).toEqual(['injected:t', 'scheduled:t']);
  await nemesis.healAll();
  expect(nemesis.inEffect).toEqual([]);
  history.close();
  return { draws, ops: history.history.map((op) => `${op.process} ${op.type} ${op.f} ${op.value.fault}`) };
}

describe('Nemesis', () => {
  it('records each action, heals injected faults too, and draws the same for the same seed', async () => {
    const first = await play(1);
    expect(first.ops).toEqual([
      'nemesis invoke start-fault scheduled',
      'nemesis ok start-fault scheduled',
      'nemesis invoke start-fault injected',
      'nemesis ok start-fault injected',
      'nemesis invoke stop-fault scheduled',
      'nemesis ok stop-fault scheduled',
      'nemesis invoke stop-fault injected',
      'nemesis ok stop-fault injected',
    ]);
    expect((await play(1)).draws).toEqual(first.draws);
    expect((await play(2)).draws).not.toEqual(first.draws);
  });
});

describe('Nemesis with a start that throws half-way', () => {
  it('registers the fault before starting it, so its stop and healAll still heal it', async () => {
    const applied = new Set<string>();
    const halfway: Fault = {
      name: 'halfway',
      target: 'two-proxies',
      invoke: async (_ctx, action) => {
        if (action === 'stop') {
          applied.clear();
          return {};
        }
        applied.add('first-proxy');
        throw new Error('second proxy refused the toxic');
      },
    };
    const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nemesis-')), 'history.jsonl'));
    const nemesis = new Nemesis([], { env: {} as Environment, dir: os.tmpdir() }, history, new Random(1));
    await nemesis.inject(halfway, 'start');
    expect(applied).toEqual(new Set(['first-proxy']));
    expect(nemesis.inEffect).toEqual(['halfway:two-proxies']); // possibly in effect: an info op
    await nemesis.healAll();
    history.close();
    expect(applied.size).toBe(0);
    expect(nemesis.inEffect).toEqual([]);
    expect(history.history.map((op) => `${op.type} ${op.f}`)).toEqual([
      'invoke start-fault',
      'info start-fault',
      'invoke stop-fault',
      'ok stop-fault',
    ]);
  });

  it('records an action that never finishes as info after its timeout, and goes on', async () => {
    const stuck: Fault = { name: 'stuck', target: 'frozen-redis', invoke: () => new Promise(() => undefined) };
    const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nemesis-')), 'history.jsonl'));
    const nemesis = new Nemesis([], { env: {} as Environment, dir: os.tmpdir() }, history, new Random(1), 50);
    await nemesis.inject(stuck, 'start');
    history.close();
    expect(history.history.at(-1)).toMatchObject({
      type: 'info',
      f: 'start-fault',
      error: 'start-fault stuck:frozen-redis did not finish within 0.05 s',
    });
    expect(nemesis.inEffect).toEqual(['stuck:frozen-redis']);
  });
});

describe('Nemesis heals in dependency order', () => {
  /** A fault that logs its actions. */
  const logging = (name: string, target: string, log: string[]): Fault => ({
    name,
    target,
    invoke: async (_ctx, action) => {
      log.push(`${action} ${name}`);
      return {};
    },
  });
  const withRelay = {
    env: {} as Environment,
    dir: os.tmpdir(),
    system: { components: [{ name: 'relay' }, { name: 'api-1' }] },
  };

  function nemesisWith(log: string[]) {
    const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nemesis-')), 'history.jsonl'));
    const nemesis = new Nemesis([], withRelay as never, history, new Random(1));
    return {
      nemesis,
      history,
      faults: {
        postgresPause: logging('postgres-pause', 'postgres', log),
        relayKill: logging('relay-kill', 'relay', log),
        redisKill: logging('redis-kill', 'redis', log),
      },
    };
  }

  it('heals PostgreSQL and Redis before the relay, whatever order they started in', async () => {
    const log: string[] = [];
    const { nemesis, faults } = nemesisWith(log);
    await nemesis.inject(faults.postgresPause, 'start');
    await nemesis.inject(faults.relayKill, 'start');
    await nemesis.inject(faults.redisKill, 'start');
    log.length = 0;
    await nemesis.healAll();
    expect(log).toEqual(['stop postgres-pause', 'stop redis-kill', 'stop relay-kill']);
    expect(nemesis.inEffect).toEqual([]);
  });

  it("defers a component's heal while a dependency is still faulty, and records it when it runs", async () => {
    const log: string[] = [];
    const { nemesis, history, faults } = nemesisWith(log);
    await nemesis.inject(faults.postgresPause, 'start');
    await nemesis.inject(faults.relayKill, 'start');
    await nemesis.inject(faults.relayKill, 'stop');
    expect(log).toEqual(['start postgres-pause', 'start relay-kill']);
    expect(nemesis.inEffect.sort()).toEqual(['postgres-pause:postgres', 'relay-kill:relay']);
    await nemesis.inject(faults.postgresPause, 'stop');
    expect(log.slice(2)).toEqual(['stop postgres-pause', 'stop relay-kill']);
    expect(nemesis.inEffect).toEqual([]);
    const relayHeal = history.history.filter((op) => op.f === 'stop-fault' && op.type === 'ok').at(-1);
    expect(relayHeal?.value).toMatchObject({ fault: 'relay-kill', deferred: true });
  });

  it("still heals a component at the end when its dependency's heal failed", async () => {
    const log: string[] = [];
    const { nemesis, faults } = nemesisWith(log);
    const stuck: Fault = {
      name: 'postgres-pause',
      target: 'postgres',
      invoke: async (_ctx, action) => {
        if (action === 'stop') throw new Error('postgres did not resume');
        return {};
      },
    };
    await nemesis.inject(stuck, 'start');
    await nemesis.inject(faults.relayKill, 'start');
    await nemesis.healAll();
    expect(log).toEqual(['start relay-kill', 'stop relay-kill']);
  });
});

describe('Nemesis shared by scenarios running at once', () => {
  it('starts a fault once whoever asks, heals it through the instance that started it, and records nothing for the rest', async () => {
    const log: string[] = [];
    /** Two scenarios' own instances of one fault (same name and target), logging which acted. */
    const instance = (who: string): Fault => ({
      name: 'redis-kill',
      target: 'redis',
      invoke: async (_ctx, action) => {
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${action} by ${who}`);
        return {};
      },
    });
    const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nemesis-')), 'history.jsonl'));
    const shared = new Nemesis([], { env: {} as Environment, dir: os.tmpdir() }, history, new Random(1), 1000, true);
    const [a, b] = [instance('a'), instance('b')];
    // b's start comes while a's is under way, and b's stop right after: each waits for the one before.
    await Promise.all([shared.inject(a, 'start'), shared.inject(b, 'start'), shared.inject(b, 'stop')]);
    await shared.inject(a, 'stop'); // already healed: nothing happens
    expect(log).toEqual(['start by a', 'stop by a']);
    expect(history.history.map((op) => `${op.type} ${op.f}`)).toEqual([
      'invoke start-fault',
      'ok start-fault',
      'invoke stop-fault',
      'ok stop-fault',
    ]);
    await shared.inject(b, 'start');
    await shared.healAll();
    history.close();
    expect(log.slice(2)).toEqual(['start by b', 'stop by b']);
    expect(shared.inEffect).toEqual([]);
  });

  /** A shared nemesis over a system of `components`, with faults that log their actions. */
  function sharedOver(components: string[] = []) {
    const log: string[] = [];
    const fault = (name: string, target: string): Fault => ({
      name,
      target,
      invoke: async (_ctx, action) => {
        log.push(`${action} ${name}`);
        return {};
      },
    });
    const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nemesis-')), 'history.jsonl'));
    const base = {
      env: {} as Environment,
      dir: os.tmpdir(),
      system: { components: components.map((name) => ({ name })) },
    };
    const shared = new Nemesis([], base as never, history, new Random(1), 1000, true);
    return { log, fault, history, shared };
  }

  it('passes over a start on what is already under another fault (a component, a service), recording nothing', async () => {
    const { log, fault, history, shared } = sharedOver(['api-1']);
    await shared.inject(fault('api-1-kill', 'api-1'), 'start');
    await shared.inject(fault('failpoint-crash', 'api-1:api.convert-between-statements'), 'start');
    await shared.inject(fault('redis-kill', 'redis'), 'start');
    await shared.inject(fault('redis-stale-snapshot', 'redis'), 'start');
    await shared.inject(fault('proxy-latency', 'api-redis'), 'start');
    await shared.healAll();
    history.close();
    expect(shared.skipped).toBe(2);
    expect(log).toEqual([
      'start api-1-kill',
      'start redis-kill',
      'start proxy-latency',
      'stop redis-kill',
      'stop proxy-latency',
      'stop api-1-kill',
    ]);
  });

  it('lets each scenario heal only what it started, and heals all of it when that scenario is done', async () => {
    const { log, fault, history, shared } = sharedOver();
    const [kill, cut] = [fault('redis-kill', 'redis'), fault('postgres-cut', 'api-postgres')];
    await shared.inject(kill, 'start', 'run-1');
    await shared.inject(cut, 'start', 'run-1');
    await shared.inject(kill, 'stop', 'run-2'); // not run-2's to heal
    expect(shared.inEffect.sort()).toEqual(['postgres-cut:api-postgres', 'redis-kill:redis']);
    await shared.healOwnedBy('run-2');
    expect(shared.inEffect).toHaveLength(2);
    await shared.healOwnedBy('run-1');
    history.close();
    expect(shared.inEffect).toEqual([]);
    expect(log).toEqual(['start redis-kill', 'start postgres-cut', 'stop redis-kill', 'stop postgres-cut']);
  });
});
