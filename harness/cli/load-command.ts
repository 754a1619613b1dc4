/**
 * `cpqchaos load <profile>`: a k6 load run under faults, judged by the same checkers as every
 * scenario (harness/modes/load). Every option is checked before anything starts (bad input → 64);
 * k6 is provisioned (built once, cached) before the run. The verdict is k6's thresholds AND the
 * checkers: 0 both hold; 1 an invariant was violated; 3 a threshold was crossed while every checker
 * held; 2 a checker could not decide or a threshold met no sample; 255 k6 or the harness failed.
 */
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { resolveBackend } from '../env/backend.ts';
import { PACKAGE_ROOT } from '../env/paths.ts';
import { faultCatalog } from '../faults/catalog.ts';
import { PROFILES } from '../modes/load/load-plan.ts';
import { loadMode } from '../modes/load/load-mode.ts';
import { parseBugs } from '../system/system.ts';
import { parseFlags } from './shared/args.ts';
import { executeMode } from './shared/execute.ts';
import { help, integer, seconds, seedOf, wantsHelp } from './shared/options.ts';
import { SYSTEM, SYSTEM_HELP, systemFrom } from './shared/system.ts';

const HELP = `usage: cpqchaos load <profile> [--vus N] [--duration D] [--rate R] [--think-ms MS] [--faults a,b]
                      [--instances N] [--seed S] [--bugs a,b] [--out DIR]

Runs k6 profile <profile> (${PROFILES.join(', ')}) against the ${SYSTEM.name}, injects the named faults
while k6 runs (one window each, in the middle third), heals, quiesces, takes final reads, and judges
every request k6 made with the harness's checkers and k6's own thresholds.

  --vus N          virtual users, 1–20000 (default: the profile's)
  --duration D     time at the target, 5s–7 days, like 30s, 5m, 2h (default: the profile's)
  --rate R         breakpoint's final arrival rate, iterations/s, 1–100000 (default 600)
  --think-ms MS    mean pause between a user's steps, 0–60000
  --faults a,b     faults from the catalog: ${[...faultCatalog().keys()].join(', ')}
  --instances N    k6 instances splitting the run by execution segments, 1–16 (default 1)
  --k6-dir DIR     k6 runs elsewhere (k6-operator pods, see k6/operator/README.md): write their
                   variables to DIR/cpqchaos.env, follow DIR/<pod>/console.log of --instances pods
  --seed S         the harness's seed (fault schedule, publishers)
  --bugs a,b       planted bugs: ${SYSTEM.bugs.join(', ')}
  --out DIR        where run directories go (default: reports)
  --backend B       auto (default: testcontainers when a Docker engine is reachable, else native),
                    native, or testcontainers (containers; a private engine is provisioned if none)

CPQCHAOS_K6_BINARY=<path> uses a k6 of your own instead of the one the harness builds and caches.

Exit codes: 0 valid, 1 invariant violated, 2 unknown, 3 a k6 threshold crossed while every checker
held, 64 bad usage, 255 harness or k6 error (a k6 that does not start: before anything else starts).
${SYSTEM_HELP}
`;

export async function loadCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values, positionals } = parseFlags(
    'load',
    argv,
    {
      vus: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      'think-ms': { type: 'string' },
      faults: { type: 'string' },
      instances: { type: 'string' },
      'k6-dir': { type: 'string' },
      seed: { type: 'string' },
      bugs: { type: 'string' },
      out: { type: 'string', default: 'reports' },
      backend: { type: 'string', default: 'auto' },
      system: { type: 'string' },
    },
    true,
  );
  const [profile, ...extra] = positionals;
  if (profile === undefined) throw new UsageError('load needs a profile', `profiles: ${PROFILES.join(', ')}`);
  if (extra.length) throw new UsageError(`load takes one profile, got ${positionals.join(' ')}`);
  const vus = integer('--vus', values.vus as string | undefined, 1, 20_000);
  const rate = integer('--rate', values.rate as string | undefined, 1, 100_000);
  const thinkMs = integer('--think-ms', values['think-ms'] as string | undefined, 0, 60_000);
  const instances = integer('--instances', values.instances as string | undefined, 1, 16);
  const durationS = seconds('--duration', values.duration as string | undefined, 5, 7 * 86_400);
  const faults = ((values.faults as string | undefined) ?? '').split(',').filter((f) => f.trim() !== '');
  const seed = seedOf(values.seed as string | undefined);
  const system = await systemFrom(values.system as string | undefined);
  const mode = await loadMode({
    profile,
    overrides: {
      ...(vus !== undefined ? { vus } : {}),
      ...(rate !== undefined ? { rate } : {}),
      ...(thinkMs !== undefined ? { thinkMs } : {}),
      ...(instances !== undefined ? { instances } : {}),
      ...(durationS !== undefined ? { durationS } : {}),
      faults,
      ...(values['k6-dir'] !== undefined ? { k6Dir: path.resolve(values['k6-dir'] as string) } : {}),
    },
    seed,
    bugs: parseBugs(system, values.bugs as string | undefined),
    scriptDir: path.join(PACKAGE_ROOT, 'k6'),
    // CPQCHAOS_K6_BINARY: a k6 of the user's own (one with extensions, say) instead of the one built here.
    ...(process.env.CPQCHAOS_K6_BINARY ? { ownK6: process.env.CPQCHAOS_K6_BINARY } : {}),
    replay: `npx cpqchaos load ${argv.join(' ')}${values.seed === undefined ? ` --seed ${seed}` : ''}`,
    say: (line) => process.stderr.write(`load: ${line}\n`),
  });
  return executeMode('load', mode, {
    system,
    outRoot: path.resolve(values.out as string),
    backend: await resolveBackend(values.backend as string),
  });
}
