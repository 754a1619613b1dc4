/**
 * The explore mode: property-based exploration with fast-check over the live system, or (family
 * `input`) generated malformed requests to every endpoint. Checks the replay path before anything
 * starts, lays out the run (a template scenario per family for the preflight; the driver draws the
 * runs), and ends with the figures, the cases judged and — for a failure — the counterexample as
 * numbered steps and its replay line; a counterexample makes the exit code 1.
 */
import { EXIT } from '../../core/errors.ts';
import { phaseLine } from '../../runner/phase-clock.ts';
import { systemFlag } from '../../runner/replay-line.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import { describeSteps } from '../../workload/steps.ts';
import type { ModeRun } from '../mode.ts';
import { exploreDriver, type ExploreResult, type ExploreSettings } from './explore.ts';
import { checkReplayPath } from './explore-replay.ts';
import { FAILURE_FILES } from './failure-db.ts';
import type { FamilyName } from './family.ts';
import { hostileInputScenario } from './hostile-input.ts';
import { fixedSteps, stepScenario } from './step-scenario.ts';

export type ExploreModeSettings = Omit<ExploreSettings, 'family' | 'runs' | 'failureFiles'> & {
  family: FamilyName;
  /** Sequences to draw (input: requests to send); the family's default when absent. */
  runs?: number;
};

/** The exploration of `settings`; throws a usage error for a replay path that cannot be. */
export function exploreMode(settings: ExploreModeSettings): ModeRun {
  const { family, seed, bugs } = settings;
  return family === 'input'
    ? hostileInputMode(settings.runs ?? 2000, seed, bugs, settings.systemFile)
    : stepMode({ ...settings, family });
}

/** Malformed requests to every endpoint, judged by bad-input-rejected. */
function hostileInputMode(requests: number, seed: number, bugs: string[], systemFile?: string): ModeRun {
  const scenario = hostileInputScenario(requests, seed);
  const replay = [
    `npx cpqchaos explore --family input --seed ${seed} --runs ${requests}`,
    bugs.length ? `--bugs ${bugs.join(',')}` : '',
    systemFlag(systemFile),
  ]
    .filter(Boolean)
    .join(' ');
  const started = performance.now();
  return {
    brief: true,
    options: {
      scenarios: [scenario],
      seed,
      bugs,
      command: 'explore',
      recorded: { explore: { family: 'input', runs: requests } },
      drive: async (shared, outcomes) => {
        outcomes.push({ ...(await runScenario(scenario, 0, shared)), replay });
      },
    },
    finish: (code) => {
      const minutes = (performance.now() - started) / 60_000;
      const figures = `explore: ${requests} malformed requests in ${(minutes * 60).toFixed(0)} s (${(requests / minutes).toFixed(0)} requests/min, environment start included)\n`;
      return { text: `${figures}${code !== EXIT.ok ? `replay: ${replay}\n` : ''}`, code };
    },
  };
}

/** Sequences of business steps and faults, shrunk to the fewest steps that still fail. */
function stepMode(settings: ExploreModeSettings & { family: Exclude<FamilyName, 'input'> }): ModeRun {
  const runs = settings.runs ?? 40;
  const { family, steps, path, system } = settings;
  checkReplayPath({
    family,
    steps,
    seed: settings.seed,
    ...(path !== undefined ? { path } : {}),
    ...(system ? { system } : {}),
  });
  const explorer = exploreDriver({ ...settings, runs, failureFiles: FAILURE_FILES });
  const leftOut = explorer.families[0]?.leftOut ?? [];
  // Said up front: what this system is not explored under, and what it lacks for each.
  const without = leftOut.length
    ? ` — without ${leftOut.length} fault(s) the system cannot run: ${leftOut.map((l) => `${l.fault} (${l.why.split('; ')[0]})`).join(', ')}`
    : '';
  const template = explorer.families.map((f, i) =>
    stepScenario(`explore-${f.name}-${i}`, f, fixedSteps([]), { performed: [], violations: [] }),
  );
  return {
    brief: true,
    planned:
      path !== undefined
        ? `family ${family}, the sequence of path ${path}${without}`
        : `family ${family}, recorded counterexamples first, then ${runs} runs of up to ${steps} steps${(settings.atOnce ?? 1) > 1 ? `, ${settings.atOnce} at once` : ''}${without}`,
    options: {
      scenarios: template,
      seed: settings.seed,
      bugs: settings.bugs,
      command: 'explore',
      drive: explorer.drive,
      judge: explorer.judge,
      sequences: () => explorer.result.sequences,
      recorded: {
        explore: {
          family,
          runs,
          steps,
          path,
          atOnce: settings.atOnce ?? 1,
          timeLimitS: settings.timeLimitS,
          leftOut: leftOut.map((l) => l.fault),
        },
      },
    },
    finish: (code) => {
      const found = explorer.result.counterexample;
      return { text: resultText(explorer.result), code: found && code === EXIT.ok ? EXIT.violated : code };
    },
  };
}

/**
 * Each phase's time over the sequences, and what ran between them (drawing, the environment's start);
 * rounds that overlapped count their shared time once.
 */
function timeOf(r: ExploreResult): Record<string, number> {
  const inRuns = Object.values(r.phasesMs).reduce((sum, ms) => sum + ms, 0) - (r.overlappedMs ?? 0);
  return { ...r.phasesMs, 'between sequences': Math.max(0, Math.round(r.elapsedMs - inRuns)) };
}

/** The exploration's figures, the cases each checker judged, and the counterexample if any. */
function resultText(r: ExploreResult): string {
  const minutes = Math.max(r.elapsedMs, 1) / 60_000;
  const limit = r.interrupted
    ? r.counterexample
      ? ' (time limit reached while shrinking)'
      : ` (time limit reached: ${r.runs} sequences ran, no counterexample among them)`
    : '';
  const judged = Object.entries(r.judged).map(([c, n]) => `${c} ${n}`);
  const lines = [
    `explore: ${r.runs} runs, ${r.shrinks} shrinks, ${r.steps} steps in ${(r.elapsedMs / 1000).toFixed(0)} s — ${((r.runs + r.shrinks) / minutes).toFixed(1)} runs/min, ${(r.steps / minutes).toFixed(0)} steps/min${limit}`,
    `explore: cases judged — ${judged.join(', ') || 'none'}`,
    `explore: time per phase — ${phaseLine(timeOf(r))}; faults in effect ${(r.faultsHeldMs / 1000).toFixed(0)} s of the workload${r.overlappedMs ? `; two rounds at once for ${(r.overlappedMs / 1000).toFixed(0)} s (counted in both)` : ''}${r.passedOver ? `; ${r.passedOver} fault start(s) passed over, what they act on already under a fault` : ''}`,
  ];
  const found = r.counterexample;
  const mixed = r.interaction;
  if (mixed && !found)
    lines.push(
      '',
      `${mixed.name} broke ${mixed.checker} — ${mixed.anomaly} — among ${mixed.round.join(', ')} run at once, but ${mixed.triedAlone ? 'passed alone' : 'the time limit came before it could be re-run alone'}: no single sequence reproduces it, so it is neither shrunk nor recorded${mixed.others > 0 ? ` (and ${mixed.others} more interaction(s) in later rounds)` : ''}`,
      `its run directory holds each one's history; to run that round again: ${mixed.replay}`,
    );
  if (found)
    lines.push(
      '',
      `counterexample${found.regression ? ` (recorded ${found.regression}, failing again)` : ''}: ${found.steps.length} steps, breaks ${found.checker} — ${found.anomaly}`,
      ...describeSteps(found.steps).map((line) => `  ${line}`),
      `replay: ${found.replay}`,
    );
  return `${lines.join('\n')}\n`;
}
