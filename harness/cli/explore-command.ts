/**
 * `cpqchaos explore`: property-based exploration with fast-check over the live system (runner/explore).
 * Every option is checked before anything starts (exit 64): `--path` needs `--seed`, `--runs` and
 * `--steps` are whole numbers in range, the family is known. Prints one line per run and shrink,
 * then the verdict and, for a failure, the counterexample as numbered steps and its replay line.
 */
import path from 'node:path';
import { resolveBackend } from '../env/backend.ts';
import { EXIT, UsageError } from '../core/errors.ts';
import { FAILURE_FILES } from '../runner/explore/failure-db.ts';
import { checkReplayPath, exploreDriver } from '../runner/explore/explore.ts';
import { hostileInputScenario } from '../runner/explore/hostile-input.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { FAMILIES, type FamilyName } from '../runner/explore/family.ts';
import { stepScenario, fixedSteps } from '../runner/explore/step-scenario.ts';
import { parseBugs } from '../system/system.ts';
import { describeSteps } from '../workload/steps.ts';
import { parseFlags } from './shared/args.ts';
import { execute } from './shared/execute.ts';
import { help, integer, seconds, seedOf, wantsHelp } from './shared/options.ts';
import { SYSTEM } from './shared/system.ts';

const HELP = `usage: cpqchaos explore [--runs N] [--steps M] [--seed S] [--path P] [--family cache|messaging|input|all]
                        [--bugs a,b] [--time-limit D] [--out DIR]

Draws random sequences of business steps and faults with fast-check, runs each on fresh tenants of
the live system, judges every step with the model and every run with the family's checkers, and
shrinks a failure to the fewest steps that still fail. Counterexamples found before (in
${FAILURE_FILES.join(' and ')}) are re-run first. --family input sends generated malformed requests
to every endpoint instead (bad-input-rejected).

  --runs N         sequences to draw, 1–10000 (default 40; input: requests, default 2000)
  --steps M        most steps per sequence, 1–100 (default 20)
  --seed S         fast-check's seed (default: drawn and printed)
  --path P         with --seed: replay exactly the counterexample at this path (copied whole from
                   its replay line: after @, which steps ran at each shrink)
  --family F       cache, messaging, input or all (default all)
  --bugs a,b       planted bugs of the ${SYSTEM.name}: ${SYSTEM.bugs.join(', ')}
  --time-limit D   stop drawing after D, 10s–24h, like 300 or 5m (default 15m); a counterexample then
                   gets D more to shrink
  --out DIR        where run directories go (default: reports)
  --backend B       auto (default: testcontainers when a Docker engine is reachable, else native),
                    native, or testcontainers (containers; a private engine is provisioned if none)
`;

export async function exploreCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values } = parseFlags('explore', argv, {
    runs: { type: 'string' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    family: { type: 'string', default: 'all' },
    bugs: { type: 'string' },
    'time-limit': { type: 'string' },
    out: { type: 'string', default: 'reports' },
    backend: { type: 'string', default: 'auto' },
  });
  const family = values.family as string;
  if (!(FAMILIES as readonly string[]).includes(family))
    throw new UsageError(`--family must be one of ${FAMILIES.join(', ')}, got '${family}'`);
  if (values.path !== undefined && values.seed === undefined)
    throw new UsageError(
      "--path needs --seed: a path is a place in one seed's sequence",
      'copy both from the replay line',
    );
  if (values.path !== undefined && !/^\d+(:\d+)*(@[A-Za-z0-9+/]*:[A-Za-z0-9+/]*)?$/.test(values.path as string))
    throw new UsageError(`--path must look like 3:1:0:2 or 3:1:0:2@BAB:Gg, got '${values.path as string}'`);
  const runs = integer('--runs', values.runs as string | undefined, 1, 10_000);
  const steps = integer('--steps', values.steps as string | undefined, 1, 100) ?? 20;
  const timeLimitS = seconds('--time-limit', values['time-limit'] as string | undefined, 10, 86_400) ?? 900;
  const seed = seedOf(values.seed as string | undefined);
  const bugs = parseBugs(SYSTEM, values.bugs as string | undefined);
  const outRoot = path.resolve(values.out as string);
  if (family === 'input') {
    const requests = runs ?? 2000;
    const scenario = hostileInputScenario(requests, seed);
    const replay = `npx cpqchaos explore --family input --seed ${seed} --runs ${requests}${bugs.length ? ` --bugs ${bugs.join(',')}` : ''}`;
    const started = performance.now();
    const code = await execute(
      'explore',
      {
        scenarios: [scenario],
        seed,
        bugs,
        outRoot,
        command: 'explore',
        backend: await resolveBackend(values.backend as string),
        drive: async (shared, outcomes) => {
          outcomes.push({ ...(await runScenario(scenario, 0, shared)), replay });
        },
        recorded: { explore: { family, runs: requests } },
      },
      true,
    );
    const minutes = (performance.now() - started) / 60_000;
    process.stdout.write(
      `explore: ${requests} malformed requests in ${(minutes * 60).toFixed(0)} s (${(requests / minutes).toFixed(0)} requests/min, environment start included)\n`,
    );
    if (code !== EXIT.ok) process.stdout.write(`replay: ${replay}\n`);
    return code;
  }

  checkReplayPath({
    family: family as Exclude<FamilyName, 'input'>,
    steps,
    seed,
    ...(values.path !== undefined ? { path: values.path as string } : {}),
  });
  const tty = process.stderr.isTTY === true;
  const explorer = exploreDriver({
    family: family as Exclude<FamilyName, 'input'>,
    runs: runs ?? 40,
    steps,
    seed,
    ...(values.path !== undefined ? { path: values.path as string } : {}),
    bugs,
    timeLimitS,
    failureFiles: FAILURE_FILES,
    onEvent: (line) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}explore ${line}\n`),
  });
  const template = explorer.families.map((f, i) =>
    stepScenario(`explore-${f.name}-${i}`, f, fixedSteps([]), { performed: [], violations: [] }),
  );
  const code = await execute(
    'explore',
    {
      scenarios: template,
      seed,
      bugs,
      outRoot,
      command: 'explore',
      backend: await resolveBackend(values.backend as string),
      drive: explorer.drive,
      judge: explorer.judge,
      sequences: () => explorer.result.sequences,
      recorded: { explore: { family, runs: runs ?? 40, steps, path: values.path, timeLimitS } },
    },
    true,
    values.path !== undefined
      ? `family ${family}, the sequence of path ${values.path as string}`
      : `family ${family}, recorded counterexamples first, then ${runs ?? 40} runs of up to ${steps} steps`,
  );
  const r = explorer.result;
  const minutes = Math.max(r.elapsedMs, 1) / 60_000;
  const out = process.stdout;
  out.write(
    `explore: ${r.runs} runs, ${r.shrinks} shrinks, ${r.steps} steps in ${(r.elapsedMs / 1000).toFixed(0)} s — ${((r.runs + r.shrinks) / minutes).toFixed(1)} runs/min, ${(r.steps / minutes).toFixed(0)} steps/min${r.interrupted ? (r.counterexample ? ' (time limit reached while shrinking)' : ` (time limit reached: ${r.runs} sequences ran, no counterexample among them)`) : ''}\n`,
  );
  out.write(
    `explore: cases judged — ${
      Object.entries(r.judged)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || 'none'
    }\n`,
  );
  const found = r.counterexample;
  if (found) {
    out.write(
      `\ncounterexample${found.regression ? ` (recorded ${found.regression}, failing again)` : ''}: ${found.steps.length} steps, breaks ${found.checker} — ${found.anomaly}\n`,
    );
    for (const line of describeSteps(found.steps)) out.write(`  ${line}\n`);
    out.write(`replay: ${found.replay}\n`);
    if (code === EXIT.ok) return EXIT.violated;
  }
  return code;
}
