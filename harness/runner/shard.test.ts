/** `--shard i/n`: the flag's grammar and the split, on hand-written scenario lists. */
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../core/errors.ts';
import { parseShard, shardOf, splitIntoShards, UNRECORDED_OVERHEAD_S } from './shard.ts';

const items = (durations: number[]) => durations.map((d, i) => ({ name: `s${i}`, timeLimitS: d }));
const recordedOf = (list: { name: string; timeLimitS: number }[]) =>
  Object.fromEntries(list.map((s) => [s.name, s.timeLimitS]));

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 4, count: 4 });
  });

  it.each(['0/4', '5/4', 'a/b', '1/0', '', '1/65', '1/4/2', '-1/4', '1.5/4'])('refuses %j with exit 64', (text) => {
    const error = (() => {
      try {
        parseShard(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT.usage);
  });
});

describe('splitIntoShards', () => {
  it('puts the longest first onto the least-loaded shard, keeping the list order inside a shard', () => {
    const list = items([5, 10, 6, 9, 7, 8]);
    const shards = splitIntoShards(list, 2, recordedOf(list));
    // 10→1, 9→2, 8→2 (17), 7→1 (17), 6→1 (23, the lower shard on a tie), 5→2 (22).
    expect(shards.map((s) => s.map((i) => i.timeLimitS))).toEqual([
      [10, 6, 7],
      [5, 9, 8],
    ]);
  });

  it('covers every scenario exactly once, and gives the same split every time', () => {
    const list = items([3, 14, 15, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]);
    const first = splitIntoShards(list, 4, recordedOf(list));
    expect(
      first
        .flat()
        .map((s) => s.name)
        .sort(),
    ).toEqual(list.map((s) => s.name).sort());
    expect(splitIntoShards([...list].reverse(), 4, recordedOf(list)).map((s) => s.map((i) => i.name).sort())).toEqual(
      first.map((s) => s.map((i) => i.name).sort()),
    );
  });

  it('counts an unrecorded scenario as its time limit plus the usual overhead', () => {
    const list = [
      { name: 'recorded', timeLimitS: 1 },
      { name: 'unrecorded', timeLimitS: 20 - UNRECORDED_OVERHEAD_S },
      { name: 'small', timeLimitS: 1 },
    ];
    // unrecorded costs 20, recorded 19, small 2: the two big ones land on different shards.
    const shards = splitIntoShards(list, 2, { recorded: 19, small: 2 });
    expect(shards.map((s) => s.map((i) => i.name))).toEqual([['unrecorded'], ['recorded', 'small']]);
  });
});

describe('shardOf', () => {
  it('gives shard i its part', () => {
    const list = items([5, 10, 6, 9, 7, 8]);
    expect(shardOf(list, { index: 2, count: 2 }, recordedOf(list)).map((s) => s.timeLimitS)).toEqual([5, 9, 8]);
  });

  it('refuses more shards than scenarios (a job would judge nothing)', () => {
    expect(() => shardOf(items([1, 2]), { index: 1, count: 3 }, {})).toThrow(/only 2 scenario/);
  });
});
