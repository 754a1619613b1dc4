/**
 * The load mode: a k6 profile under faults, judged by the same checkers as every scenario. Builds
 * the plan and its scenario once (a bad fault is a usage error before anything starts), provisions
 * k6 (built once, cached; or the user's own), drives the run, and turns k6's figures and the
 * checkers into one exit code: 0 both hold; 1 an invariant was violated; 3 a threshold was crossed
 * while every checker held; 2 undecided; 255 k6 or the harness failed.
 */
import { EXIT } from '../../core/errors.ts';
import type { LoadOutcome } from '../../core/outcome.ts';
import { ensureGoTool } from '../../env/provision/go-tools.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import type { ModeRun } from '../mode.ts';
import { checkK6 } from './k6-run.ts';
import { loadPlan, type LoadPlan } from './load-plan.ts';
import { loadOutcome, loadSection, loadText } from './load-report.ts';
import { loadScenario } from './load-scenario.ts';
import { loadExitCode, THRESHOLD_CROSSED } from './load-verdict.ts';

export interface LoadSettings {
  profile: string;
  overrides: Partial<Omit<LoadPlan, 'profile'>>;
  seed: number;
  bugs: string[];
  /** Where the k6 scripts are (`k6/`). */
  scriptDir: string;
  /** A k6 binary of the user's own (one with extensions, say) instead of the one built here. */
  ownK6?: string;
  /** The line that runs this again (k6's users draw their own randomness: it repeats the configuration). */
  replay: string;
  /** A progress line. */
  say(line: string): void;
}

/** The load run of `settings`, k6 provisioned; throws a usage error for a bad profile or fault. */
export async function loadMode(settings: LoadSettings): Promise<ModeRun> {
  const plan = loadPlan(settings.profile, settings.overrides);
  let k6 = '';
  const scenario = loadScenario(plan, () => k6, settings.scriptDir);
  if (!plan.k6Dir && !settings.ownK6) settings.say('provisioning k6 (built once, then cached)');
  k6 = plan.k6Dir ? '' : (settings.ownK6 ?? (await ensureGoTool('k6')));
  if (k6) await checkK6(k6);
  let load: LoadOutcome | undefined;
  let broken: string | undefined;
  return {
    brief: false,
    options: {
      scenarios: [scenario],
      seed: settings.seed,
      bugs: settings.bugs,
      command: 'load',
      retainHistory: false,
      sections: [loadSection],
      recorded: { load: plan },
      drive: async (shared, outcomes) => {
        const outcome = await runScenario(scenario, 0, shared);
        const observed = shared.finalStates[scenario.name]?.observations.load;
        load = observed && loadOutcome(shared.history.opsOf(scenario.name), observed);
        outcomes.push({ ...outcome, replay: settings.replay, ...(load ? { load } : {}) });
        if (outcome.error) broken = outcome.error;
      },
    },
    finish: (code) => {
      const text = load ? loadText(load) : '';
      // A load run that broke (k6 failed, the harness failed) has no verdict to give.
      if (broken && code !== EXIT.interrupted)
        return { text, warning: `cpqchaos: load: ${broken}\n`, code: EXIT.infra };
      const final = loadExitCode(code, load);
      return {
        text: `${text}${final === THRESHOLD_CROSSED ? 'load: every checker held, but a k6 threshold was crossed\n' : ''}`,
        code: final,
      };
    },
  };
}
