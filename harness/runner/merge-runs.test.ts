/**
 * `merge` on hand-written shard directories: the merged verdict and order are the unsharded run's,
 * and every way the directories can fail to be one run's shards is a usage error naming it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../core/errors.ts';
import type { RunOutcome, ScenarioOutcome } from '../core/outcome.ts';
import { mergeRuns } from './merge-runs.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

const ALL = ['a', 'b', 'c'];

function scenario(name: string, valid: ScenarioOutcome['valid']): ScenarioOutcome {
  return {
    name,
    valid,
    seed: 7,
    durationMs: 1000,
    ops: { invoke: 1, ok: 1, fail: 0, info: 0 },
    faults: [],
    checkers: [],
    replay: `npx cpqchaos run ${name} --seed 7`,
  };
}

interface ShardSpec {
  index: number;
  count?: number;
  scenarios: ScenarioOutcome[];
  seed?: number;
  gitSha?: string;
  bugs?: string[];
  incomplete?: boolean;
  finished?: boolean;
}

/** A shard's run directory as `gate --shard` writes it. */
function shardDir(root: string, spec: ShardSpec): string {
  const dir = path.join(root, `shard-${spec.index}-${Math.random().toString(36).slice(2, 8)}`);
  fs.mkdirSync(dir, { recursive: true });
  const seed = spec.seed ?? 7;
  const bugs = spec.bugs ?? [];
  const startedAt = `2026-12-04T10:0${spec.index}:00.000Z`;
  const info = {
    runId: path.basename(dir),
    command: 'gate',
    scenarios: spec.scenarios.map((s) => s.name),
    seed,
    bugs,
    startedAt,
    shard: { index: spec.index, count: spec.count ?? 2, of: ALL },
    gitSha: spec.gitSha ?? 'abc',
  };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(info));
  const history = spec.scenarios.map((s, i) =>
    JSON.stringify({ index: i, time: i, process: 0, type: 'invoke', f: 'read-price', value: {}, scenario: s.name }),
  );
  fs.writeFileSync(path.join(dir, 'history.jsonl'), `${history.join('\n')}\n`);
  if (spec.finished === false) return dir;
  const outcome: RunOutcome = {
    runId: info.runId,
    dir,
    valid: true,
    seed,
    bugs,
    startedAt,
    finishedAt: `2026-12-04T10:0${spec.index}:30.000Z`,
    incomplete: spec.incomplete ?? false,
    scenarios: spec.scenarios,
    replay: '',
  };
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(outcome));
  return dir;
}

function tmpRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-merge-'));
  roots.push(root);
  return root;
}

function usageErrorOf(call: () => unknown): UsageError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT.usage);
    return error as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('mergeRuns', () => {
  it('gives the whole run: scenarios in the split order, the composed verdict, every report', () => {
    const root = tmpRoot();
    const one = shardDir(root, { index: 1, scenarios: [scenario('b', false)] });
    const two = shardDir(root, { index: 2, scenarios: [scenario('a', true), scenario('c', 'unknown')] });
    const merged = mergeRuns([two, one], path.join(root, 'out'));
    expect(merged.scenarios.map((s) => s.name)).toEqual(ALL);
    expect(merged.valid).toBe(false);
    for (const file of ['run.json', 'results.json', 'summary.json', 'summary.md', 'junit.xml', 'index.html'])
      expect(fs.existsSync(path.join(merged.dir, file))).toBe(true);
    const info = JSON.parse(fs.readFileSync(path.join(merged.dir, 'run.json'), 'utf8'));
    expect(info.scenarios).toEqual(ALL);
    expect(info.shard).toBeUndefined();
    expect(fs.readFileSync(path.join(merged.dir, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(merged.scenarios.find((s) => s.name === 'b')?.replay).toBe('npx cpqchaos run b --seed 7');
  });

  it('names a history line a shard could not parse, and keeps the others', () => {
    const root = tmpRoot();
    const one = shardDir(root, { index: 1, scenarios: [scenario('b', true)] });
    const two = shardDir(root, { index: 2, scenarios: [scenario('a', true), scenario('c', true)] });
    fs.appendFileSync(path.join(two, 'history.jsonl'), 'not json\n');
    const merged = mergeRuns([one, two], path.join(root, 'out'));
    expect(merged.historyProblems).toEqual([expect.objectContaining({ line: 3 })]);
    expect(merged.historyProblems?.[0]?.message).toContain(path.join(two, 'history.jsonl'));
    expect(fs.readFileSync(path.join(merged.dir, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('is unknown when a shard is unknown and none violated', () => {
    const root = tmpRoot();
    const one = shardDir(root, { index: 1, scenarios: [scenario('b', true)] });
    const two = shardDir(root, { index: 2, scenarios: [scenario('a', true), scenario('c', 'unknown')] });
    expect(mergeRuns([one, two], path.join(root, 'out')).valid).toBe('unknown');
  });

  it.each([
    ['a different seed', { seed: 8 }, /seed 7 vs 8/],
    ['a different commit', { gitSha: 'def' }, /commit abc vs def/],
    ['different bugs', { bugs: ['consumer-no-dedupe'] }, /bugs none vs consumer-no-dedupe/],
    ['a different split', { count: 3 }, /split into 2 vs 3/],
  ])('refuses shards with %s', (_, second, message) => {
    const root = tmpRoot();
    const one = shardDir(root, { index: 1, scenarios: [scenario('b', true)] });
    const two = shardDir(root, { index: 2, scenarios: [scenario('a', true)], ...second });
    expect(usageErrorOf(() => mergeRuns([one, two], root)).message).toMatch(message);
  });

  it('refuses the same shard twice, a missing shard, an unfinished or interrupted one, and a non-shard', () => {
    const root = tmpRoot();
    const one = shardDir(root, { index: 1, scenarios: [scenario('b', true)] });
    const again = shardDir(root, { index: 1, scenarios: [scenario('b', true)] });
    expect(usageErrorOf(() => mergeRuns([one, again], root)).message).toMatch(/two runs of shard 1\/2/);
    expect(usageErrorOf(() => mergeRuns([one], root)).message).toMatch(/shard 2\/2 is missing/);
    const killed = shardDir(root, { index: 2, scenarios: [scenario('a', true)], finished: false });
    expect(usageErrorOf(() => mergeRuns([one, killed], root)).message).toMatch(/incomplete run/);
    const stopped = shardDir(root, { index: 2, scenarios: [scenario('a', true)], incomplete: true });
    expect(usageErrorOf(() => mergeRuns([one, stopped], root)).message).toMatch(/incomplete run/);
    expect(usageErrorOf(() => mergeRuns([root], root)).message).toMatch(/not a run directory/);
    expect(usageErrorOf(() => mergeRuns([], root)).message).toMatch(/needs the run directories/);
  });
});
