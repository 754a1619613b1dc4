/**
 * `--shard i/n`: a deterministic split of a run's scenarios over n CI jobs, balanced by how long
 * each scenario takes — its recorded duration where there is one, else its own time limit plus the
 * usual set-up, quiesce and checking — not by count. Longest first, each onto the shard with the
 * least work so far (ties: the lower shard; equal durations: by name), so every job computes the
 * same split from the same list, and shard i runs its scenarios in the list's own order.
 */
import { UsageError } from '../core/errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** What a scenario costs beyond its workload when nothing was recorded (s): set-up, quiesce, checks. */
export const UNRECORDED_OVERHEAD_S = 8;

/** Parses `i/n` (1 ≤ i ≤ n ≤ 64); anything else is a usage error. */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,3})\/(\d{1,3})$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > 64 || index < 1 || index > count)
    throw new UsageError(
      `--shard ${text}: expected i/n with 1 ≤ i ≤ n ≤ 64`,
      'e.g. --shard 1/4 … --shard 4/4 in four jobs, then `npx cpqchaos merge`',
    );
  return { index, count };
}

interface Sized {
  name: string;
  timeLimitS: number;
}

/** Every shard's scenarios (index 0 is shard 1), each in the list's order. */
export function splitIntoShards<T extends Sized>(
  items: readonly T[],
  count: number,
  recordedS: Readonly<Record<string, number>>,
): T[][] {
  const costed = items.map((item, at) => ({
    item,
    at,
    cost: recordedS[item.name] ?? item.timeLimitS + UNRECORDED_OVERHEAD_S,
  }));
  const longestFirst = [...costed].sort((a, b) => b.cost - a.cost || a.item.name.localeCompare(b.item.name));
  const load = new Array<number>(count).fill(0);
  const home: number[] = [];
  for (const { at, cost } of longestFirst) {
    const lightest = load.indexOf(Math.min(...load));
    home[at] = lightest;
    load[lightest] = (load[lightest] as number) + cost;
  }
  return Array.from({ length: count }, (_, shard) => items.filter((_, at) => home[at] === shard));
}

/**
 * Shard `shard`'s scenarios. Fewer scenarios than shards would leave a job with nothing to judge:
 * a usage error naming how many there are.
 */
export function shardOf<T extends Sized>(
  items: readonly T[],
  shard: Shard,
  recordedS: Readonly<Record<string, number>>,
): T[] {
  if (items.length < shard.count)
    throw new UsageError(
      `--shard ${shard.index}/${shard.count}: only ${items.length} scenario(s) to split`,
      `use at most ${items.length} shards`,
    );
  return splitIntoShards(items, shard.count, recordedS)[shard.index - 1] as T[];
}
