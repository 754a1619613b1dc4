/**
 * `cpqchaos gate`: the pull-request gate — every scenario tagged `gate`, each at its own fixed time
 * limit, against the system under test; `--tag nightly` runs the rest the same way (a scheduled
 * job). Exit 0 when every checker holds, 1 when an invariant is violated, 2 when a checker cannot
 * decide, 64 bad usage, 255 harness error, 130 interrupted.
 */
import path from 'node:path';
import { resolveBackend } from '../env/backend.ts';
import { SCENARIOS, scenariosTagged } from '../../scenarios/index.ts';
import { UsageError } from '../core/errors.ts';
import { parseBugs } from '../system/system.ts';
import { parseFlags } from './shared/args.ts';
import { execute } from './shared/execute.ts';
import { help, seedOf, sharded, wantsHelp } from './shared/options.ts';
import { SYSTEM, SYSTEM_HELP, systemFrom } from './shared/system.ts';

/** The tags `--tag` accepts: every tag of a registered scenario. */
const TAGS = [...new Set(SCENARIOS.flatMap((s) => s.tags))];

const HELP = `usage: cpqchaos gate [--tag gate|nightly] [--shard i/n] [--bugs a,b] [--out DIR] [--seed N]

The pull-request gate: every scenario tagged 'gate', each at its own fixed time limit.
Exit 0 when every checker holds, 1 when an invariant is violated, 2 when a checker cannot decide.

  --tag T      the scenarios tagged T instead (default gate; nightly: every scenario the gate
               leaves out, for a scheduled job). Tags: ${TAGS.join(', ')}
  --shard i/n  only the i-th of n deterministic parts (balanced by recorded durations), for n CI
               jobs; every job needs the same seed and bugs
  --bugs a,b   planted bugs of the ${SYSTEM.name}: ${SYSTEM.bugs.join(', ')}
  --seed N     one seed for every random choice (default: drawn and printed)
  --out DIR    where run directories go (default: reports)
  --backend B       auto (default: testcontainers when a Docker engine is reachable, else native),
                    native, or testcontainers (containers; a private engine is provisioned if none)
${SYSTEM_HELP}
`;

export async function gateCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values } = parseFlags('gate', argv, {
    bugs: { type: 'string' },
    out: { type: 'string', default: 'reports' },
    backend: { type: 'string', default: 'auto' },
    system: { type: 'string' },
    seed: { type: 'string' },
    tag: { type: 'string', default: 'gate' },
    shard: { type: 'string' },
  });
  const tag = values.tag as string;
  if (!TAGS.includes(tag)) throw new UsageError(`--tag ${tag}: no scenario has that tag`, `tags: ${TAGS.join(', ')}`);
  const { scenarios, recorded } = sharded(scenariosTagged(tag), values.shard as string | undefined);
  const system = await systemFrom(values.system as string | undefined);
  return execute(tag === 'gate' ? 'gate' : `gate --tag ${tag}`, {
    scenarios,
    ...(recorded ? { recorded } : {}),
    seed: seedOf(values.seed as string | undefined),
    bugs: parseBugs(system, values.bugs as string | undefined),
    outRoot: path.resolve(values.out as string),
    command: 'gate',
    system,
    backend: await resolveBackend(values.backend as string),
  });
}
