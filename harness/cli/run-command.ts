/**
 * `cpqchaos run <scenario…>`, `cpqchaos gate` and `cpqchaos replay <run-dir>`: parse and check every
 * option before anything starts (bad input → exit 64), run the scenarios with a progress line, print
 * the verdict, where the report is, and for a failure the line that replays it. Exit codes: 0 valid,
 * 1 violated, 2 unknown, 64 bad usage, 255 harness/infrastructure error, 130 interrupted.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { BUG_NAMES } from '../../reference-impl/app/bugs.ts';
import { scenarioNamed, scenariosTagged, SCENARIOS } from '../../scenarios/index.ts';
import type { RunOutcome } from '../core/outcome.ts';
import { run, type RunOptions } from '../core/run.ts';
import type { Scenario } from '../core/scenario.ts';
import { EXIT, UsageError } from '../env/errors.ts';
import { readRunInfo } from '../report/run-dir.ts';
import { verdictWord } from '../report/summary.ts';
import { parseFlags } from './args.ts';
import { attachRunningEnvironment } from './env-command.ts';
import { progressPrinter } from './progress.ts';
import { parseBugs } from './serve-command.ts';

const RUN_HELP = `usage: cpqchaos run <scenario…> [--seed N] [--time-limit S] [--concurrency N] [--bugs a,b] [--out DIR]

Runs scenarios end to end (its own environment unless 'env up' started one), writes a run directory
and prints the verdict. Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')} ('npx cpqchaos list').

  --seed N          one seed for every random choice (default: drawn and printed)
  --time-limit S    workload seconds per scenario, 1–3600 (default: each scenario's own)
  --concurrency N   workers per scenario, 1–256 (default: each scenario's own)
  --bugs a,b        planted bugs: ${BUG_NAMES.join(', ')}
  --out DIR         where run directories go (default: reports)
`;

const GATE_HELP = `usage: cpqchaos gate [--bugs a,b] [--out DIR] [--seed N]

The pull-request gate: every scenario tagged 'gate', each at its own fixed time limit.
Exit 0 when every checker holds, 1 when an invariant is violated, 2 when a checker cannot decide.
`;

const REPLAY_HELP = `usage: cpqchaos replay <run-dir> [--out DIR]

Runs a recorded run again with the same scenarios, seed, options and bugs (from its run.json).
`;

const INTERRUPTED = 130;

function help(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

function scenariosNamed(names: string[]): Scenario[] {
  if (names.length === 0)
    throw new UsageError('run needs at least one scenario', `known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const unknown = names.filter((n) => !scenarioNamed(n));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown scenario ${unknown.join(', ')}`,
      `known: ${SCENARIOS.map((s) => s.name).join(', ')} (npx cpqchaos list)`,
    );
  return [...new Set(names)].map((n) => scenarioNamed(n) as Scenario);
}

/** Prints the verdict, the report's place and the replay lines; returns the exit code. */
export function reportVerdict(label: string, outcome: RunOutcome, interrupted: boolean): number {
  const out = process.stdout;
  const seconds = (Date.parse(outcome.finishedAt) - Date.parse(outcome.startedAt)) / 1000;
  const verdict = verdictWord(outcome.valid, outcome.incomplete);
  out.write(
    `${label}: ${verdict} — ${outcome.scenarios.length} scenario(s) in ${seconds.toFixed(0)} s, seed ${outcome.seed}, bugs ${outcome.bugs.join(',') || 'none'}\n`,
  );
  for (const s of outcome.scenarios) {
    const checkers = s.checkers
      .map((c) => `${c.name} ${c.valid === true ? '✓' : c.valid === false ? '✗' : '?'}`)
      .join(', ');
    out.write(`  ${verdictWord(s.valid, s.incomplete).padEnd(10)} ${s.name.padEnd(24)} ${checkers}\n`);
    for (const c of s.checkers.filter((x) => x.valid !== true)) {
      const first = c.anomalies[0];
      out.write(
        `             ${c.name}: ${c.valid === false && first ? `${first.kind} ×${first.count}: ${first.first.message}` : `unknown: ${c.reason ?? ''}`}\n`,
      );
    }
    if (s.error) out.write(`             harness error: ${s.error}\n`);
  }
  const rel = path.relative(process.cwd(), outcome.dir) || outcome.dir;
  out.write(`report: ${path.join(rel, 'index.html')} (summary: ${path.join(rel, 'summary.md')})\n`);
  if (outcome.error) process.stderr.write(`cpqchaos: ${label}: ${outcome.error}\n`);
  if (interrupted) {
    process.stderr.write(`cpqchaos: ${label} interrupted; history and a summary marked incomplete are in ${rel}\n`);
    return INTERRUPTED;
  }
  if (outcome.error) return EXIT.infra;
  if (outcome.valid !== true) {
    for (const s of outcome.scenarios.filter((x) => x.valid !== true)) out.write(`replay ${s.name}: ${s.replay}\n`);
    out.write(`replay: ${outcome.replay}\n`);
  }
  return outcome.valid === true ? EXIT.ok : outcome.valid === false ? EXIT.violated : EXIT.unknown;
}

/** Runs with a progress line and SIGINT handling; returns the exit code. */
async function execute(label: string, options: Omit<RunOptions, 'signal' | 'onProgress' | 'env'>): Promise<number> {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every sleeping worker listens for the abort
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    process.stderr.write(
      `\ncpqchaos: interrupted — healing faults and writing what was recorded (again to quit now)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = progressPrinter(label, options.scenarios.length);
  process.stderr.write(
    `${label}: ${options.scenarios.map((s) => s.name).join(', ')} · seed ${options.seed}${options.bugs.length ? ` · bugs ${options.bugs.join(',')}` : ''}\n`,
  );
  try {
    const env = attachRunningEnvironment();
    const outcome = await run({
      ...options,
      ...(env ? { env } : {}),
      signal: controller.signal,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    return reportVerdict(label, outcome, controller.signal.aborted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const randomSeed = () => Math.floor(Math.random() * 1_000_000);

export async function runCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return help(RUN_HELP);
  const { values, positionals } = parseFlags(
    'run',
    argv,
    {
      seed: { type: 'string' },
      'time-limit': { type: 'string' },
      concurrency: { type: 'string' },
      bugs: { type: 'string' },
      out: { type: 'string', default: 'reports' },
    },
    true,
  );
  const scenarios = scenariosNamed(positionals);
  const timeLimitS = integer('--time-limit', values['time-limit'] as string | undefined, 1, 3600);
  const concurrency = integer('--concurrency', values.concurrency as string | undefined, 1, 256);
  return execute('run', {
    scenarios,
    seed: integer('--seed', values.seed as string | undefined, 0, Number.MAX_SAFE_INTEGER) ?? randomSeed(),
    bugs: parseBugs(values.bugs as string | undefined),
    ...(timeLimitS !== undefined ? { timeLimitS } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    outRoot: path.resolve(values.out as string),
    command: 'run',
  });
}

export async function gateCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return help(GATE_HELP);
  const { values } = parseFlags('gate', argv, {
    bugs: { type: 'string' },
    out: { type: 'string', default: 'reports' },
    seed: { type: 'string' },
  });
  return execute('gate', {
    scenarios: scenariosTagged('gate'),
    seed: integer('--seed', values.seed as string | undefined, 0, Number.MAX_SAFE_INTEGER) ?? randomSeed(),
    bugs: parseBugs(values.bugs as string | undefined),
    outRoot: path.resolve(values.out as string),
    command: 'gate',
  });
}

export async function replayCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return help(REPLAY_HELP);
  const { values, positionals } = parseFlags('replay', argv, { out: { type: 'string', default: 'reports' } }, true);
  if (positionals.length !== 1)
    throw new UsageError('replay needs exactly one run directory', 'e.g. npx cpqchaos replay reports/latest');
  const dir = positionals[0] as string;
  let info;
  try {
    info = readRunInfo(dir);
  } catch (error) {
    throw new UsageError(`${dir} is not a run directory: ${(error as Error).message}`);
  }
  return execute('replay', {
    scenarios: scenariosNamed(info.scenarios),
    seed: info.seed,
    bugs: parseBugs(info.bugs.join(',')),
    ...(info.timeLimitS !== undefined ? { timeLimitS: info.timeLimitS } : {}),
    ...(info.concurrency !== undefined ? { concurrency: info.concurrency } : {}),
    outRoot: path.resolve(values.out as string),
    command: info.command,
  });
}
