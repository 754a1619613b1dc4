/**
 * `cpqchaos explore`: property-based exploration with fast-check over the live system (harness/modes/explore).
 * Every option is checked before anything starts (exit 64): `--path` needs `--seed`, `--runs` and
 * `--steps` are whole numbers in range, the family is known. Prints one line per run and shrink,
 * then the verdict and, for a failure, the counterexample as numbered steps and its replay line.
 */
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { resolveBackend } from '../env/backend.ts';
import { exploreMode } from '../modes/explore/explore-mode.ts';
import { FAILURE_FILES } from '../modes/explore/failure-db.ts';
import { FAMILIES, type FamilyName } from '../modes/explore/family.ts';
import { parseBugs } from '../system/system.ts';
import { parseFlags } from './shared/args.ts';
import { executeMode } from './shared/execute.ts';
import { help, integer, seconds, seedOf, wantsHelp } from './shared/options.ts';
import { SYSTEM, SYSTEM_HELP, systemFrom } from './shared/system.ts';

/** Sequences run at once by default. */
const AT_ONCE = 1;

const HELP = `usage: cpqchaos explore [--runs N] [--steps M] [--seed S] [--path P] [--family cache|messaging|input|all]
                        [--at-once K] [--bugs a,b] [--time-limit D] [--out DIR]

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
  --at-once K      sequences run at once, 1–16 (default ${AT_ONCE}), each on its own tenants, every fault
                   recorded in each one's history; a failing one is re-run alone to shrink and replay
                   (1: one after another; --path and recorded counterexamples always run alone)
  --bugs a,b       planted bugs of the ${SYSTEM.name}: ${SYSTEM.bugs.join(', ')}
  --time-limit D   stop drawing after D, 10s–24h, like 300 or 5m (default 15m); a counterexample then
                   gets D more to shrink
  --out DIR        where run directories go (default: reports)
  --backend B       auto (default: testcontainers when a Docker engine is reachable, else native),
                    native, or testcontainers (containers; a private engine is provisioned if none)
${SYSTEM_HELP}
`;

export async function exploreCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values } = parseFlags('explore', argv, {
    runs: { type: 'string' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    family: { type: 'string', default: 'all' },
    'at-once': { type: 'string' },
    bugs: { type: 'string' },
    'time-limit': { type: 'string' },
    out: { type: 'string', default: 'reports' },
    backend: { type: 'string', default: 'auto' },
    system: { type: 'string' },
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
  const tty = process.stderr.isTTY === true;
  const system = await systemFrom(values.system as string | undefined);
  const mode = exploreMode({
    family: family as FamilyName,
    ...(runs !== undefined ? { runs } : {}),
    steps: integer('--steps', values.steps as string | undefined, 1, 100) ?? 20,
    atOnce: integer('--at-once', values['at-once'] as string | undefined, 1, 16) ?? AT_ONCE,
    seed: seedOf(values.seed as string | undefined),
    ...(values.path !== undefined ? { path: values.path as string } : {}),
    bugs: parseBugs(system, values.bugs as string | undefined),
    ...(system.source ? { systemFile: system.source } : {}),
    system,
    timeLimitS: seconds('--time-limit', values['time-limit'] as string | undefined, 10, 86_400) ?? 900,
    onEvent: (line) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}explore ${line}\n`),
  });
  return executeMode('explore', mode, {
    system,
    outRoot: path.resolve(values.out as string),
    backend: await resolveBackend(values.backend as string),
  });
}
