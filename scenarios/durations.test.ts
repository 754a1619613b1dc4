/**
 * Every gate scenario has a recorded duration (what `--shard` balances by), and four shards of the
 * gate come within 10% of an even split (a split by count, or a poor balance, does not).
 */
import { describe, expect, it } from 'vitest';
import { splitIntoShards } from '../harness/runner/shard.ts';
import { RECORDED_DURATIONS_S } from './durations.ts';
import { SCENARIOS } from './index.ts';

const gate = SCENARIOS.filter((s) => s.tags.includes('gate'));

describe('recorded durations', () => {
  it('cover every gate scenario and name only registered ones', () => {
    expect(gate.filter((s) => RECORDED_DURATIONS_S[s.name] === undefined).map((s) => s.name)).toEqual([]);
    const names = new Set(SCENARIOS.map((s) => s.name));
    expect(Object.keys(RECORDED_DURATIONS_S).filter((n) => !names.has(n))).toEqual([]);
  });

  it('split the gate four ways within 10% of an even split', () => {
    const cost = (name: string) => RECORDED_DURATIONS_S[name] as number;
    const loads = splitIntoShards(gate, 4, RECORDED_DURATIONS_S).map((s) => s.reduce((t, x) => t + cost(x.name), 0));
    const total = gate.reduce((t, s) => t + cost(s.name), 0);
    expect(Math.max(...loads)).toBeLessThanOrEqual((total / 4) * 1.1);
  });
});
