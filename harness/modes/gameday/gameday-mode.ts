/**
 * The game-day mode: a drill from a plan file. Reads and checks the plan (exit 64 naming the file,
 * the field and why), builds the drill's scenario once, and drives it: the live file other
 * terminals mark through, operator lines as marks, the scorecard, `journal.json`, the scorecard's
 * text. `dryRunText` says what would happen and touches nothing.
 */
import { systemFlag } from '../../runner/replay-line.ts';
import fs from 'node:fs';
import path from 'node:path';
import { JOURNAL_SCHEMA } from '../../core/gameday.ts';
import type { ScenarioOutcome } from '../../core/outcome.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { writeJson } from '../../report/run-dir.ts';
import { preflight } from '../../runner/preflight.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import type { Shared } from '../../runner/run-types.ts';
import type { SystemUnderTest } from '../../system/system.ts';
import type { ModeRun } from '../mode.ts';
import { dryRunText } from './dry-run.ts';
import { gamedaySection, gamedayText } from './gameday-report.ts';
import { gamedayScenario } from './gameday-scenario.ts';
import { addMark, removeLive, writeLive } from './live.ts';
import { readPlan } from './plan-read.ts';
import { atSpeed, unexportedMetrics } from './plan-types.ts';
import { withScorecard } from './scorecard.ts';

export interface DrillSettings {
  /** The plan file. */
  file: string;
  speed: number;
  seed: number;
  bugs: string[];
  system: SystemUnderTest;
  /** How the replay line names the plan (a built-in drill by its name, else its path). */
  planName: string;
  /** A progress line. */
  say(line: string): void;
  /** Subscribes to the lines an operator types in this terminal (each becomes a mark). */
  operatorLines?: (onLine: (line: string) => void) => void;
}

/** The drill of `settings`; throws a usage error for a bad plan or one the system cannot serve. */
export function gamedayMode(settings: DrillSettings): ModeRun & { dryRunText(): string } {
  const { speed, seed, bugs, system, say } = settings;
  const plan = atSpeed(readPlan(settings.file, { faults: [...faultCatalog().keys()], metrics: system.metrics }), speed);
  const gaps = unexportedMetrics(plan, system.metrics);
  let shared: Shared | undefined;
  let marks = '';
  const scenario = gamedayScenario(plan, {
    speed,
    say,
    unexportedMetrics: gaps,
    live: (ctx, control) => {
      if (!shared) throw new Error('the drill runs only inside its run');
      const live = {
        pid: process.pid,
        plan: plan.name,
        runDir: shared.dir,
        marks,
        apiUrls: [...ctx.apiUrls],
        tenants: ctx.tenants,
        postgresUrl: shared.env.endpoints.services.postgres.directUrl,
        redisUrl: shared.env.endpoints.services.redis.directUrl,
        control,
      };
      writeLive(live);
      settings.operatorLines?.((line) => line.trim() && addMark(line));
      return live;
    },
  });
  preflight(system, [scenario], bugs);
  const replay = [
    `npx cpqchaos gameday ${settings.planName} --seed ${seed}`,
    speed !== 1 ? `--speed ${speed}` : '',
    bugs.length ? `--bugs ${bugs.join(',')}` : '',
    systemFlag(system.source),
  ]
    .filter(Boolean)
    .join(' ');
  let scored: ScenarioOutcome | undefined;
  let unsteady: string | undefined;
  return {
    brief: false,
    dryRunText: () => dryRunText(plan, scenario, speed, gaps),
    options: {
      scenarios: [scenario],
      seed,
      bugs,
      command: 'gameday',
      recorded: { gameday: { plan: settings.file, speed } },
      sections: [gamedaySection],
      drive: async (run, outcomes) => {
        shared = run;
        marks = path.join(run.dir, 'marks.jsonl');
        fs.writeFileSync(marks, '');
        say(`${plan.title} — marks: type a line and Enter, or npx cpqchaos gameday mark "…"`);
        const outcome = await runScenario(scenario, 0, run);
        const observed = run.finalStates[scenario.name]?.observations.gameday;
        if (!observed) {
          outcomes.push({ ...outcome, replay });
          return;
        }
        if (!observed.steadyBefore) unsteady = observed.unsteady.join(', ');
        scored = withScorecard({ ...outcome, replay }, observed, run.history.opsOf(scenario.name));
        outcomes.push(scored);
        writeJson(path.join(run.dir, 'journal.json'), {
          schema: JOURNAL_SCHEMA,
          plan,
          ...scored.gameday,
          checkers: outcome.checkers,
        });
      },
    },
    finish: (code) => ({
      text: scored?.gameday ? gamedayText(scored.gameday) : '',
      ...(unsteady
        ? {
            warning: `gameday: the steady state did not hold before the method (${unsteady}) — nothing was injected\n`,
          }
        : {}),
      code,
    }),
    close: removeLive,
  };
}
