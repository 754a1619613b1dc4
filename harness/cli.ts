/**
 * The `cpqchaos` command: routes to the subcommands and turns every error into one line on stderr
 * and the contract's exit code (64 bad usage, 255 harness or infrastructure error).
 */
import { analyzeCommand } from './cli/analyze-command.ts';
import { checkSystemCommand } from './cli/check-system-command.ts';
import { envCommand } from './cli/env-command.ts';
import { exploreCommand } from './cli/explore-command.ts';
import { listCommand } from './cli/list-command.ts';
import { gamedayCommand } from './cli/gameday-command.ts';
import { loadCommand } from './cli/load-command.ts';
import { gateCommand } from './cli/gate-command.ts';
import { imagesCommand } from './cli/images-command.ts';
import { replayCommand } from './cli/replay-command.ts';
import { mergeCommand } from './cli/merge-command.ts';
import { runCommand } from './cli/run-command.ts';
import { serveCommand } from './cli/serve-command.ts';
import { CpqChaosError, EXIT } from './core/errors.ts';

const HELP = `usage: cpqchaos <command> [options]

  env up|down|status|provision   the disposable environment (PostgreSQL, Redis, Kafka, Toxiproxy)
  images build|list              the container images of the testcontainers backend
  serve [--bugs a,b] [--instances N] [--failpoints]
                                 the reference CPQ/OMS against the running environment
  list [--json]                  the scenario catalog
  run <scenario…> [--seed N] [--time-limit D] [--concurrency N] [--shard i/n] [--bugs a,b] [--out DIR]
                                 run scenarios end to end; writes reports/<run-id>/
  gate [--tag gate|nightly] [--shard i/n] [--bugs a,b] [--seed N] [--out DIR]
                                 the pull-request gate: every scenario tagged 'gate' (or 'nightly')
  merge <run-dir…> [--out DIR]   the run directories of every shard of a gate made into one
  analyze <run-dir>              re-check a stored history with the current checkers
  replay <run-dir>               run a recorded run again (same seed, options, bugs)
  explore [--runs N] [--steps M] [--seed S] [--path P] [--family cache|messaging|input|all] [--bugs a,b]
                                 property-based exploration with fast-check; shrunk counterexamples
  load <profile> [--vus N] [--duration D] [--rate R] [--think-ms MS] [--instances N] [--faults a,b]
       [--seed S] [--bugs a,b] [--out DIR]
                                 k6 load (smoke, load, spike, soak, breakpoint) judged by the checkers
  gameday <plan> [--speed F] [--bugs a,b] [--dry-run] | gameday mark "text"
                                 a game-day drill: steady state, faults, signals, marks, scorecard
  check-system [FILE] [--static] [--json]
                                 what a system (manifest or module; default the reference) can be
                                 judged on: contract probes, reads, abilities, runnable scenarios

Exit codes: 0 valid, 1 invariant violated, 2 unknown, 3 k6 threshold crossed (load), 64 bad usage,
130 interrupted (Ctrl-C: faults healed, what was recorded written), 255 harness error.

Every command that starts an environment or a system takes --backend auto|native|testcontainers,
and --system FILE to run against your own CPQ/OMS instead of the reference one (docs/your-system.md).
Run 'cpqchaos <command> --help' for a command's options.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  env: envCommand,
  serve: serveCommand,
  list: listCommand,
  run: runCommand,
  gate: gateCommand,
  merge: mergeCommand,
  analyze: analyzeCommand,
  replay: replayCommand,
  explore: exploreCommand,
  load: loadCommand,
  gameday: gamedayCommand,
  images: imagesCommand,
  'check-system': checkSystemCommand,
};

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const handler = COMMANDS[command];
  try {
    if (!handler) throw new CpqChaosError(`unknown command '${command}'`, EXIT.usage, `run 'npx cpqchaos --help'`);
    return await handler(rest);
  } catch (error) {
    if (error instanceof CpqChaosError) {
      process.stderr.write(`cpqchaos: ${error.oneLine()}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `cpqchaos: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.infra;
  }
}
