/**
 * `cpqchaos gameday <plan>`: a game-day drill from a plan file (harness/modes/gameday), and
 * `cpqchaos gameday mark "text"`: an operator's mark on the running drill's timeline. The plan is
 * validated before anything starts (exit 64 naming the file, the field and why); `--dry-run` prints
 * what would happen and touches nothing. The verdict: 0 the drill passed its scorecard with every
 * checker valid; 1 it failed (a signal never fired, a stop condition tripped, recovery too slow, an
 * inconsistency after recovery); 2 a checker could not decide or the steady state did not hold
 * before the method (nothing was injected); 64 bad usage; 255 harness error.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { EXIT, UsageError } from '../core/errors.ts';
import { resolveBackend } from '../env/backend.ts';
import { PACKAGE_ROOT } from '../env/paths.ts';
import { gamedayMode } from '../modes/gameday/gameday-mode.ts';
import { addMark } from '../modes/gameday/live.ts';
import { parseBugs } from '../system/system.ts';
import { parseFlags } from './shared/args.ts';
import { executeMode } from './shared/execute.ts';
import { help, seedOf, wantsHelp } from './shared/options.ts';
import { SYSTEM, SYSTEM_HELP, systemFrom } from './shared/system.ts';

export const GAMEDAY_DIR = path.join(PACKAGE_ROOT, 'scenarios', 'gamedays');
const builtIn = () =>
  fs
    .readdirSync(GAMEDAY_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5));

const HELP = `usage: cpqchaos gameday <plan> [--seed S] [--speed F] [--bugs a,b] [--dry-run] [--out DIR]
       cpqchaos gameday mark "text"

Runs a game-day drill: background traffic, the steady state checked first, the plan's faults at
their times, its expected signals watched live, runbook actions at their steps, operator marks
(type a line and Enter in this terminal, or 'cpqchaos gameday mark "triaged: relay down"' from
another), the heal, the wait for recovery, then every checker and /ops/reconcile. Writes the
scorecard (detection, triage, containment, recovery, consistency after recovery), journal.json,
summary.md, index.html and junit.xml into the run directory.

  <plan>        a plan file, or a built-in drill: ${builtIn().join(', ')}
  --speed F     run the plan's times F times faster (0.1–100, default 1)
  --seed S      the harness's seed (traffic)
  --bugs a,b    planted bugs: ${SYSTEM.bugs.join(', ')}
  --dry-run     validate the plan and print what would happen; start nothing
  --out DIR     where run directories go (default: reports)
  --backend B       auto (default: testcontainers when a Docker engine is reachable, else native),
                    native, or testcontainers (containers; a private engine is provisioned if none)

Exit codes: 0 passed, 1 the drill failed its scorecard, 2 undecided (or the steady state did not
hold before the method: nothing injected), 64 bad usage or plan, 255 harness error.
${SYSTEM_HELP}
`;

/** A plan argument: a file, or the name of a built-in drill. */
function planFile(arg: string): string {
  if (fs.existsSync(arg)) return path.resolve(arg);
  const named = path.join(GAMEDAY_DIR, `${arg.replace(/\.yaml$/, '')}.yaml`);
  if (fs.existsSync(named)) return named;
  throw new UsageError(`no plan file ${arg}`, `give a path, or a built-in drill: ${builtIn().join(', ')}`);
}

export async function gamedayCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  if (argv[0] === 'mark') {
    if (argv.length !== 2)
      throw new UsageError('gameday mark takes one text argument', 'e.g. cpqchaos gameday mark "triaged: relay down"');
    const live = addMark(argv[1] as string);
    process.stdout.write(`marked on ${live.plan} (${live.runDir})\n`);
    return EXIT.ok;
  }
  const { values, positionals } = parseFlags(
    'gameday',
    argv,
    {
      seed: { type: 'string' },
      speed: { type: 'string' },
      bugs: { type: 'string' },
      'dry-run': { type: 'boolean' },
      out: { type: 'string', default: 'reports' },
      backend: { type: 'string', default: 'auto' },
      system: { type: 'string' },
    },
    true,
  );
  if (positionals.length !== 1)
    throw new UsageError('gameday needs exactly one plan', `built-in drills: ${builtIn().join(', ')}`);
  const speedRaw = values.speed as string | undefined;
  const speed = speedRaw === undefined ? 1 : Number(speedRaw);
  if (!(speed >= 0.1 && speed <= 100))
    throw new UsageError(`--speed must be a number from 0.1 to 100, got '${speedRaw}'`);
  const file = planFile(positionals[0] as string);
  const tty = process.stderr.isTTY === true;
  // Lines typed here become marks; terminal: false keeps the TTY cooked, so Ctrl-C still interrupts.
  let operator: readline.Interface | undefined;
  const system = await systemFrom(values.system as string | undefined);
  const mode = gamedayMode({
    file,
    speed,
    seed: seedOf(values.seed as string | undefined),
    bugs: parseBugs(system, values.bugs as string | undefined),
    system,
    planName: path.dirname(file) === GAMEDAY_DIR ? path.basename(file, '.yaml') : path.relative(process.cwd(), file),
    say: (line) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}gameday ${line}\n`),
    operatorLines: (onLine) => {
      if (!process.stdin.isTTY) return;
      operator ??= readline.createInterface({ input: process.stdin, terminal: false });
      operator.on('line', onLine);
    },
  });
  if (values['dry-run']) {
    process.stdout.write(mode.dryRunText());
    return EXIT.ok;
  }
  try {
    return await executeMode('gameday', mode, {
      system,
      outRoot: path.resolve(values.out as string),
      backend: await resolveBackend(values.backend as string),
    });
  } finally {
    operator?.close();
  }
}
