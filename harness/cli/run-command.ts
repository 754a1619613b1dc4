/**
 * `cpqchaos run <scenario…>`: parses and checks every option before anything starts (bad input →
 * exit 64), runs the scenarios end to end and prints the verdict. Exit codes: 0 valid, 1 violated,
 * 2 unknown, 64 bad usage, 255 harness/infrastructure error, 130 interrupted.
 */
import path from 'node:path';
import { resolveBackend } from '../env/backend.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { parseBugs } from '../system/system.ts';
import { parseFlags } from './shared/args.ts';
import { execute } from './shared/execute.ts';
import { help, integer, scenariosNamed, seconds, seedOf, sharded, wantsHelp } from './shared/options.ts';
import { SYSTEM, SYSTEM_HELP, systemFrom } from './shared/system.ts';

const HELP = `usage: cpqchaos run <scenario…> [--seed N] [--time-limit D] [--concurrency N] [--shard i/n] [--bugs a,b] [--out DIR]

Runs scenarios end to end (its own environment unless 'env up' started one), writes a run directory
and prints the verdict. Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')} ('npx cpqchaos list').

  --seed N          one seed for every random choice (default: drawn and printed)
  --time-limit D    workload time per scenario, 1s–1h, like 90 or 2m (default: each scenario's own)
  --concurrency N   workers per scenario, 1–256 (default: each scenario's own)
  --shard i/n       only the i-th of n deterministic parts of the scenarios named (balanced by
                    recorded durations); every job names the same scenarios
  --bugs a,b        planted bugs of the ${SYSTEM.name}: ${SYSTEM.bugs.join(', ')}
  --out DIR         where run directories go (default: reports)
  --backend B       auto (default: testcontainers when a Docker engine is reachable, else native),
                    native, or testcontainers (containers; a private engine is provisioned if none)
${SYSTEM_HELP}
`;

export async function runCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values, positionals } = parseFlags(
    'run',
    argv,
    {
      seed: { type: 'string' },
      'time-limit': { type: 'string' },
      concurrency: { type: 'string' },
      bugs: { type: 'string' },
      out: { type: 'string', default: 'reports' },
      backend: { type: 'string', default: 'auto' },
      system: { type: 'string' },
      shard: { type: 'string' },
    },
    true,
  );
  const { scenarios, recorded } = sharded(scenariosNamed(positionals), values.shard as string | undefined);
  const timeLimitS = seconds('--time-limit', values['time-limit'] as string | undefined, 1, 3600);
  const concurrency = integer('--concurrency', values.concurrency as string | undefined, 1, 256);
  const system = await systemFrom(values.system as string | undefined);
  return execute('run', {
    scenarios,
    ...(recorded ? { recorded } : {}),
    seed: seedOf(values.seed as string | undefined),
    bugs: parseBugs(system, values.bugs as string | undefined),
    ...(timeLimitS !== undefined ? { timeLimitS } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    outRoot: path.resolve(values.out as string),
    command: 'run',
    system,
    backend: await resolveBackend(values.backend as string),
  });
}
