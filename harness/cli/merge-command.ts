/**
 * `cpqchaos merge <run-dir…> [--out DIR]`: the shards of a gate (`gate --shard i/n`, one per CI job)
 * merged into one run directory with the verdict, summary, JUnit and HTML page the unsharded gate
 * would have written. Exit 0/1/2 by the merged verdict; 64 when the directories are not every shard
 * of one run (different commits, seeds or bugs, a shard twice or missing, an unfinished shard).
 */
import path from 'node:path';
import { mergeRuns } from '../runner/merge-runs.ts';
import { parseFlags } from './shared/args.ts';
import { help, wantsHelp } from './shared/options.ts';
import { reportVerdict } from './shared/verdict.ts';

const HELP = `usage: cpqchaos merge <run-dir…> [--out DIR]

Merges the run directories of every shard of one gate or run (--shard 1/n … n/n: same commit, seed,
bugs and scenarios) into one run directory: summary.json/md, junit.xml, index.html and a run.json
that 'replay' re-runs as a whole. Exit 0 valid, 1 violated, 2 unknown, 64 when they are not the
shards of one run.

  --out DIR    where the merged run directory goes (default: reports)
`;

export async function mergeCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values, positionals } = parseFlags('merge', argv, { out: { type: 'string', default: 'reports' } }, true);
  const outcome = mergeRuns(positionals, path.resolve(values.out as string));
  return reportVerdict('merge', outcome, false);
}
