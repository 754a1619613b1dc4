/**
 * `cpqchaos analyze <run-dir>`: re-runs the current checkers on a stored history and final state
 * and rewrites the run's results and reports. Each scenario is judged with the parameters its
 * run declared when it started (`run.json`), so a run killed mid-scenario is judged by its own
 * bounds, not defaults. A malformed history line is reported with its line number and skipped —
 * never silently dropped — and recorded in the results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scenarioNamed } from '../../scenarios/index.ts';
import { CHECKERS } from '../checkers/index.ts';
import type { Checker } from '../core/checker.ts';
import { emptyFinalState, finalStateFrom, type FinalState } from '../core/final-state.ts';
import { readHistory } from '../core/history.ts';
import { checkScenario, runValidity, type RunOutcome, type ScenarioOutcome } from '../core/outcome.ts';
import { EXIT, UsageError } from '../core/errors.ts';
import { readRunInfo } from '../report/run-dir.ts';
import { MODE_SECTIONS, MODES } from '../modes/index.ts';
import { writeReports } from '../report/write-reports.ts';
import { parseFlags } from './shared/args.ts';
import { parametersFor } from '../runner/scenario.ts';
import { SYSTEM } from './shared/system.ts';
import { reportVerdict } from './shared/verdict.ts';

function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** The scenario's checkers today; for a scenario no longer registered, those its results named. */
function checkersOf(name: string, before: ScenarioOutcome | undefined): Checker[] {
  const registered = scenarioNamed(name)?.checkers;
  if (registered) return [...registered];
  return (before?.checkers ?? []).flatMap((c) => {
    const checker = CHECKERS.get(c.name);
    return checker ? [checker] : [];
  });
}

/**
 * The final state to judge with: the parameters `run.json` recorded at the start win (a killed
 * scenario stored no final state), then the stored final state's, then the scenario's own today
 * over the system's promises.
 */
function judgedWith(
  recorded: FinalState['parameters'] | undefined,
  stored: FinalState | undefined,
  name: string,
): FinalState {
  const scenario = scenarioNamed(name);
  const parameters = recorded ?? stored?.parameters ?? (scenario ? parametersFor(SYSTEM, scenario) : {});
  return { ...(stored ?? emptyFinalState()), parameters: { ...parameters } };
}

/** Re-checks a run directory; returns the new outcome (and rewrites its reports). */
export function analyzeRunDir(dir: string): RunOutcome {
  const info = readRunInfo(dir);
  const { ops, malformed } = readHistory(path.join(dir, 'history.jsonl'));
  for (const problem of malformed)
    process.stderr.write(`analyze: ${path.join(dir, 'history.jsonl')}:${problem.line}: skipped: ${problem.message}\n`);
  const previous = readJson<Partial<RunOutcome>>(path.join(dir, 'results.json'), {});
  const finalStates = readJson<Record<string, unknown>>(path.join(dir, 'final-state.json'), {});
  const scenarios: ScenarioOutcome[] = info.scenarios.map((name) => {
    const before = previous.scenarios?.find((s) => s.name === name);
    const stored = finalStateFrom(finalStates[name]);
    const incomplete = stored === undefined || before?.incomplete === true;
    const own = ops.filter((op) => op.scenario === name);
    const checked: ScenarioOutcome = {
      ...checkScenario(
        { name, checkers: checkersOf(name, before) },
        own,
        judgedWith(info.parameters?.[name], stored, name),
        incomplete,
      ),
      seed: info.seed,
      durationMs: before?.durationMs ?? 0,
      replay: before?.replay ?? `npx cpqchaos run ${name} --seed ${info.seed}`,
      ...(incomplete ? { incomplete } : {}),
      ...(before?.error ? { error: before.error } : {}),
    };
    // Each mode re-derives its figures (a load run's phases, a drill's scorecard) from what it stored.
    return MODES.reduce((s, mode) => mode.rejudge(s, stored, own), checked);
  });
  const incomplete = previous.incomplete ?? scenarios.some((s) => s.incomplete);
  const outcome: RunOutcome = {
    runId: info.runId,
    dir,
    valid: runValidity(scenarios, incomplete),
    seed: info.seed,
    bugs: info.bugs,
    startedAt: info.startedAt,
    finishedAt: previous.finishedAt ?? info.startedAt,
    incomplete,
    scenarios,
    replay: previous.replay ?? `npx cpqchaos replay ${dir}`,
    ...(malformed.length ? { historyProblems: malformed } : {}),
  };
  writeReports(outcome, ops, MODE_SECTIONS);
  return outcome;
}

export async function analyzeCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: cpqchaos analyze <run-dir>\n\nRe-runs the current checkers on a stored history and rewrites the results.\n',
    );
    return EXIT.ok;
  }
  const { positionals } = parseFlags('analyze', argv, {}, true);
  if (positionals.length !== 1)
    throw new UsageError('analyze needs exactly one run directory', 'e.g. npx cpqchaos analyze reports/latest');
  const dir = path.resolve(positionals[0] as string);
  if (!fs.existsSync(path.join(dir, 'run.json')) || !fs.existsSync(path.join(dir, 'history.jsonl')))
    throw new UsageError(`${positionals[0]} is not a run directory (needs run.json and history.jsonl)`);
  return reportVerdict('analyze', analyzeRunDir(dir), false);
}
