/**
 * `cpqchaos replay <run-dir>`: runs a recorded run again with the same scenarios, seed, options and
 * bugs (from its run.json). A directory that is not a run, or names what the system or the registry
 * no longer has, is a usage error (exit 64). An exploration is explored again with its own options,
 * a load run loaded again with its plan.
 */
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { resolveBackend } from '../env/backend.ts';
import { readRunInfo } from '../report/run-dir.ts';
import { parseBugs } from '../system/system.ts';
import { exploreCommand } from './explore-command.ts';
import { gamedayCommand } from './gameday-command.ts';
import { loadCommand } from './load-command.ts';
import { parseFlags } from './shared/args.ts';
import { execute } from './shared/execute.ts';
import { help, scenariosNamed, wantsHelp } from './shared/options.ts';
import { SYSTEM_HELP, systemFrom } from './shared/system.ts';

const HELP = `usage: cpqchaos replay <run-dir> [--out DIR] [--backend auto|native|testcontainers] [--system FILE]

Runs a recorded run again with the same scenarios, seed, options, bugs and system (from its run.json).
${SYSTEM_HELP}
                    (default: the system the run recorded)
`;

export async function replayCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values, positionals } = parseFlags(
    'replay',
    argv,
    {
      out: { type: 'string', default: 'reports' },
      backend: { type: 'string', default: 'auto' },
      system: { type: 'string' },
    },
    true,
  );
  const backend = await resolveBackend(values.backend as string);
  if (positionals.length !== 1)
    throw new UsageError('replay needs exactly one run directory', 'e.g. npx cpqchaos replay reports/latest');
  const dir = positionals[0] as string;
  let info;
  try {
    info = readRunInfo(dir);
  } catch (error) {
    throw new UsageError(`${dir} is not a run directory: ${(error as Error).message}`);
  }
  const systemFile = (values.system as string | undefined) ?? info.systemFile;
  const system = await systemFrom(systemFile);
  const systemArgs = systemFile ? ['--system', systemFile] : [];
  // An exploration replays as one: the same family, seed, sequence length, path, sequences at once, and bugs.
  if (info.command === 'explore' && info.explore) {
    const e = info.explore;
    const flag = (name: string, value: unknown) => (value === undefined ? [] : [`--${name}`, String(value)]);
    return exploreCommand([
      ...flag('family', e.family),
      ...flag('runs', e.runs),
      ...flag('steps', e.steps),
      ...flag('seed', info.seed),
      ...flag('path', e.path),
      ...flag('at-once', e.atOnce),
      ...flag('time-limit', e.timeLimitS),
      ...(info.bugs.length ? ['--bugs', info.bugs.join(',')] : []),
      ...['--out', values.out as string, '--backend', backend],
      ...systemArgs,
    ]);
  }
  // A load run replays its plan: the same profile, size, faults, seed and bugs (k6's users draw anew).
  if (info.command === 'load' && info.load) {
    const l = info.load;
    return loadCommand([
      l.profile,
      ...['--vus', String(l.vus), '--duration', `${l.durationS}s`, '--rate', String(l.rate)],
      ...['--think-ms', String(l.thinkMs), '--instances', String(l.instances), '--seed', String(info.seed)],
      ...(l.faults.length ? ['--faults', l.faults.join(',')] : []),
      ...(l.k6Dir ? ['--k6-dir', l.k6Dir] : []),
      ...(info.bugs.length ? ['--bugs', info.bugs.join(',')] : []),
      ...['--out', values.out as string, '--backend', backend],
      ...systemArgs,
    ]);
  }
  // A drill replays its plan file at the same speed, seed and bugs.
  if (info.command === 'gameday' && info.gameday) {
    const g = info.gameday;
    return gamedayCommand([
      g.plan,
      ...['--speed', String(g.speed), '--seed', String(info.seed), '--out', values.out as string],
      ...['--backend', backend],
      ...(info.bugs.length ? ['--bugs', info.bugs.join(',')] : []),
      ...systemArgs,
    ]);
  }
  return execute('replay', {
    scenarios: scenariosNamed(info.scenarios),
    seed: info.seed,
    bugs: parseBugs(system, info.bugs.join(',')),
    system,
    ...(info.timeLimitS !== undefined ? { timeLimitS: info.timeLimitS } : {}),
    ...(info.concurrency !== undefined ? { concurrency: info.concurrency } : {}),
    outRoot: path.resolve(values.out as string),
    command: info.command,
    backend,
  });
}
