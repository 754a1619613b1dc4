/**
 * `merge`: the run directories of the shards of one gate (or run) made into one — what the unsharded
 * run would have written: every scenario's outcome in the whole run's order, the composed verdict,
 * the histories side by side, and a `run.json` that `replay` re-runs as the whole. Each scenario's
 * replay line is its own (`npx cpqchaos run <scenario> --seed S`), so it still reproduces alone.
 * Refused (usage error) unless the directories are every shard of one split, each complete, of the
 * same commit, seed, bugs and scenario list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { readHistory } from '../core/history.ts';
import type { Op } from '../core/op.ts';
import { runValidity, type RunOutcome } from '../core/outcome.ts';
import { createRunDir, readRunInfo, writeJson, type RunInfo } from '../report/run-dir.ts';
import { writeReports } from '../report/write-reports.ts';
import type { Shard } from './shard.ts';

/** A shard's `run.json`: the run's own options, its shard, and the code it ran. */
type ShardInfo = RunInfo & { shard?: Shard & { of: string[] }; gitSha?: string | null };

interface ShardRun {
  dir: string;
  info: ShardInfo;
  outcome: RunOutcome;
}

/** Reads one shard's directory; refuses what is not a finished shard run. */
function readShard(dir: string): ShardRun {
  if (!fs.existsSync(path.join(dir, 'run.json')))
    throw new UsageError(`${dir}: not a run directory (no run.json)`, 'give the run directories the shards wrote');
  const info = readRunInfo(dir) as ShardInfo;
  if (!info.shard) throw new UsageError(`${dir}: not a shard (its run.json has no shard)`, 'run with --shard i/n');
  const results = path.join(dir, 'results.json');
  if (!fs.existsSync(results))
    throw new UsageError(`${dir}: incomplete run (no results.json: it did not finish)`, 'run that shard again');
  const outcome = JSON.parse(fs.readFileSync(results, 'utf8')) as RunOutcome;
  if (outcome.incomplete)
    throw new UsageError(`${dir}: incomplete run (interrupted or failed to start)`, 'run that shard again');
  return { dir, info, outcome };
}

/** The first way `run` differs from `first`, or undefined. */
function difference(first: ShardRun, run: ShardRun): string | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const a = first.info;
  const b = run.info;
  if (a.gitSha !== b.gitSha) return `commit ${a.gitSha ?? 'unknown'} vs ${b.gitSha ?? 'unknown'}`;
  if (a.seed !== b.seed) return `seed ${a.seed} vs ${b.seed}`;
  if (a.system !== b.system || a.systemFile !== b.systemFile)
    return `system ${a.systemFile ?? a.system ?? 'unknown'} vs ${b.systemFile ?? b.system ?? 'unknown'}`;
  if (!same([...a.bugs].sort(), [...b.bugs].sort()))
    return `bugs ${a.bugs.join(',') || 'none'} vs ${b.bugs.join(',') || 'none'}`;
  if (a.command !== b.command) return `command ${a.command} vs ${b.command}`;
  if (a.shard?.count !== b.shard?.count) return `a split into ${a.shard?.count} vs ${b.shard?.count}`;
  if (!same(a.shard?.of, b.shard?.of)) return 'different scenario lists split';
  if (!same(a.timeLimitS, b.timeLimitS) || !same(a.concurrency, b.concurrency)) return 'time limit or concurrency';
  return undefined;
}

/** Checks that `runs` are every shard of one split, once each; throws a usage error naming the problem. */
function checkShards(runs: readonly ShardRun[]): void {
  const [first] = runs;
  if (!first) throw new UsageError('merge needs the run directories of the shards', 'e.g. merge shard-*/latest');
  for (const run of runs.slice(1)) {
    const why = difference(first, run);
    if (why) throw new UsageError(`${first.dir} and ${run.dir} are not shards of one run: ${why}`);
  }
  const count = first.info.shard?.count as number;
  for (let index = 1; index <= count; index++) {
    const of = runs.filter((r) => r.info.shard?.index === index);
    if (of.length > 1)
      throw new UsageError(`two runs of shard ${index}/${count}: ${of.map((r) => r.dir).join(' and ')}`);
    if (of.length === 0)
      throw new UsageError(`shard ${index}/${count} is missing`, `give all ${count} shards' run directories`);
  }
}

/** The merged run's `run.json`: the whole run's options, and which shard directories it came from. */
function mergedInfo(runs: readonly ShardRun[], runId: string): Record<string, unknown> {
  const first = runs[0] as ShardRun;
  const { shard, ...info } = first.info;
  return {
    ...info,
    runId,
    scenarios: shard?.of ?? [],
    startedAt: runs.map((r) => r.info.startedAt).sort()[0],
    parameters: Object.assign({}, ...runs.map((r) => r.info.parameters ?? {})),
    mergedFrom: runs.map((r) => ({ dir: path.resolve(r.dir), shard: `${r.info.shard?.index}/${shard?.count}` })),
  };
}

/** Merges the shards in `dirs` into a new run directory under `outRoot`; returns its outcome. */
export function mergeRuns(dirs: readonly string[], outRoot: string): RunOutcome {
  const runs = dirs.map((dir) => readShard(path.resolve(dir)));
  checkShards(runs);
  runs.sort((a, b) => (a.info.shard?.index ?? 0) - (b.info.shard?.index ?? 0));
  const order = (runs[0] as ShardRun).info.shard?.of ?? [];
  const scenarios = runs
    .flatMap((r) => r.outcome.scenarios)
    .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const startedAt = runs.map((r) => r.outcome.startedAt).sort()[0] as string;
  const { runId, dir } = createRunDir(outRoot, new Date(startedAt), (runs[0] as ShardRun).info.seed);
  writeJson(path.join(dir, 'run.json'), mergedInfo(runs, runId));
  // Each shard's history read once; a line it cannot parse is named (shard, line), never dropped unsaid.
  const history: Op[] = [];
  const historyProblems: NonNullable<RunOutcome['historyProblems']> = [];
  for (const run of runs) {
    const file = path.join(run.dir, 'history.jsonl');
    if (!fs.existsSync(file)) continue;
    const { ops, malformed } = readHistory(file);
    history.push(...ops);
    for (const bad of malformed) historyProblems.push({ line: bad.line, message: `${file}: ${bad.message}` });
  }
  fs.writeFileSync(path.join(dir, 'history.jsonl'), history.map((op) => `${JSON.stringify(op)}\n`).join(''));
  const outcome: RunOutcome = {
    runId,
    dir,
    valid: runValidity(scenarios, false),
    seed: (runs[0] as ShardRun).outcome.seed,
    bugs: (runs[0] as ShardRun).outcome.bugs,
    startedAt,
    finishedAt: runs.map((r) => r.outcome.finishedAt).sort()[runs.length - 1] as string,
    incomplete: false,
    scenarios,
    replay: `npx cpqchaos replay ${path.relative(process.cwd(), dir) || dir}`,
    ...(historyProblems.length ? { historyProblems } : {}),
  };
  writeReports(outcome, history);
  return outcome;
}
